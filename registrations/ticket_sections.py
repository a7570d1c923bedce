"""Sections other features add to the ticket page and the PDF ticket.

Every section template is rendered with ``ticket``, ``attendee``, ``event``
and ``pdf`` (True inside the PDF ticket, False on the web page); in the PDF
it shows only what the attendee holds, without buttons. Training is this
app's own; the apps above add theirs through ``hooks.TICKET_SECTIONS``.
"""

from registrations import hooks

OWN_SECTIONS = (
    "registrations/groups/_ticket_section.html",  # the group's contact only
    "registrations/training/_ticket_section.html",
)


def ticket_sections() -> tuple[str, ...]:
    """The section templates, in page order."""
    return (*OWN_SECTIONS, *hooks.TICKET_SECTIONS)
