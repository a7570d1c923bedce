"""The self check-in terminal in real headless Chromium: a visitor scans a
ticket (a hand scanner types it and presses Enter), is welcomed by first
name, sees their training, answers the screening's questions, gives the
health consent and only then gets a number."""

import pytest
from playwright.sync_api import expect

from eventhub.core.models import Kiosk
from registrations.models import CheckIn
from registrations.services.training import training_booking_create
from tests.browser.threads import off_the_loop
from tests.factories import AttendeeFactory, EventFactory, KioskFactory
from tests.screenings.helpers import make_service
from tests.training.factories import TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def seed():
    event = EventFactory(languages=["en", "ro", "sr-latn"])
    make_service(
        event,
        code="T",
        name="Thyroid ultrasound",
        stations=2,
        min_age=18,
        questions=[{"key": "pregnant", "text": "Are you pregnant?", "exclude_if": "yes"}],
    )
    # No station: never offered.
    make_service(event, code="B", name="Breast ultrasound", stations=0, sex="female")
    session = TrainingSessionFactory(module__event=event, capacity=10)
    ana = AttendeeFactory(event=event, first_name="Ana", last_name="Popescu", language="en")
    training_booking_create(attendee_id=ana.pk, session_id=session.pk)
    terminal = KioskFactory(event=event, kind=Kiosk.Kind.CHECKIN, name="Tent terminal")
    return ana, session, terminal


def test_a_visitor_scans_in_and_takes_a_number(live_server, browser):
    ana, session, terminal = off_the_loop(seed)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(live_server.url + terminal.get_absolute_url())
    scan = page.get_by_label("Ticket code")
    expect(scan).to_be_focused()

    scan.fill(ana.ticket.qr_payload)
    scan.press("Enter")
    expect(page.locator("#result")).to_have_text("Welcome, Ana!")
    expect(page.locator("#today")).to_contain_text(session.module.title)
    expect(page.locator("body")).not_to_contain_text("Popescu")

    expect(page.locator("#queues")).not_to_contain_text("Breast ultrasound")
    page.get_by_role("button", name="Join the queue: Thyroid ultrasound").click()
    form = page.locator("#join-form")
    expect(form).to_contain_text("Are you pregnant?")
    form.get_by_label("Your age").fill("35")
    form.get_by_role("group", name="Are you pregnant?").get_by_label("No").check()
    form.get_by_role("button", name="Get my number").click()
    # No consent, no number; what was typed stays.
    expect(page.locator("#join-error")).to_contain_text("agree")
    expect(page.locator("#number-box")).to_be_hidden()
    expect(form.get_by_label("Your age")).to_have_value("35")
    page.screenshot(path="/tmp/screen-kiosk-questions.png")

    form.get_by_label("I agree that my answers").check()
    form.get_by_role("button", name="Get my number").click()
    expect(page.locator("#number")).to_have_text("T-001")
    expect(form).to_be_hidden()
    expect(page.locator("#number-info")).to_contain_text("number 1 in line")
    expect(page.get_by_role("button", name="Print my number")).to_be_visible()
    page.screenshot(path="/tmp/screen-kiosk-checkin.png")
    assert CheckIn.objects.filter(ticket=ana.ticket, gate="Tent terminal").count() == 1

    page.get_by_role("button", name="Done").click()
    expect(scan).to_be_focused()
    scan.fill("not-a-ticket")
    scan.press("Enter")
    expect(page.locator("#result")).to_have_text("This ticket is not valid here.")
    page.close()
