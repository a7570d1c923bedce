"""Links that leave the browser (e-mails, PDFs, .ics, certificate QR codes)
point at the site actually served: ``SITE_URL`` when set, else, in
development, the host and port the request came to; ``make run`` sets
``SITE_URL`` to the port it serves, so its background worker agrees."""

import io
import os
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from registrations.models import TrainingBooking
from registrations.services.attendees import attendee_register
from registrations.services.training import certificate_issue, training_booking_create
from tests.factories import AttendeeFactory, EventFactory
from tests.pdf_tools import decode_pdf_qr, needs_poppler
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SERVED = "127.0.0.1:8123"


def pdf_text(data: bytes) -> str:
    return " ".join(PdfReader(io.BytesIO(data)).pages[0].extract_text().split())


@pytest.fixture
def development(settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]


def test_in_development_the_ics_links_to_the_port_served(client, development):
    code = AttendeeFactory().ticket.manage_key
    ics = client.get(f"/t/{code}/event.ics", HTTP_HOST=SERVED).content.decode()
    unfolded = ics.replace("\r\n ", "")
    assert f"URL:http://{SERVED}/t/{code}/" in unfolded
    assert f"@{SERVED}" in unfolded
    assert "127.0.0.1:8000" not in unfolded

    # The printed ticket is shown at the gate: it carries no link with the key.
    pdf = client.get(f"/t/{code}/ticket.pdf", HTTP_HOST=SERVED).content
    assert code not in pdf_text(pdf).replace(" ", "")


@needs_poppler
def test_in_development_the_certificate_qr_opens_the_port_served(client, development, tmp_path):
    session = TrainingSessionFactory()
    attendee = AttendeeFactory(event=session.module.event)
    booking = training_booking_create(attendee_id=attendee.pk, session_id=session.pk).booking
    TrainingBooking.objects.filter(pk=booking.pk).update(checked_in_at=session.starts_at)
    certificate = certificate_issue(booking_id=booking.pk, send_email=False)
    url = f"/t/{attendee.ticket.manage_key}/training/certificates/{certificate.code}.pdf"
    pdf = client.get(url, HTTP_HOST=SERVED).content
    assert decode_pdf_qr(pdf, tmp_path) == [f"http://{SERVED}/certificates/{certificate.code}/"]


def test_with_site_url_every_link_of_the_ticket_email_uses_it(
    settings, client, mailoutbox, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://fair.example.org"
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        attendee = attendee_register(
            event_id=event.pk, first_name="Ioana", last_name="Pop", email="i@example.org"
        ).attendee
    (message,) = mailoutbox
    code = attendee.ticket.manage_key
    html, _ = message.alternatives[0]
    for body in (message.body, html):
        assert f"https://fair.example.org/t/{code}/" in body
        assert "127.0.0.1" not in body
    attachments = {name: content for name, content, _mime in message.attachments}
    ics = attachments["event.ics"]
    ics = (ics.decode() if isinstance(ics, bytes) else ics).replace("\r\n ", "")
    assert f"URL:https://fair.example.org/t/{code}/" in ics
    pdf = next(content for name, content in attachments.items() if name.endswith(".pdf"))
    assert code not in pdf_text(pdf).replace(" ", "")  # the PDF is shown at the gate
    # A forged Host header never reaches a link once SITE_URL is set.
    ics = client.get(f"/t/{code}/event.ics", HTTP_HOST="testserver").content.decode()
    assert "URL:https://fair.example.org/" in ics.replace("\r\n ", "")


def test_make_run_gives_its_worker_and_server_the_port_it_serves():
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    shown = subprocess.run(
        ["make", "-n", "run", "HOST=127.0.0.1", "PORT=8123"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Links in e-mails and PDFs: http://127.0.0.1:8123" in shown
    configured = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=ROOT,
        env={**env, "SITE_URL": "https://fair.example.org"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Links in e-mails and PDFs: https://fair.example.org" in configured
