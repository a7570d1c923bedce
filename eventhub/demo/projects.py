"""The demo fair's project stands: JPVS (seeds/004) and the Bulgaria–North
Macedonia health cluster (seeds/002) as their records give them, and three
Romania–Serbia projects named in seeds/000. The IDs, dates and budgets of
those three and the cluster's budget are illustrative (IDs marked DEMO);
the seeds give none."""

import json

from eventhub.core.models import Event
from eventhub.projects.importing import parse_json
from eventhub.projects.services import projects_import

HEALTH = "Health"

PROJECTS = [
    {
        "acronym": "JPVS",
        "project_id": "HUSKROUA/23/RI/2.1/047",
        "title": "Joint prevention of viruses spreading in the cross border region",
        "status": "in Progress",
        "theme": HEALTH,
        "regions": ["Chernivetska oblast", "Județul Suceava"],
        "start_date": "02/01/2025",
        "end_date": "09/30/2026",
        "budget_eur": "540 600",
        "stand": 1,
        "summary": (
            "This project aims to strengthen the resilience of the healthcare systems in the "
            "Chernivtsi region (Ukraine) and Suceava county (Romania) against viral infections. "
            "By modernising infrastructure, training professionals, and aligning medical "
            "standards, the project fosters joint preparedness and a more coordinated epidemic "
            "response across the border."
        ),
        "description": (
            "The project “Joint prevention of virus spreading in the cross-border region” aims "
            "to enhance the resilience and preparedness of healthcare systems in the Chernivtsi "
            "region of Ukraine and Suceava county in Romania. It focuses on creating conditions "
            "for efficient cross-border collaboration in responding to the spread of viruses "
            "and other infectious threats."
        ),
        "activities": [
            "Infrastructure modernisation: medical institutions will be equipped with advanced "
            "diagnostic and treatment technologies to better respond to viral outbreaks.",
            "Training and capacity building: healthcare professionals will participate in joint "
            "training programmes, workshops, and exchange visits.",
            "Harmonisation of medical protocols: unified cross-border standards and procedures "
            "for consistent and effective epidemic control.",
            "Strengthening cooperation between healthcare institutions and public health "
            "authorities in Ukraine and Romania.",
        ],
        "expected_impact": [
            "A faster and more effective response mechanism to viral threats",
            "Strengthened professional networks and knowledge exchange across borders",
            "Improved healthcare safety for the population in both regions",
        ],
        "partners": [
            {
                "role": "Lead Partner",
                "name": "Chernivtsi Regional Medical Diagnostic and Rehabilitation Center",
                "address": "Nebesnoyi sotni St, Chernivtsi, Chernivets'ka oblast, Ukraine, 58000",
                "funding_eur": "230 157",
            },
            {
                "role": "Project Partner",
                "name": "Suceava County Council",
                "address": "Suceava, Romania",
                "funding_eur": "256 384",
            },
        ],
    },
    {
        "acronym": "CB Health Cluster",
        "project_id": "CB006.1.31.017",
        "title": (
            "Integration of European healthcare standards and innovations on the way for "
            "development of cross-border health cluster"
        ),
        "status": "completed",
        "theme": HEALTH,
        "regions": ["Blagoevgrad District", "East planning region"],
        "start_date": "2017-06-01",
        "end_date": "2019-05-31",
        "budget_eur": "316 000",
        "stand": 2,
        "summary": (
            "Integration of European healthcare standards and innovations by promoting the "
            "cross-border cooperation."
        ),
        "description": (
            "Co-financed by the Interreg-IPA Bulgaria–Macedonia cross-border programme. The "
            "action addresses common issues of the healthcare systems in both countries, the "
            "lack of highly qualified personnel and the brain drain of young medical experts, "
            "and establishes a Cross-border Healthcare Cluster."
        ),
        "activities": [
            "Concept, tools and a common strategy for the cross-border health cluster",
            "A cross-border healthcare catalogue of the target region",
            "Capacity building programme for young medical specialists",
            "The “CBhealth” web portal for healthcare professionals",
            "Purchase of specialised medical equipment for public benefit",
            "Open-day events in North Macedonia and Bulgaria",
        ],
        "expected_impact": [
            "Innovative healthcare practices shared across the border",
            "Young medical specialists trained and kept in the region",
        ],
        "partners": [
            {
                "role": "lead",
                "name": "Bulgarian Medical Association — Branch Blagoevgrad",
                "address": "Blagoevgrad, Bulgaria",
            },
            {
                "role": "partner",
                "name": "Public Health Foundation Clinical Hospital — Shtip",
                "address": "Shtip, North Macedonia",
            },
        ],
    },
    {
        "acronym": "ThyroMobile",
        "project_id": "DEMO-RORS-01",
        "title": "Mobile centre for the early diagnosis of thyroid cancer",
        "status": "completed",
        "theme": HEALTH,
        "regions": ["Timiș", "Južno Banatski"],
        "start_date": "2020-03-01",
        "end_date": "2023-02-28",
        "budget_eur": "1 250 000",
        "stand": 3,
        "description": (
            "The Municipal Clinical Hospital Timișoara acquired a mobile centre for the improved "
            "diagnosis and treatment of thyroid cancer in the border area; today it offers free "
            "thyroid ultrasounds on the square."
        ),
        "partners": [
            {
                "role": "lead",
                "name": "Municipal Clinical Hospital Timișoara",
                "address": "Timișoara",
            },
        ],
    },
    {
        "acronym": "LapNet",
        "project_id": "DEMO-RORS-02",
        "title": "Cross-border network of specialists in laparoscopic abdominal surgery",
        "status": "completed",
        "theme": "Training",
        "regions": ["Timiș", "Podunavski"],
        "start_date": "2019-09-01",
        "end_date": "2022-08-31",
        "budget_eur": "980 000",
        "stand": 4,
        "description": (
            "The “Victor Babeș” University of Medicine and Pharmacy Timișoara and the General "
            "Hospital “Sveti Luka” Smederevo developed a network of specialists in laparoscopic "
            "abdominal surgery."
        ),
        "partners": [
            {
                "role": "lead",
                "name": "“Victor Babeș” University of Medicine and Pharmacy Timișoara",
                "address": "Timișoara, Romania",
            },
            {
                "role": "partner",
                "name": "General Hospital “Sveti Luka” Smederevo",
                "address": "Smederevo, Serbia",
            },
        ],
    },
    {
        "acronym": "Jimbolia Ambulance",
        "project_id": "DEMO-RORS-03",
        "title": "An ambulance for Jimbolia and the villages of the border area",
        "status": "completed",
        "theme": "Emergency care",
        "regions": ["Timiș", "Srednje Banatski"],
        "start_date": "2021-01-01",
        "end_date": "2023-06-30",
        "budget_eur": "210 000",
        "stand": 5,
        "description": (
            "The local public administrations of Jimbolia acquired an ambulance that serves the "
            "city and the surrounding villages in the Romanian–Serbian border area."
        ),
        "partners": [
            {"role": "lead", "name": "Jimbolia Town Hall", "address": "Jimbolia, Romania"}
        ],
    },
]


def load(*, event: Event) -> None:
    """Import the demo projects through the same checks as ``import_projects``."""
    projects_import(event_id=event.pk, rows=parse_json(json.dumps(PROJECTS)))
