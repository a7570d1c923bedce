"""Tags for the pages that show screenings outside this app's own pages.

``{% attendee_screenings attendee as data %}`` for the ticket page's section,
``{{ name|lower_first }}`` to put a service's name inside a sentence.
"""

from django import template

from registrations.models import Attendee
from screenings.models import HealthDataAccess
from screenings.selectors.appointments import appointments_for_attendee, queue_entries_for_attendee
from screenings.selectors.offer import screening_offer
from screenings.services.access import health_access_log

register = template.Library()


@register.simple_tag
def attendee_screenings(attendee, pdf=False) -> dict:
    """The person's queue numbers, appointments and what is left to book.

    ``offer`` holds the services the person has no appointment for;
    ``can_book`` is False unless the registration is confirmed (only then
    does ``appointment_book`` accept a booking). Showing appointments or
    queue numbers is a read of health data by the ticket holder: logged,
    like the screenings pages do.
    """
    offer = screening_offer(event_id=attendee.event_id, attendee_id=attendee.pk)
    appointments = list(appointments_for_attendee(attendee_id=attendee.pk, active_only=True))
    queue_entries = queue_entries_for_attendee(attendee_id=attendee.pk)
    if appointments or queue_entries:
        health_access_log(
            event_id=attendee.event_id,
            actor="ticket holder",
            action=HealthDataAccess.Action.VIEW,
            what="PDF ticket" if pdf else "ticket page",
            attendee_id=attendee.pk,
        )
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
