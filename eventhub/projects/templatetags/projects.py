"""The stamp card on the ticket page (``projects/_ticket_section.html``)."""

from django import template

from eventhub.projects.selectors import stamp_card

register = template.Library()


@register.simple_tag
def stamp_card_for(ticket):
    """{"stamps", "collected", "total"} for the ticket's event, or None
    when the fair has no stands."""
    stamps = stamp_card(event_id=ticket.attendee.event_id, ticket_id=ticket.pk)
    if not stamps:
        return None
    return {
        "stamps": stamps,
        "collected": sum(s.collected for s in stamps),
        "total": len(stamps),
    }
