"""Tags for the pages that show screenings outside this app's own pages.

``{% attendee_screenings attendee as data %}`` for the ticket page's section,
``{{ name|lower_first }}`` to put a service's name inside a sentence.
"""

from django import template

from registrations.models import Attendee
from screenings.selectors.access import access_appointment_health_data
from screenings.selectors.appointments import queue_entries_for_attendee
from screenings.selectors.offer import screening_offer

register = template.Library()


@register.simple_tag
def attendee_screenings(attendee, pdf=False) -> dict:
    """The person's queue numbers, appointments and what is left to book.

    ``offer`` holds the services the person has no appointment for;
    ``can_book`` is False unless the registration is confirmed (only then
    does ``appointment_book`` accept a booking). Showing appointments is a
    read of health data by the ticket holder, through its access function
    (logged, like the screenings pages).
    """
    offer = screening_offer(event_id=attendee.event_id, attendee_id=attendee.pk)
    appointments = access_appointment_health_data(
        attendee=attendee, what="PDF ticket" if pdf else "ticket page", active_only=True
    )
    queue_entries = queue_entries_for_attendee(attendee_id=attendee.pk)
    return {
        "offered": bool(offer),
        "offer": [item for item in offer if not item.booked],
        "can_book": attendee.status == Attendee.Status.CONFIRMED,
        "appointments": appointments,
        "queue_entries": queue_entries,
    }


@register.filter
def lower_first(name: str) -> str:
    """ "Thyroid ultrasound" -> "thyroid ultrasound"; "PAP test" stays."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name
