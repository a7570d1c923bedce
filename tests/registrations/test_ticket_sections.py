"""The ticket page and the PDF ticket show the attendee's training seats."""

import io

import pytest
from pypdf import PdfReader

from registrations.services.training import training_booking_create
from registrations.ticket_pdf import ticket_pdf
from tests.factories import AttendeeFactory
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


def test_a_booked_training_seat_shows_on_the_ticket_page_and_in_the_pdf(client):
    attendee = AttendeeFactory(first_name="Jelena", language="en")
    session = TrainingSessionFactory(
        module__event=attendee.event, module__title="We can all save lives — basic life support"
    )
    training_booking_create(attendee_id=attendee.pk, session_id=session.pk)

    page = client.get(f"/t/{attendee.ticket.manage_key}/").content.decode()
    assert "We can all save lives — basic life support" in page
    assert "Book or manage training seats" in page

    text = PdfReader(io.BytesIO(ticket_pdf(attendee.ticket))).pages[0].extract_text()
    assert "basic life support" in text
    assert "Book or manage training seats" not in text


def test_a_ticket_without_training_keeps_the_pdf_free_of_the_section(client):
    attendee = AttendeeFactory(language="en")
    page = client.get(f"/t/{attendee.ticket.manage_key}/").content.decode()
    assert "You have not booked a training seat." in page
    text = PdfReader(io.BytesIO(ticket_pdf(attendee.ticket))).pages[0].extract_text()
    assert "Training" not in text
