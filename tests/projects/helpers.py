"""The seed's JPVS record (seeds/004) as an import row, and a quick way to
put projects at a fair."""

import copy
import json

from eventhub.projects.importing import parse_json
from eventhub.projects.services import projects_import

JPVS = {
    "acronym": "JPVS",
    "project_id": "HUSKROUA/23/RI/2.1/047",
    "title": "Joint prevention of viruses spreading in the cross border region",
    "status": "in Progress",
    "theme": "Health",
    "regions": ["Chernivetska oblast", "Județul Suceava"],
    "start_date": "02/01/2025",
    "end_date": "09/30/2026",
    "budget_eur": "(EUR) 540 600",
    "stand": 7,
    "description": "Resilience of the healthcare systems in Chernivtsi and Suceava.",
    "activities": ["Infrastructure modernisation", "Training and capacity building"],
    "expected_impact": ["A faster response to viral threats"],
    "partners": [
        {
            "role": "Lead Partner",
            "name": "Chernivtsi Regional Medical Diagnostic and Rehabilitation Center",
            "address": "Nebesnoyi sotni St, Chernivtsi, Ukraine, 58000",
            "funding_eur": "230 157",
        },
        {
            "role": "Project Partner",
            "name": "Suceava County Council",
            "address": "Suceava, Romania",
            "funding_eur": "256 384",
        },
    ],
}

LAPNET = {
    "acronym": "LapNet",
    "project_id": "RORS-02",
    "title": "Cross-border network of specialists in laparoscopic surgery",
    "status": "completed",
    "theme": "Training",
    "regions": ["Timiș", "Podunavski"],
    "start_date": "2019-09-01",
    "end_date": "2022-08-31",
    "budget_eur": "980000",
    "stand": 3,
    "description": "Surgeons of Timișoara and Smederevo learn laparoscopy together.",
    "partners": [{"role": "lead", "name": "General Hospital Sveti Luka Smederevo"}],
}


def record(**changes) -> dict:
    return {**copy.deepcopy(JPVS), **changes}


def put_projects(event, *records):
    projects_import(event_id=event.pk, rows=parse_json(json.dumps(list(records))))
    return {p.acronym: p for p in event.projects.all()}
