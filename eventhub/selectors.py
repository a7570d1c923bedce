"""Read queries of the core: public events and kiosk look-ups."""

from django.db.models import QuerySet

from eventhub.models import Event, Kiosk


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
