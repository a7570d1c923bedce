"""The ticket e-mail: sent after commit, in the attendee's language, with PDF and .ics."""

import io

import pytest
from django.core import mail
from icalendar import Calendar
from pypdf import PdfReader

from registrations.models import Attendee
from registrations.services.attendees import attendee_cancel, attendee_register
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

GREETING = {"en": "Hello Ioana,", "ro": "Bună ziua, Ioana,", "sr-latn": "Zdravo, Ioana,"}
CONFIRMED = {
    "en": "is confirmed",
    "ro": "este confirmată",
    "sr-latn": "je potvrđena",
}
SUBJECT = {
    "en": "Your ticket for",
    "ro": "Biletul dumneavoastră pentru",
    "sr-latn": "Vaša ulaznica za",
}


def register(event, email="ioana@example.org", language="en", **extra):
    return attendee_register(
        event_id=event.pk,
        first_name="Ioana",
        last_name="Popescu",
        email=email,
        language=language,
        **extra,
    ).attendee


@pytest.mark.parametrize("language", ["en", "ro", "sr-latn"])
def test_the_ticket_email_is_in_the_attendees_language_with_pdf_and_ics(
    language, django_capture_on_commit_callbacks
):
    event = EventFactory(name="Ziua Cooperării — Timișoara")
    with django_capture_on_commit_callbacks(execute=True):
        attendee = register(event, language=language)
    (message,) = mail.outbox
    assert message.to == ["ioana@example.org"]
    assert message.subject.startswith(SUBJECT[language])
    assert "Ziua Cooperării — Timișoara" in message.subject
    assert GREETING[language] in message.body
    assert CONFIRMED[language] in message.body
    assert f"/t/{attendee.ticket.manage_key}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert GREETING[language] in html and f"/t/{attendee.ticket.manage_key}/" in html

    (pdf_name, pdf, pdf_type), (ics_name, ics, ics_type) = message.attachments
    assert pdf_type == "application/pdf" and pdf_name.endswith(".pdf")
    assert "Ioana Popescu" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert ics_type == "text/calendar" and ics_name.endswith(".ics")
    (vevent,) = Calendar.from_ical(ics).walk("VEVENT")
    assert str(vevent["summary"]) == "Ziua Cooperării — Timișoara"
    assert vevent.decoded("dtstart") == event.starts_at


def test_nothing_is_sent_before_the_commit(django_capture_on_commit_callbacks):
    event = EventFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register(event)
    assert mail.outbox == []
    assert len(callbacks) == 2  # the ticket e-mail and the live totals


def test_waitlisted_people_are_told_so_without_a_ticket_attached(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=0)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, language="ro")
    (message,) = mail.outbox
    assert "lista de așteptare" in message.subject
    assert message.attachments == []


def test_a_promotion_emails_exactly_the_first_person_waiting_their_ticket(
    django_capture_on_commit_callbacks,
):
    event = EventFactory(capacity=1)
    holder = register(event, email="holder@example.org")
    first = register(event, email="first@example.org", language="sr-latn")
    register(event, email="second@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = attendee_cancel(attendee_id=holder.pk)
    assert [a.pk for a in promoted] == [first.pk]
    (message,) = mail.outbox
    assert message.to == ["first@example.org"]
    assert "oslobodilo" in message.body  # "a place freed up", in Serbian
    assert [a[2] for a in message.attachments] == ["application/pdf", "text/calendar"]
    assert Attendee.objects.get(pk=first.pk).status == Attendee.Status.CONFIRMED
