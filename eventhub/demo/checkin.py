"""Demo check-ins: a few visitors already through the North entrance, so the
attendance page and the stats socket show something."""

from django.contrib.auth import get_user_model

from eventhub.core.models import Event
from registrations.models import Attendee, CheckIn
from registrations.services.checkin import ticket_check_in

DEMO_GATE = "North entrance"


def load(*, event: Event, count: int = 3) -> None:
    if CheckIn.objects.filter(event=event).exists():
        return
    volunteer = get_user_model().objects.filter(username="volunteer").first()
    attendees = (
        Attendee.objects.filter(event=event, status=Attendee.Status.CONFIRMED)
        .select_related("ticket")
        .order_by("created_at", "pk")[:count]
    )
    for attendee in attendees:
        ticket_check_in(
            event_id=event.pk,
            payload=attendee.ticket.qr_payload,
            gate=DEMO_GATE,
            device="demo",
            user=volunteer,
        )
