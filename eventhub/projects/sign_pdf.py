"""The printable stand sign: a pure function of a project, rendered by
WeasyPrint (A4, DejaVu Sans). Its QR code opens the project's page and
carries the stand's stamp code, which a visitor's ticket page reads to
stamp their card (docs/projects.md)."""

import base64

import qrcode
import qrcode.constants
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from qrcode.image.svg import SvgPathImage

from eventhub.projects.models import Project
from eventhub.projects.services import STAMP_PARAMETER


def stand_url(project: Project) -> str:
    """The address in the stand's QR code."""
    return f"{settings.SITE_URL}{project.get_absolute_url()}?{STAMP_PARAMETER}={project.stamp_code}"


def _qr_data_uri(payload: str) -> str:
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2)
    qr.add_data(payload)
    qr.make(fit=True)
    svg = qr.make_image(image_factory=SvgPathImage).to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")


def stand_sign_pdf(project: Project, *, language: str | None = None) -> bytes:
    """The stand sign as PDF bytes, in ``language`` (default: the active one)."""
    # Imported here: WeasyPrint loads pango and fonts (~0.3 s).
    from weasyprint import HTML

    with translation.override(language or translation.get_language()):
        html = render_to_string(
            "projects/stand_sign_pdf.html",
            {
                "project": project,
                "event": project.event,
                "url": stand_url(project),
                "qr_data_uri": _qr_data_uri(stand_url(project)),
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
