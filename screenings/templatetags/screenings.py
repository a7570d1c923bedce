"""Tags for the pages that show screenings outside this app's own pages.

``{% attendee_screenings attendee as data %}`` for the ticket page's section,
``{{ name|lower_first }}`` to put a service's name inside a sentence.
"""

from django import template

from registrations.models import Attendee
from screenings.selectors.appointments import appointments_for_attendee, queue_entries_for_attendee
from screenings.selectors.offer import screening_offer

register = template.Library()


@register.simple_tag
def attendee_screenings(attendee) -> dict:
    """The person's queue numbers, appointments and what is left to book.

    ``offer`` holds the services the person has no appointment for;
    ``can_book`` is False unless the registration is confirmed (only then
    does ``appointment_book`` accept a booking).
    """
    offer = screening_offer(event_id=attendee.event_id, attendee_id=attendee.pk)
    return {
        "offered": bool(offer),
        "offer": [item for item in offer if not item.booked],
        "can_book": attendee.status == Attendee.Status.CONFIRMED,
        "appointments": list(appointments_for_attendee(attendee_id=attendee.pk, active_only=True)),
        "queue_entries": queue_entries_for_attendee(attendee_id=attendee.pk),
    }


@register.filter
def lower_first(name: str) -> str:
    """ "Thyroid ultrasound" -> "thyroid ultrasound"; "PAP test" stays."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name
