"""A name with emoji prints as emoji on the PDF ticket, not as empty boxes.

The glyphs come from Noto Color Emoji (Debian's fonts-noto-color-emoji,
installed by .ci/run), which fontconfig falls back to from DejaVu Sans.
"""

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from registrations.models import Attendee
from registrations.ticket_pdf import ticket_pdf
from tests.factories import AttendeeFactory

pytestmark = pytest.mark.django_db


def emoji_font_installed() -> bool:
    if shutil.which("fc-list") is None:
        return False
    fonts = subprocess.run(["fc-list"], capture_output=True, text=True, check=True).stdout
    return "Noto Color Emoji" in fonts


def embedded_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.skipif(not emoji_font_installed(), reason="fonts-noto-color-emoji is not installed")
def test_an_emoji_in_the_name_is_drawn_with_the_emoji_font():
    attendee = AttendeeFactory(first_name="Ana 🌻", last_name="Mureșan")
    attendee = Attendee.objects.select_related("event", "ticket").get(pk=attendee.pk)
    fonts = embedded_fonts(ticket_pdf(attendee.ticket))
    assert any("Noto-Color-Emoji" in name for name in fonts), fonts
