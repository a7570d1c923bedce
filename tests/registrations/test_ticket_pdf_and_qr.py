"""Register → ticket page → PDF; the printed QR decodes back to the ticket's payload."""

import io

import PIL.Image
import pytest
import zxingcpp
from pypdf import PdfReader

from registrations.models import Attendee
from registrations.qr import qr_png, qr_svg
from registrations.ticket_codes import parse_scan
from registrations.ticket_pdf import ticket_pdf
from tests.factories import AttendeeFactory, RegionFactory
from tests.pdf_tools import decode_pdf_qr, needs_poppler

pytestmark = pytest.mark.django_db


@needs_poppler
def test_register_then_ticket_page_then_pdf_whose_qr_decodes_to_the_payload(
    client, api_client, event, tmp_path
):
    region = RegionFactory(programme=event.programme)
    created = api_client.post(
        f"/api/v1/events/{event.slug}/registrations/",
        {
            "first_name": "Ana-Maria",
            "last_name": "Țurcanu",
            "email": "ana@example.org",
            "region": region.pk,
            "consent": True,
        },
        format="json",
    ).json()
    ticket = Attendee.objects.get(pk=created["id"]).ticket

    page = client.get(f"/t/{ticket.manage_key}/")
    assert page.status_code == 200
    assert "Ana-Maria Țurcanu" in page.content.decode()
    assert f"/t/{ticket.manage_key}/ticket.pdf" in page.content.decode()

    for url in (f"/t/{ticket.manage_key}/ticket.pdf", created["ticket"]["pdf_url"]):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        pdf = b"".join(response) if response.streaming else response.content
        assert pdf.startswith(b"%PDF")
        assert decode_pdf_qr(pdf, tmp_path) == [ticket.qr_payload]
        # Printed tickets are shown at the gate: the manage key is nowhere on them.
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert ticket.manage_key not in ticket.qr_payload and ticket.manage_key not in text
        for leftover in tmp_path.iterdir():
            leftover.unlink()
    assert parse_scan(ticket.qr_payload).code == ticket.code


@pytest.mark.parametrize("size", ["A6", "A4"])
def test_the_pdf_keeps_romanian_and_serbian_diacritics(size):
    attendee = AttendeeFactory(
        first_name="Ștefan Țiței", last_name="Đorđević-Čučković Žąšćă", language="sr-latn"
    )
    attendee.event.name = "Ziua Cooperării — Timișoara, Piața Libertății"
    attendee.event.save()
    attendee = Attendee.objects.select_related("event", "ticket").get(pk=attendee.pk)
    reader = PdfReader(io.BytesIO(ticket_pdf(attendee.ticket, size=size)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1
    assert "Ștefan Țiței" in text
    assert "Đorđević-Čučković" in text
    assert "Ziua Cooperării" in text and "Timișoara" in text
    assert "Kategorija" in text or "Category" in text
    width_mm = float(reader.pages[0].mediabox.width) / 72 * 25.4
    assert round(width_mm) == (105 if size == "A6" else 210)


@needs_poppler
def test_the_printed_qr_of_a_waitlisted_ticket_still_decodes(tmp_path):
    attendee = AttendeeFactory(status=Attendee.Status.WAITLISTED, confirmed_at=None)
    assert decode_pdf_qr(ticket_pdf(attendee.ticket), tmp_path) == [attendee.ticket.qr_payload]


def test_qr_png_and_svg_decode_to_the_payload():
    payload = "EH1:7:ABCDEFGHIJKLMNOPQRSTUVWXYZ234567:ABCDEFGHIJKLMNOP"
    image = PIL.Image.open(io.BytesIO(qr_png(payload)))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [payload]
    assert qr_svg(payload).startswith("<svg")


def test_the_ticket_api_answers_with_the_ticket_and_404_for_unknown_codes(api_client):
    attendee = AttendeeFactory()
    code, key = attendee.ticket.code, attendee.ticket.manage_key
    body = api_client.get(f"/api/v1/tickets/{key}/").json()
    assert body["code"] == code and body["manage_key"] == key and body["status"] == "confirmed"
    assert body["qr_payload"] == attendee.ticket.qr_payload
    assert body["attendee"]["first_name"] == attendee.first_name
    assert body["event"]["slug"] == attendee.event.slug
    missing = api_client.get("/api/v1/tickets/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "ticket_not_found"
    assert api_client.get("/api/v1/tickets/not-a-code/pdf").status_code == 404


def test_the_ticket_page_opens_with_the_manage_key_and_never_with_the_code(client):
    attendee = AttendeeFactory()
    ticket = attendee.ticket
    assert client.get(f"/t/{ticket.manage_key}/").status_code == 200
    for typed in (ticket.code, ticket.code.lower(), ticket.code_for_humans, "WRONG"):
        assert client.get(f"/t/{typed}/").status_code == 404
    assert client.get(f"/t/{ticket.manage_key.swapcase()}/").status_code == 404
