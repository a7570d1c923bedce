"""``{% attendee_screenings attendee as data %}`` for the ticket page's section."""

from django import template

from screenings.models import Service
from screenings.selectors.appointments import appointments_for_attendee, queue_entries_for_attendee

register = template.Library()


@register.simple_tag
def attendee_screenings(attendee) -> dict:
    return {
        "offered": Service.objects.filter(event_id=attendee.event_id).exists(),
        "appointments": list(appointments_for_attendee(attendee_id=attendee.pk, active_only=True)),
        "queue_entries": queue_entries_for_attendee(attendee_id=attendee.pk),
    }
