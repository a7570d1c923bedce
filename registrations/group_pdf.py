"""The group's PDF: one page for all (the contact shows it), then one ticket a page.

The first page carries the group's gate QR (a link to the staff page that
admits the members) and every member's name and ticket code; the next
pages are the members' own tickets (``ticket_pdf_html``), so each can be
cut out and carried. WeasyPrint, like ``registrations/ticket_pdf.py``.
"""

import base64

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from registrations.models import Group
from registrations.qr import qr_svg
from registrations.ticket_pdf import ticket_pdf_html


def _data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def group_pdf(group: Group, members: list, *, gate_url: str, language: str) -> bytes:
    """Render the group's PDF in ``language``; ``gate_url`` is the group QR's link."""
    from weasyprint import HTML

    with translation.override(language):
        pages = [
            render_to_string(
                "registrations/group_pdf.html",
                {
                    "group": group,
                    "event": group.event,
                    "members": members,
                    "qr_data_uri": _data_uri(qr_svg(gate_url, border=2)),
                },
            ),
            *(ticket_pdf_html(member.ticket) for member in members),
        ]
    documents = [HTML(string=html, base_url=str(settings.BASE_DIR)).render() for html in pages]
    all_pages = [page for document in documents for page in document.pages]
    return documents[0].copy(all_pages).write_pdf()
