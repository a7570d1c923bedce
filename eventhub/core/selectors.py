"""Read queries of the core: public events, kiosk look-ups, the organizer's lists."""

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from eventhub.core.models import Event, Kiosk, StaffRole


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
