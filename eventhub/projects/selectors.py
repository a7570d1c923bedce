"""Reads of the project directory: the public list, one project, the stamp
card of a ticket, and visits per stand for the report."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from eventhub.projects.models import Partner, Project, StandVisit


def project_list(
    *, event_id: int, query: str = "", theme: str = "", region: str = ""
) -> list[Project]:
    """The event's projects, by stand, filtered by words, theme and region."""
    projects = Project.objects.filter(event_id=event_id)
    if theme:
        projects = projects.filter(theme=theme)
    for word in query.split()[:6]:
        matching = Project.objects.filter(
            Q(title__icontains=word)
            | Q(acronym__icontains=word)
            | Q(project_id__icontains=word)
            | Q(summary__icontains=word)
            | Q(description__icontains=word)
            | Q(partners__name__icontains=word)
        )
        projects = projects.filter(pk__in=matching.values("pk"))
    projects = projects.prefetch_related(
        Prefetch("partners", queryset=Partner.objects.order_by("position"))
    )
    # Regions are a JSON list, and JSON containment does not work on
    # SQLite: a fair has a few dozen projects, filtered here.
    return [p for p in projects if not region or region in p.regions]


def project_facets(*, event_id: int) -> dict[str, list[str]]:
    """The themes and regions to filter by, sorted."""
    themes, regions = set(), set()
    for theme, names in Project.objects.filter(event_id=event_id).values_list("theme", "regions"):
        if theme:
            themes.add(theme)
        regions.update(names or [])
    return {"themes": sorted(themes), "regions": sorted(regions)}


def project_get(*, event_id: int, slug: str) -> Project | None:
    return (
        Project.objects.filter(event_id=event_id, slug=slug)
        .select_related("event")
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.order_by("position")))
        .first()
    )


@dataclass(frozen=True)
class Stamp:
    project: Project
    collected: bool


def stamp_card(*, event_id: int, ticket_id: int) -> list[Stamp]:
    """Every stand of the event, with whether this ticket collected it."""
    visited = set(
        StandVisit.objects.filter(ticket_id=ticket_id, project__event_id=event_id).values_list(
            "project_id", flat=True
        )
    )
    return [
        Stamp(project=p, collected=p.pk in visited)
        for p in Project.objects.filter(event_id=event_id, stand__isnull=False).order_by("stand")
    ]


def stand_visit_counts(*, event_id: int) -> list[tuple[Project, int]]:
    """Visits per stand, by stand number: counts only, nobody named."""
    projects = (
        Project.objects.filter(event_id=event_id, stand__isnull=False)
        .annotate(visit_count=Count("visits"))
        .order_by("stand")
    )
    return [(p, p.visit_count) for p in projects]


def stamp_data_export(*, attendee_id: int) -> dict:
    """The stands a person stamped, for their "download everything" file
    (``registrations.hooks.DATA_EXPORT``)."""
    visits = StandVisit.objects.filter(ticket__attendee_id=attendee_id).select_related("project")
    return {
        "stand_stamps": [
            {"stand": v.project.stand, "project": v.project.acronym, "at": v.at.isoformat()}
            for v in visits
        ]
    }
