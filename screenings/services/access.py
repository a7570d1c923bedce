"""The health-data access log: every read or change of screening data."""

from screenings.models import HealthDataAccess

Action = HealthDataAccess.Action


def health_access_log(
    *,
    event_id: int,
    actor: str,
    action: str,
    what: str,
    user=None,
    attendee_id: int | None = None,
    service_id: int | None = None,
) -> HealthDataAccess:
    """Record one access. ``actor``: "ticket holder", "doctor" or "organizer"."""
    return HealthDataAccess.objects.create(
        event_id=event_id,
        user=user if getattr(user, "is_authenticated", False) else None,
        actor=actor,
        action=action,
        what=what[:200],
        attendee_id=attendee_id,
        service_id=service_id,
    )
