"""Template tags for the training sections included in other apps' pages."""

from django import template

from registrations.selectors.training import (
    training_bookings_for_attendee,
    training_modules_for_event,
)

register = template.Library()


@register.simple_tag
def training_bookings_for(attendee):
    """The attendee's active bookings and those holding a certificate."""
    return [
        b
        for b in training_bookings_for_attendee(attendee_id=attendee.pk, include_inactive=True)
        if b.booking.is_active or b.certificate
    ]


@register.simple_tag
def training_modules_for(event):
    return training_modules_for_event(event_id=event.pk)
