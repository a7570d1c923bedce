"""Read queries of the core: public events, kiosk look-ups, the organizer's
lists, the people a fair holds."""

import datetime as dt
from collections.abc import Callable

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


# --- The people a fair holds ----------------------------------------------------

PeopleCount = Callable[..., int]
_people_kinds: dict[str, tuple[str, PeopleCount]] = {}


def event_people_register(key: str, label, count: PeopleCount) -> None:
    """Name a kind of people an app keeps about a fair: ``count(*, event_id)
    -> int`` (every row, erased or cancelled ones too) and ``label`` (a
    plural, for the admin).

    The core rules on a whole fair (who may delete it) without importing the
    apps that keep its people; each registers its kinds from its
    ``AppConfig.ready``. Registering a key again replaces it.
    """
    _people_kinds[key] = (label, count)


def event_people(*, event_id: int) -> list[tuple[str, int]]:
    """The people the fair holds, ``(label, count)`` by kind; kinds with
    nobody are left out."""
    found = [(label, count(event_id=event_id)) for label, count in _people_kinds.values()]
    return [(label, n) for label, n in found if n]


def event_delete_blockers(*, user, event_id: int) -> list[tuple[str, int]]:
    """The people that keep ``user`` from deleting the fair: none for a
    superuser; for anybody else, every person the fair holds.

    A fair that has people is deleted only by a superuser (docs/privacy.md,
    "Deleting in the admin"); organizers close it instead, and the retention
    purge anonymises its people.
    """
    if getattr(user, "is_superuser", False):
        return []
    return event_people(event_id=event_id)
