"""What a ticket holder does from the ticket page: details, language, cancel, export."""

import json

import pytest
from django.core import mail
from django.utils import translation

from registrations.models import Attendee
from tests.factories import AttendeeFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendee():
    return AttendeeFactory(email="ioana@example.org", language="en")


def page(client, attendee, suffix=""):
    return f"/t/{attendee.ticket.manage_key}/{suffix}"


def test_the_ticket_page_shows_the_qr_calendar_pdf_and_manage_links(client, attendee):
    html = client.get(page(client, attendee)).content.decode()
    assert "<svg" in html and attendee.ticket.code_for_humans in html
    for suffix in ("ticket.pdf", "event.ics", "my-data.json", "contact/", "cancel/"):
        assert page(client, attendee, suffix) in html


def test_the_calendar_file_downloads(client, attendee):
    response = client.get(page(client, attendee, "event.ics"))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content


def test_updating_contact_details_validates_and_saves(client, attendee):
    url = page(client, attendee, "contact/")
    bad = client.post(url, {"first_name": "Ioana", "last_name": "", "email": "x", "phone": ""})
    assert bad.status_code == 400
    assert 'value="x"' in bad.content.decode()
    good = client.post(
        url,
        {
            "first_name": "Ioana",
            "last_name": "Pop",
            "email": "new@example.org",
            "phone": "0722123456",
        },
    )
    assert good.status_code == 302
    attendee.refresh_from_db()
    assert (attendee.last_name, attendee.email, attendee.phone) == (
        "Pop",
        "new@example.org",
        "+40722123456",
    )


def test_an_email_of_another_registration_is_refused(client, attendee):
    AttendeeFactory(event=attendee.event, email="taken@example.org")
    response = client.post(
        page(client, attendee, "contact/"),
        {"first_name": "Ioana", "last_name": "Pop", "email": "taken@example.org"},
    )
    assert response.status_code == 400
    attendee.refresh_from_db()
    assert attendee.email == "ioana@example.org"


def test_changing_language_changes_the_emails_and_the_page(
    client, attendee, django_capture_on_commit_callbacks
):
    response = client.post(page(client, attendee, "language/"), {"language": "ro"})
    assert response.status_code == 302
    attendee.refresh_from_db()
    assert attendee.language == "ro"
    html = client.get(page(client, attendee)).content.decode()
    assert 'lang="ro"' in html
    refused = client.post(page(client, attendee, "language/"), {"language": "xx"})
    assert refused.status_code == 302
    attendee.refresh_from_db()
    assert attendee.language == "ro"


def test_cancelling_asks_first_then_cancels_and_promotes(
    client, django_capture_on_commit_callbacks
):
    event = EventFactory(capacity=1)
    holder = AttendeeFactory(event=event)
    waiting = AttendeeFactory(
        event=event, status=Attendee.Status.WAITLISTED, confirmed_at=None, language="ro"
    )
    confirm = client.get(page(client, holder, "cancel/"))
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    holder.refresh_from_db()
    assert holder.status == Attendee.Status.CONFIRMED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(client, holder, "cancel/"))
    assert response.status_code == 302
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == Attendee.Status.CANCELLED
    assert waiting.status == Attendee.Status.CONFIRMED
    assert [m.to for m in mail.outbox] == [[waiting.email]]
    assert "<svg" not in client.get(page(client, holder)).content.decode()
    assert client.post(page(client, holder, "cancel/")).status_code == 302


def test_download_everything_gives_all_stored_data_as_json(client, attendee):
    response = client.get(page(client, attendee, "my-data.json"))
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["registration"]["email"] == "ioana@example.org"
    assert data["registration"]["terms_accepted_at"]
    assert data["ticket"]["code"] == attendee.ticket.code
    assert data["event"]["slug"] == attendee.event.slug


def test_ticket_pages_are_not_cached_or_leaked_by_referrer(client, attendee):
    response = client.get(page(client, attendee))
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    translation.activate("en")


def test_download_everything_includes_training_seats_and_screening_appointments(client, attendee):
    from registrations.services.training import training_booking_create
    from screenings.services.appointments import appointment_book
    from tests.screenings.helpers import make_service, make_slot
    from tests.training.factories import TrainingSessionFactory

    session = TrainingSessionFactory(
        module__event=attendee.event, module__title="Basic life support"
    )
    training_booking_create(attendee_id=attendee.pk, session_id=session.pk)
    slot = make_slot(make_service(attendee.event, code="T"))
    appointment_book(slot_id=slot.pk, attendee_id=attendee.pk, health_consent=True, age=44)

    data = json.loads(client.get(page(client, attendee, "my-data.json")).content)
    assert [b["module"] for b in data["training_bookings"]] == ["Basic life support"]
    [appointment] = data["screening_appointments"]
    assert appointment["age"] == 44
    assert appointment["health_consent_at"]
