"""The ticket page as the attendee's hub, on a 360 px phone in real headless
Chromium: from the event page to a registration, a screening booked from
the ticket page, and the queue number shown there on the day."""

import os
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from screenings.models import Appointment
from screenings.services.queue import queue_join
from tests.factories import AttendeeFactory, EventFactory, RegionFactory
from tests.screenings.helpers import YES, make_service, make_slot
from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


@pytest.fixture
def small_phone(phone_context_args):
    """The narrowest common phone: 360 CSS pixels."""
    return {**phone_context_args, "viewport": {"width": 360, "height": 780}}


def open_phone(browser, context_args, locale):
    context = browser.new_context(**context_args, locale=locale)
    return context, context.new_page()


def assert_no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


@pytest.fixture
def fair():
    event = EventFactory(name="Interreg Cooperation Day — Timișoara")
    RegionFactory(programme=event.programme, country="RO", name="Timiș")
    thyroid = make_service(
        event,
        name="Thyroid ultrasound",
        min_age=18,
        description="A free ultrasound of the thyroid for the early detection of thyroid cancer.",
        preparation="Wear a top that leaves your neck free.",
        questions=[
            {
                "key": "history",
                "text": "Treated for a thyroid disease before?",
                "flag_if": YES,
                "flag": "thyroid history",
            }
        ],
    )
    for hours in (24, 25):
        make_slot(thyroid, in_hours=hours, capacity=2)
    module = TrainingModuleFactory(event=event, title="We can all save lives")
    TrainingSessionFactory(module=module, capacity=15)
    return event, thyroid


def test_register_book_a_screening_from_the_ticket_page_then_see_the_queue_number(
    live_server, browser, small_phone, fair
):
    event, thyroid = fair
    context, page = open_phone(browser, small_phone, "en-GB")
    page.goto(f"{live_server.url}/e/{event.slug}/")
    expect(page.get_by_role("heading", name="Thyroid ultrasound")).to_be_visible()
    expect(page.get_by_text("4 places free")).to_be_visible()
    page.screenshot(path=f"{SHOTS}/hub-event-page.png", full_page=True)
    assert_no_sideways_scroll(page)

    page.get_by_role("link", name="Register to book a free thyroid ultrasound").click()
    page.get_by_label("First name").fill("Jelena")
    page.get_by_label("Last name").fill("Živković")
    page.get_by_label("E-mail", exact=True).fill("jelena@example.org")
    page.get_by_label("Where do you come from?").select_option(label="Timiș")
    page.get_by_label("I accept the terms").check()
    page.get_by_role("button", name="Register and get my ticket").click()

    expect(page.get_by_role("heading", name="Jelena Živković")).to_be_visible()
    book = page.get_by_role("link", name="Book a free thyroid ultrasound")
    expect(book).to_be_visible()
    expect(page.get_by_role("link", name="Book or manage training seats")).to_be_visible()
    ticket_url = page.url
    page.screenshot(path=f"{SHOTS}/hub-ticket-before.png", full_page=True)
    assert_no_sideways_scroll(page)

    book.click()
    page.locator("label.slot-choice").first.click()
    page.get_by_label("Your age").fill("47")
    page.get_by_role("radiogroup", name="Treated for a thyroid disease before?").get_by_label(
        "No"
    ).check()
    page.get_by_label("I agree", exact=False).check()
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Your appointment is booked")).to_be_visible()

    page.get_by_role("link", name="Your ticket").click()
    assert page.url == ticket_url
    screenings = page.locator("#screenings")
    expect(screenings.get_by_role("heading", name="Your appointments")).to_be_visible()
    appointment = Appointment.objects.get()
    local = appointment.slot.starts_at.astimezone(ZoneInfo(event.timezone))
    booked = screenings.get_by_role("listitem").filter(has_text="Thyroid ultrasound")
    expect(booked.locator("time")).to_contain_text(f"{local:%H:%M}")
    expect(screenings.get_by_role("link", name="Book a free thyroid ultrasound")).to_have_count(0)

    # On the day: two walk-ins came first, then she scans her ticket at the kiosk.
    queue_join(service_id=thyroid.pk, walk_in={"first_name": "Vasile"})
    queue_join(service_id=thyroid.pk, walk_in={"first_name": "Ioan"})
    joined = queue_join(service_id=thyroid.pk, ticket=appointment.attendee.ticket.code)
    page.reload()
    expect(screenings.locator(".queue-number")).to_have_text(joined.entry.label)
    expect(screenings).to_contain_text("Position 3, about")
    page.screenshot(path=f"{SHOTS}/hub-ticket-after.png", full_page=True)
    assert_no_sideways_scroll(page)
    context.close()


def test_a_romanian_attendee_sees_the_ticket_page_in_romanian(
    live_server, browser, small_phone, fair
):
    event, _ = fair
    attendee = AttendeeFactory(event=event, first_name="Ana-Maria", language="ro")
    # The browser asks for English; the saved language wins until she switches.
    context, page = open_phone(browser, small_phone, "en-GB")
    page.goto(f"{live_server.url}/t/{attendee.ticket.manage_key}/")
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    expect(page.get_by_role("heading", name="Screeninguri gratuite")).to_be_visible()
    expect(page.get_by_text("Arătați acest cod la intrare", exact=False)).to_be_visible()
    page.screenshot(path=f"{SHOTS}/hub-ticket-ro.png", full_page=True)
    assert_no_sideways_scroll(page)

    page.locator("#language-select").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("link", name="Book a free thyroid ultrasound")).to_be_visible()
    context.close()
