"""The certificate of participation as a one-page PDF (WeasyPrint).

A pure function of a certificate: name, module, date, trainers, hours, the
verification code and a QR code opening the public verification page.
"""

import base64
import io

import qrcode
import qrcode.constants
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from eventhub.core.links import absolute_url
from registrations.models import Certificate


def verification_url(certificate: Certificate) -> str:
    return absolute_url(certificate.get_absolute_url())


def qr_data_uri(text: str) -> str:
    """A PNG QR code as a data URI; medium error correction survives a crease."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
    code.add_data(text)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def certificate_context(certificate: Certificate) -> dict:
    booking = certificate.booking
    session = booking.session
    url = verification_url(certificate)
    return {
        "certificate": certificate,
        "attendee": booking.attendee,
        "session": session,
        "module": session.module,
        "event": session.module.event,
        "verification_url": url,
        "qr": qr_data_uri(url),
    }


def render_certificate_pdf(certificate: Certificate, language: str | None = None) -> bytes:
    """Render the certificate in ``language`` (default: the attendee's)."""
    language = language or certificate.booking.attendee.language or settings.LANGUAGE_CODE
    with translation.override(language):
        html = render_to_string(
            "registrations/training/certificate_pdf.html", certificate_context(certificate)
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def certificate_filename(certificate: Certificate) -> str:
    return f"certificate-{certificate.code[:8].lower()}.pdf"
