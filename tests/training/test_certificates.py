"""Certificates of participation: issued to checked-in people, one page with
the right text and diacritics, a QR that opens the verification page, and a
verification page that rejects altered codes."""

import io

import pytest
from django.core import mail
from django.utils import timezone
from pypdf import PdfReader

from eventhub.core.exceptions import DomainError
from eventhub.core.links import absolute_url
from registrations.certificate_pdf import render_certificate_pdf
from registrations.models import Certificate, TrainingBooking
from registrations.services.training import (
    certificate_issue,
    certificates_issue_bulk,
    training_booking_create,
)
from tests.pdf_tools import decode_pdf_qr, needs_poppler

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked_in(session, make_attendee):
    attendee = make_attendee(first_name="Ștefan", last_name="Mureșan-Țurcanu", language="ro")
    booking = training_booking_create(attendee_id=attendee.pk, session_id=session.pk).booking
    TrainingBooking.objects.filter(pk=booking.pk).update(checked_in_at=session.starts_at)
    return booking


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return " ".join(reader.pages[0].extract_text().split())


def test_a_certificate_needs_a_check_in(session, make_attendee):
    booking = training_booking_create(attendee_id=make_attendee().pk, session_id=session.pk).booking
    with pytest.raises(DomainError) as exc:
        certificate_issue(booking_id=booking.pk)
    assert exc.value.code == "not_checked_in"


def test_issuing_emails_the_pdf_once(checked_in, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = certificate_issue(booking_id=checked_in.pk)
    with django_capture_on_commit_callbacks(execute=True):
        again = certificate_issue(booking_id=checked_in.pk)
    assert first.pk == again.pk
    assert len(first.code) == 32  # 160 random bits in base32
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [checked_in.attendee.email]
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    assert f"/certificates/{first.code}/" in message.body
    first.refresh_from_db()
    assert first.emailed_at is not None


def test_the_pdf_names_person_module_trainers_hours_and_code_with_diacritics(checked_in):
    certificate = certificate_issue(booking_id=checked_in.pk, send_email=False)
    text = pdf_text(render_certificate_pdf(certificate, language="en"))
    assert "Certificate of participation" in text
    assert "Ștefan Mureșan-Țurcanu" in text
    assert "We can all save lives — basic life support" in text
    assert "AUREL MOGOȘANU" in text
    assert "Pius Brînzeu" in text and "Timișoara" in text
    assert "1.5 hours" in text
    assert certificate.code_for_humans in text


def test_the_pdf_speaks_the_attendees_language(checked_in):
    certificate = certificate_issue(booking_id=checked_in.pk, send_email=False)
    text = pdf_text(render_certificate_pdf(certificate))  # the attendee's: Romanian
    assert "Certificat de participare" in text


@needs_poppler
def test_the_qr_on_the_certificate_opens_the_verification_page(checked_in, tmp_path):
    certificate = certificate_issue(booking_id=checked_in.pk, send_email=False)
    results = decode_pdf_qr(render_certificate_pdf(certificate), tmp_path)
    assert results == [absolute_url(f"/certificates/{certificate.code}/")]


def test_the_verification_page_says_a_genuine_certificate_is_genuine(client, checked_in):
    certificate = certificate_issue(booking_id=checked_in.pk, send_email=False)
    response = client.get(f"/certificates/{certificate.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This certificate is genuine." in html
    assert "Ștefan Mureșan-Țurcanu" in html
    assert "We can all save lives — basic life support" in html
    # The code as printed under the QR (groups of four, lower case) is accepted too.
    assert client.get(f"/certificates/{certificate.code_for_humans.lower()}/").status_code == 200


@pytest.mark.parametrize("change", ["last-char", "first-char", "truncate", "garbage"])
def test_an_altered_verification_code_is_rejected(client, checked_in, change):
    code = certificate_issue(booking_id=checked_in.pk, send_email=False).code
    swap = {"A": "B"}.get(code[-1], "A")
    tampered = {
        "last-char": code[:-1] + swap,
        "first-char": ("B" if code[0] == "A" else "A") + code[1:],
        "truncate": code[:-1],
        "garbage": "<img src=x onerror=alert(1)>",
    }[change]
    response = client.get(f"/certificates/{tampered}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "No certificate has this code." in html
    assert "Ștefan" not in html and "<img src=x" not in html


def test_bulk_issue_covers_everyone_checked_in_and_reports_progress(
    staff_client, event, session, make_attendee, django_capture_on_commit_callbacks
):
    for n in range(3):
        booking = training_booking_create(
            attendee_id=make_attendee().pk, session_id=session.pk
        ).booking
        if n < 2:
            TrainingBooking.objects.filter(pk=booking.pk).update(checked_in_at=timezone.now())
    client = staff_client(event, "organizer")
    url = f"/api/v1/training-sessions/{session.pk}/certificates/"
    assert client.get(url).json() == {"eligible": 2, "issued": 0, "emailed": 0, "percent": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 202  # the task runs in-process in tests
    assert client.get(url).json() == {"eligible": 2, "issued": 2, "emailed": 2, "percent": 100}
    assert certificates_issue_bulk(session_id=session.pk) == 0
    volunteer = staff_client(event, "volunteer")
    assert volunteer.get(url).status_code == 200
    assert volunteer.post(url).status_code == 403


def test_the_holder_downloads_the_certificate_from_the_ticket_pages(
    client, checked_in, make_attendee
):
    certificate = certificate_issue(booking_id=checked_in.pk, send_email=False)
    code = checked_in.attendee.ticket.manage_key
    page = client.get(f"/t/{code}/training/").content.decode()
    pdf_url = f"/t/{code}/training/certificates/{certificate.code}.pdf"
    assert pdf_url in page
    response = client.get(pdf_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    stranger = make_attendee().ticket.manage_key
    assert (
        client.get(f"/t/{stranger}/training/certificates/{certificate.code}.pdf").status_code == 404
    )
    assert Certificate.objects.count() == 1


def test_the_cron_command_issues_certificates_after_the_session_ends(
    module, make_attendee, capsys, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.core.management import call_command

    from tests.training.factories import TrainingSessionFactory

    ended = TrainingSessionFactory(
        module=module,
        starts_at=timezone.now() - dt.timedelta(hours=3),
        booking_closes_minutes=0,
    )
    booking = TrainingBooking.objects.create(
        session=ended,
        module=module,
        attendee=make_attendee(),
        status="confirmed",
        confirmed_at=ended.starts_at,
        checked_in_at=ended.starts_at,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("training_issue_certificates")
        call_command("training_issue_certificates")
    assert capsys.readouterr().out.splitlines() == [
        "Certificates issued: 1",
        "Certificates issued: 0",
    ]
    assert Certificate.objects.get().booking == booking
    assert len(mail.outbox) == 1
