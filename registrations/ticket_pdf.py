"""The printable ticket: a pure function of a ticket, rendered by WeasyPrint.

The template is ``templates/registrations/ticket_pdf.html`` (A6 by default,
A4 on request) with ``font-family: "DejaVu Sans"`` so Romanian and Serbian
diacritics render and extract correctly. Call it from a background task or
a download view, never from the registration request.
"""

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from eventhub.core.links import absolute_url
from registrations.models import Ticket
from registrations.qr import qr_svg
from registrations.ticket_sections import ticket_sections

PAGE_SIZES = ("A6", "A4")


def ticket_pdf_html(ticket: Ticket, *, size: str = "A6") -> str:
    """The ticket as HTML for WeasyPrint, in the active language."""
    attendee = ticket.attendee
    svg = qr_svg(ticket.qr_payload, border=2)
    return render_to_string(
        "registrations/ticket_pdf.html",
        {
            "ticket": ticket,
            "attendee": attendee,
            "event": attendee.event,
            "size": size if size in PAGE_SIZES else "A6",
            "qr_data_uri": "data:image/svg+xml;base64,"
            + base64.b64encode(svg.encode()).decode("ascii"),
            "manage_url": absolute_url(f"/t/{ticket.code}/"),
            "sections": ticket_sections(),
            "pdf": True,
        },
    )


def ticket_pdf(ticket: Ticket, *, size: str = "A6", language: str | None = None) -> bytes:
    """Render the ticket as PDF bytes, in ``language`` (default: the attendee's)."""
    # Imported here: WeasyPrint loads pango and fonts, which costs ~0.3 s that
    # processes never rendering a PDF (kiosks, sockets) should not pay.
    from weasyprint import HTML

    with translation.override(language or ticket.attendee.language):
        html = ticket_pdf_html(ticket, size=size)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def ticket_pdf_filename(ticket: Ticket) -> str:
    return f"ticket-{ticket.attendee.event.slug}-{ticket.code[:8].lower()}.pdf"
