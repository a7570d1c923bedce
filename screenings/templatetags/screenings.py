"""``{% attendee_screenings attendee as data %}`` for the ticket page's section."""

from django import template

from screenings.models import Service
from screenings.selectors.access import access_appointment_health_data
from screenings.selectors.appointments import queue_entries_for_attendee

register = template.Library()


@register.simple_tag
def attendee_screenings(attendee) -> dict:
    return {
        "offered": Service.objects.filter(event_id=attendee.event_id).exists(),
        "appointments": access_appointment_health_data(
            attendee=attendee, what="ticket page", active_only=True
        ),
        "queue_entries": queue_entries_for_attendee(attendee_id=attendee.pk),
    }
