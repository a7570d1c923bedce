"""Writes of the project directory: importing projects, stamping a visit."""

import re
from urllib.parse import parse_qs, urlsplit

from django.db import IntegrityError, transaction

from eventhub.projects.exceptions import StampCodeUnknown
from eventhub.projects.importing import ProjectRow
from eventhub.projects.models import Partner, Project, StandVisit

STAMP_PARAMETER = "stamp"


@transaction.atomic
def projects_import(*, event_id: int, rows: list[ProjectRow]) -> tuple[int, int]:
    """Create or update the event's projects from checked rows (matched by
    project ID); a project's partners are replaced by the file's. Return
    (created, updated). All or nothing: any database error rolls back the lot.
    """
    created = updated = 0
    incoming_stands = {row.stand for row in rows if row.stand is not None}
    incoming_ids = {row.project_id for row in rows}
    # A stand moving to another project: free it first, so the unique
    # constraint holds at every step.
    Project.objects.filter(event_id=event_id, stand__in=incoming_stands).exclude(
        project_id__in=incoming_ids
    ).update(stand=None)
    Project.objects.filter(event_id=event_id, project_id__in=incoming_ids).update(stand=None)
    for row in rows:
        project, was_created = Project.objects.update_or_create(
            event_id=event_id,
            project_id=row.project_id,
            defaults={
                "slug": row.slug,
                "acronym": row.acronym,
                "title": row.title,
                "status": row.status,
                "theme": row.theme,
                "regions": row.regions,
                "starts_on": row.starts_on,
                "ends_on": row.ends_on,
                "budget_eur": row.budget_eur,
                "summary": row.summary,
                "description": row.description,
                "activities": row.activities,
                "expected_impact": row.expected_impact,
                "stand": row.stand,
            },
        )
        project.partners.all().delete()
        Partner.objects.bulk_create(
            Partner(
                project=project,
                position=position,
                role=partner.role,
                name=partner.name,
                address=partner.address,
                web=partner.web,
                funding_eur=partner.funding_eur,
            )
            for position, partner in enumerate(row.partners)
        )
        created += was_created
        updated += not was_created
    return created, updated


def stamp_code_from_scan(text: str) -> str:
    """The stamp code in a scanned stand QR (a project page URL carrying
    ``?stamp=``) or in what a visitor typed from the sign."""
    text = (text or "").strip()
    if "://" in text or text.startswith("/"):
        values = parse_qs(urlsplit(text).query).get(STAMP_PARAMETER) or [""]
        text = values[0]
    return re.sub(r"[\s-]", "", text).upper()[:12]


def stand_visit_record(*, event_id: int, ticket_id: int, scanned: str) -> tuple[Project, bool]:
    """Stamp the ticket's card at the stand whose code was scanned or typed.

    Return (project, True) for a new stamp, (project, False) when the card
    holds it already. Raise StampCodeUnknown.
    """
    code = stamp_code_from_scan(scanned)
    project = Project.objects.filter(event_id=event_id, stamp_code=code).first() if code else None
    if project is None:
        raise StampCodeUnknown()
    try:
        with transaction.atomic():
            _, created = StandVisit.objects.get_or_create(project=project, ticket_id=ticket_id)
    except IntegrityError:
        # Two scans of the same stand at once: the other one stamped it.
        created = False
    return project, created
