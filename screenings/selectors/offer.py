"""What a fair offers to book: its services with their free places.

Read by the event page (everyone) and the ticket page (one attendee, with
what they have booked already). Counts only upcoming slots: a slot that has
started can no longer be booked online.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from screenings.models import Appointment, Service


@dataclass(frozen=True)
class OfferItem:
    service: Service
    free: int
    next_free_at: dt.datetime | None
    booked: bool = False


def screening_offer(*, event_id: int, attendee_id: int | None = None) -> list[OfferItem]:
    """The event's services in page order, with free upcoming places.

    With ``attendee_id``, ``booked`` tells whether that person holds an
    active appointment for the service. Two queries.
    """
    now = timezone.now()
    upcoming = Q(slots__starts_at__gt=now)
    services = (
        Service.objects.filter(event_id=event_id)
        .annotate(
            free_places=Coalesce(
                Sum(F("slots__capacity") - F("slots__booked_count"), filter=upcoming), 0
            ),
            next_free_at=Min(
                "slots__starts_at",
                filter=upcoming & Q(slots__booked_count__lt=F("slots__capacity")),
            ),
        )
        .order_by("position", "code")
    )
    booked = set()
    if attendee_id is not None:
        booked = set(
            Appointment.objects.filter(
                attendee_id=attendee_id, status=Appointment.Status.BOOKED
            ).values_list("service_id", flat=True)
        )
    return [
        OfferItem(
            service=service,
            free=service.free_places,
            next_free_at=service.next_free_at,
            booked=service.pk in booked,
        )
        for service in services
    ]
