"""Booking a training seat from the ticket holder's training page, on a phone,
in real headless Chromium."""

import pytest
from playwright.sync_api import expect

from registrations.models import TrainingBooking
from tests.factories import AttendeeFactory, EventFactory
from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args(browser_context_args, phone_context_args):
    return {**browser_context_args, **phone_context_args}


def test_a_ticket_holder_books_a_seat_and_sees_it_confirmed(live_server, page):
    event = EventFactory(name="Interreg Cooperation Day — Timișoara")
    module = TrainingModuleFactory(event=event)
    session = TrainingSessionFactory(module=module, capacity=15)
    attendee = AttendeeFactory(
        event=event, first_name="Ana-Maria", last_name="Țurcanu", language="en"
    )

    page.goto(f"{live_server.url}/t/{attendee.ticket.manage_key}/training/")
    expect(page.get_by_role("heading", name=module.title)).to_be_visible()
    expect(page.get_by_text("15 seats free of 15")).to_be_visible()
    page.screenshot(path="/tmp/training_page_before.png", full_page=True)

    page.get_by_role("button", name="Book a seat").first.click()
    expect(page.get_by_text("Your seat is booked.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your bookings")).to_be_visible()
    expect(page.get_by_text("14 seats free of 15")).to_be_visible()
    page.screenshot(path="/tmp/training_page_booked.png", full_page=True)
    booking = TrainingBooking.objects.get(attendee=attendee)
    assert (booking.session_id, booking.status) == (session.pk, "confirmed")

    page.get_by_role("button", name="Cancel this booking").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, cancel it").click()
    expect(page.get_by_text("Your booking is cancelled.")).to_be_visible()
    expect(page.get_by_text("15 seats free of 15")).to_be_visible()
