"""The consultation's section of the ticket page."""

from django import template

from eventhub.consultation.selectors import answered_surveys, surveys_for_event

register = template.Library()


@register.simple_tag
def consultation_for(ticket):
    """[(survey, answered)] of the ticket's event."""
    answered = answered_surveys(ticket_id=ticket.pk)
    return [
        (survey, survey.pk in answered)
        for survey in surveys_for_event(event_id=ticket.attendee.event_id)
    ]
