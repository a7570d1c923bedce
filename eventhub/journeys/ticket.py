"""The screenings' part of the attendee's ticket e-mail: one booking link per
service that still has free places (plugged into ``hooks.TICKET_LINKS``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from registrations.models import Attendee
from screenings.selectors.offer import screening_offer
from screenings.templatetags.screenings import lower_first


def screening_booking_links(*, attendee: Attendee) -> list[tuple[str, str]]:
    """("Book a free thyroid ultrasound", "/t/<manage key>/screenings/T/"), ..."""
    return [
        (
            _("Book a free %(service)s") % {"service": lower_first(item.service.name)},
            reverse("screenings:book", args=[attendee.ticket.manage_key, item.service.code]),
        )
        for item in screening_offer(event_id=attendee.event_id, attendee_id=attendee.pk)
        if item.free and not item.booked
    ]
