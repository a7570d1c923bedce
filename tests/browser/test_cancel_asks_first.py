"""Cancelling an appointment or a training seat asks first: one tap opens a
question, "No, keep it" keeps the booking, "Yes, cancel it" cancels."""

import pytest
from playwright.sync_api import expect

from registrations.models import TrainingBooking
from registrations.services.training import training_booking_create
from screenings.models import Appointment
from screenings.services.appointments import appointment_book
from tests.screenings.helpers import make_attendee, make_service, make_slot
from tests.training.factories import TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_no_then_yes(page, button_name, status_of, active):
    page.get_by_role("button", name=button_name).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    page.screenshot(path="/tmp/screen-cancel-confirm.png")
    dialog.get_by_role("button", name="No, keep it").click()
    expect(dialog).to_have_count(0)
    assert status_of() == active

    page.get_by_role("button", name=button_name).click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, cancel it").click()
    page.wait_for_load_state()
    expect(page.get_by_role("button", name=button_name)).to_have_count(0)
    assert status_of() != active


def test_cancelling_an_appointment_asks_first(live_server, page):
    service = make_service(name="Thyroid ultrasound", stations=1)
    attendee = make_attendee(service.event, language="en")
    booked = appointment_book(
        slot_id=make_slot(service).pk, attendee_id=attendee.pk, health_consent=True
    )
    page.goto(f"{live_server.url}/t/{attendee.ticket.manage_key}/screenings/")
    answer_no_then_yes(
        page,
        "Cancel this appointment",
        lambda: Appointment.objects.get(pk=booked.pk).status,
        Appointment.Status.BOOKED,
    )


def test_cancelling_a_training_seat_asks_first(live_server, page):
    session = TrainingSessionFactory()
    attendee = make_attendee(session.module.event, language="en")
    booking = training_booking_create(attendee_id=attendee.pk, session_id=session.pk).booking
    page.goto(f"{live_server.url}/t/{attendee.ticket.manage_key}/training/")
    answer_no_then_yes(
        page,
        "Cancel this booking",
        lambda: TrainingBooking.objects.get(pk=booking.pk).status,
        booking.status,
    )
