"""The ticket page as the attendee's hub: a way to book each screening, the
appointments and the queue number, in the attendee's language; the same in
the ticket e-mail and the PDF ticket."""

import io
import re
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from pypdf import PdfReader

from eventhub.core.links import absolute_url
from registrations.models import Attendee
from registrations.services.attendees import attendee_register
from registrations.ticket_pdf import ticket_pdf
from screenings.models import HealthDataAccess
from screenings.services.appointments import appointment_book
from screenings.services.queue import queue_join
from tests.factories import AttendeeFactory, EventFactory
from tests.screenings.helpers import make_service, make_slot
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    event = EventFactory(name="Interreg Cooperation Day — Timișoara")
    thyroid = make_service(event, code="T", name="Thyroid ultrasound", position=0)
    breast = make_service(event, code="B", name="Breast cancer screening", position=1)
    return event, thyroid, breast


def ticket_html(client, attendee, **headers) -> str:
    response = client.get(f"/t/{attendee.ticket.manage_key}/", **headers)
    assert response.status_code == 200
    return response.content.decode()


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def book(slot, attendee):
    return appointment_book(slot_id=slot.pk, attendee_id=attendee.pk, health_consent=True)


def test_the_ticket_page_links_to_booking_each_screening_with_free_places(client, fair):
    event, thyroid, breast = fair
    make_slot(thyroid, capacity=3)
    make_slot(breast, capacity=1, in_hours=-2)  # started: no longer bookable online
    attendee = AttendeeFactory(event=event, language="en")

    html = ticket_html(client, attendee)
    code = attendee.ticket.manage_key
    assert f'href="/t/{code}/screenings/T/">Book a free thyroid ultrasound</a>' in html
    assert "3 places free" in html
    assert f"/t/{code}/screenings/B/" not in html
    assert "Breast cancer screening" in html and "All times are taken." in html
    assert client.get(f"/t/{code}/screenings/T/").status_code == 200


def test_the_ticket_page_shows_the_appointment_and_the_queue_number_with_position(client, fair):
    event, thyroid, breast = fair
    slot = make_slot(thyroid, capacity=2)
    make_slot(breast, capacity=2)
    attendee = AttendeeFactory(event=event, language="en")
    book(slot, attendee)
    queue_join(service_id=breast.pk, walk_in={"first_name": "Vasile"})
    number = queue_join(service_id=breast.pk, ticket=attendee.ticket.code).entry.label

    html = ticket_html(client, attendee)
    section = html[html.index('id="screenings"') :]
    assert "Your appointments" in section
    local = slot.starts_at.astimezone(ZoneInfo(event.timezone))
    assert re.search(rf"Thyroid ultrasound</strong><br>\s*<time [^>]*>[^<]*{local:%H:%M}–", section)
    assert f'<p class="queue-number">{number}</p>' in section
    assert "Position 2, about" in section
    # Booked already: no second booking button for the same service.
    assert "Book a free thyroid ultrasound" not in section
    assert "Book a free breast cancer screening" in section
    assert f"/t/{attendee.ticket.manage_key}/screenings/" in section
    assert HealthDataAccess.objects.filter(
        attendee=attendee, actor="ticket holder", action="view", what="ticket page"
    ).exists()


@pytest.mark.parametrize(
    ("status", "shown"),
    [
        (Attendee.Status.WAITLISTED, "You can book a screening once your place is confirmed."),
        (Attendee.Status.CANCELLED, None),
    ],
)
def test_only_a_confirmed_person_is_offered_to_book(client, fair, status, shown):
    event, thyroid, _ = fair
    make_slot(thyroid)
    attendee = AttendeeFactory(event=event, language="en", status=status)
    html = ticket_html(client, attendee)
    assert "/screenings/T/" not in html
    if shown:
        assert shown in html
    else:
        assert 'id="screenings"' not in html


def test_the_ticket_page_speaks_the_attendees_language_until_the_visitor_switches(client, fair):
    event, thyroid, _ = fair
    make_slot(thyroid)
    attendee = AttendeeFactory(event=event, language="ro")

    html = ticket_html(client, attendee, HTTP_ACCEPT_LANGUAGE="en")
    assert '<html lang="ro">' in html
    assert "Screeninguri gratuite" in html
    assert client.get(f"/t/{attendee.ticket.manage_key}/")["Content-Language"] == "ro"

    client.post("/i18n/setlang/", {"language": "en", "next": f"/t/{attendee.ticket.manage_key}/"})
    html = ticket_html(client, attendee, HTTP_ACCEPT_LANGUAGE="ro")
    assert '<html lang="en">' in html and "Free screenings" in html


def test_the_pages_reached_from_the_ticket_speak_the_same_language(client, fair):
    event, thyroid, _ = fair
    make_slot(thyroid)
    attendee = AttendeeFactory(event=event, language="sr-latn")
    for suffix in ("screenings/", "screenings/T/", "training/", "contact/"):
        html = client.get(f"/t/{attendee.ticket.manage_key}/{suffix}").content.decode()
        assert '<html lang="sr-latn">' in html, suffix


def test_the_pdf_ticket_shows_the_appointment_in_the_attendees_language(client, fair):
    event, thyroid, _ = fair
    slot = make_slot(thyroid)
    attendee = AttendeeFactory(event=event, language="ro", first_name="Ioana")
    book(slot, attendee)

    download = client.get(f"/t/{attendee.ticket.manage_key}/ticket.pdf", HTTP_ACCEPT_LANGUAGE="en")
    assert download["Content-Type"] == "application/pdf"
    text = pdf_text(download.content)
    assert "Thyroid ultrasound" in text
    assert "Screeninguri gratuite" in text  # the attendee's language, not the browser's
    assert "Book a free" not in text  # no buttons on paper

    assert (
        "Thyroid ultrasound"
        not in PdfReader(io.BytesIO(ticket_pdf(AttendeeFactory(event=event).ticket)))
        .pages[0]
        .extract_text()
    )


def test_the_ticket_email_links_to_the_ticket_page_and_to_booking(
    client, fair, django_capture_on_commit_callbacks
):
    event, thyroid, breast = fair
    make_slot(thyroid)
    TrainingSessionFactory(module__event=event)
    with django_capture_on_commit_callbacks(execute=True):
        attendee = attendee_register(
            event_id=event.pk,
            first_name="Ioana",
            last_name="Popescu",
            email="ioana@example.org",
            language="en",
        ).attendee
    (message,) = mail.outbox
    code = attendee.ticket.manage_key
    screening_url = absolute_url(f"/t/{code}/screenings/T/")
    training_url = absolute_url(f"/t/{code}/training/")
    html, _ = message.alternatives[0]
    for body in (message.body, html):
        assert absolute_url(f"/t/{code}/") in body
        assert screening_url in body and training_url in body
        assert "Book a free thyroid ultrasound" in body
        assert "/screenings/B/" not in body  # no free place to book
    assert f"- Book a free thyroid ultrasound: {screening_url}" in message.body
    assert client.get(urlsplit(screening_url).path).status_code == 200
    assert client.get(urlsplit(training_url).path).status_code == 200


def test_a_waitlisted_persons_email_has_no_booking_links(django_capture_on_commit_callbacks):
    event = EventFactory(capacity=0)
    make_slot(make_service(event, code="T", name="Thyroid ultrasound"))
    with django_capture_on_commit_callbacks(execute=True):
        attendee_register(
            event_id=event.pk,
            first_name="Ioana",
            last_name="Popescu",
            email="ioana@example.org",
            language="en",
        )
    (message,) = mail.outbox
    assert "/screenings/" not in message.body
    assert "/screenings/" not in message.alternatives[0][0]
