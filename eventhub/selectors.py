"""Read queries of the core: public events, kiosk look-ups, the organizer's lists."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from eventhub.models import AuditLog, Event, Kiosk, StaffRole


def event_list_public() -> QuerySet[Event]:
    return Event.objects.filter(
        status__in=[Event.Status.PUBLISHED, Event.Status.CLOSED]
    ).select_related("programme")


def event_get_public(*, slug: str) -> Event | None:
    return event_list_public().filter(slug=slug).first()


def kiosk_for_token(*, token: str, kinds: tuple[str, ...] = ()) -> Kiosk | None:
    """The active kiosk with this token (of one of ``kinds`` if given), or None.

    Every kiosk page and socket authenticates through this one function.
    """
    if not token or len(token) > 64:
        return None
    kiosk = Kiosk.objects.select_related("event").filter(token=token, active=True).first()
    if kiosk is None or (kinds and kiosk.kind not in kinds):
        return None
    return kiosk


# --- The organizer's pages ----------------------------------------------------

KIOSK_ONLINE_WITHIN = dt.timedelta(minutes=2)


def kiosk_is_online(kiosk: Kiosk, now=None) -> bool:
    """Seen in the last two minutes (pages poll, sockets ping well within that)."""
    now = now or timezone.now()
    return (
        kiosk.active
        and kiosk.last_seen_at is not None
        and now - kiosk.last_seen_at <= KIOSK_ONLINE_WITHIN
    )


def kiosk_list(*, event_id: int) -> list[Kiosk]:
    """The event's kiosks, active first, each with ``is_online`` set."""
    now = timezone.now()
    kiosks = list(Kiosk.objects.filter(event_id=event_id).order_by("-active", "kind", "name"))
    for kiosk in kiosks:
        kiosk.is_online = kiosk_is_online(kiosk, now)
    return kiosks


def staff_role_list(*, event_id: int) -> QuerySet[StaffRole]:
    return (
        StaffRole.objects.filter(event_id=event_id)
        .select_related("user")
        .order_by("role", "user__username")
    )


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    user: str
    action: str
    action_label: str
    attendee_id: int | None
    detail: str


HEALTH_ACTION_PREFIX = "health_"


def audit_action_choices() -> list[tuple[str, str]]:
    """Every action the audit page can filter by: personal data, then health data."""
    from screenings.models import HealthDataAccess

    return [*AuditLog.Action.choices] + [
        (HEALTH_ACTION_PREFIX + value, _("Health data: %(action)s") % {"action": label})
        for value, label in HealthDataAccess.Action.choices
    ]


def audit_entries(*, event_id: int, action: str = "", limit: int = 500) -> list[AuditEntry]:
    """The newest audit rows of the event, personal and health data merged."""
    from screenings.models import HealthDataAccess

    labels = dict(audit_action_choices())
    entries = []
    if not action.startswith(HEALTH_ACTION_PREFIX):
        rows = AuditLog.objects.filter(event_id=event_id).select_related("user")
        if action:
            rows = rows.filter(action=action)
        entries += [
            AuditEntry(
                at=row.at,
                user=row.user.get_username() if row.user else "",
                action=row.action,
                action_label=labels.get(row.action, row.action),
                attendee_id=row.attendee_id,
                detail=row.detail,
            )
            for row in rows.order_by("-at", "-pk")[:limit]
        ]
    if not action or action.startswith(HEALTH_ACTION_PREFIX):
        rows = HealthDataAccess.objects.filter(event_id=event_id).select_related("user")
        if action:
            rows = rows.filter(action=action.removeprefix(HEALTH_ACTION_PREFIX))
        entries += [
            AuditEntry(
                at=row.at,
                user=row.user.get_username() if row.user else row.actor,
                action=HEALTH_ACTION_PREFIX + row.action,
                action_label=labels.get(HEALTH_ACTION_PREFIX + row.action, row.action),
                attendee_id=row.attendee_id,
                detail=row.what,
            )
            for row in rows.order_by("-at", "-pk")[:limit]
        ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]
