"""The doctor console in real headless Chromium: the doctor calls the next person."""

import pytest
from playwright.sync_api import expect

from screenings.models import QueueEntry
from screenings.services.queue import queue_join
from tests.screenings.helpers import doctor_of, make_attendee, make_service, make_slot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, live_server, username):
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Log in").click()


def test_the_doctor_calls_the_next_person_and_completes_the_visit(live_server, page):
    service = make_service(name="Thyroid ultrasound", stations=2)
    station = service.stations.first()
    doctor = doctor_of(service, station)
    attendee = make_attendee(service.event, first_name="Ioana", needs_transport=True)
    queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    queue_join(service_id=service.pk, walk_in={"first_name": "Vasile", "flags": ["interpreter"]})

    log_in(page, live_server, doctor.username)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/staff/stations/{station.pk}/")
    waiting = page.locator("#waiting")
    expect(waiting.locator("tr")).to_have_count(2)
    expect(waiting).to_contain_text("Ioana")
    expect(waiting).to_contain_text("came by free transport")
    page.screenshot(path="/tmp/screen-console-before.png", full_page=True)

    page.get_by_role("button", name="Call next").click()
    current = page.locator("#current")
    expect(current).to_contain_text("T-001")
    expect(current).to_contain_text("Ioana")
    expect(waiting.locator("tr")).to_have_count(1)
    expect(waiting).not_to_contain_text("Ioana")
    page.screenshot(path="/tmp/screen-console-called.png", full_page=True)
    entry = QueueEntry.objects.get(number=1)
    assert entry.status == "called" and entry.station_id == station.pk

    current.get_by_role("button", name="Start").click()
    expect(current.get_by_label("Referral recommended")).to_be_visible()
    current.get_by_label("Referral recommended").check()
    current.get_by_placeholder("Short note (no diagnosis)").fill("Follow-up in 6 months")
    page.screenshot(path="/tmp/screen-console-in-progress.png", full_page=True)
    current.get_by_role("button", name="Done").click()
    expect(current).to_contain_text("Nobody at your station.")
    entry.refresh_from_db()
    assert entry.status == "done" and entry.referral_recommended
    assert entry.note == "Follow-up in 6 months"


def test_the_booking_page_on_a_phone(live_server, browser, phone_context_args):
    service = make_service(
        name="Thyroid ultrasound",
        min_age=18,
        questions=[
            {
                "key": "history",
                "text": "Treated for a thyroid disease before?",
                "flag_if": "yes",
                "flag": "thyroid history",
            }
        ],
        description="A free ultrasound of the thyroid.",
        preparation="No preparation needed.",
    )
    for hours in (24, 25, 26):
        make_slot(service, in_hours=hours)
    attendee = make_attendee(service.event, language="en")
    context = browser.new_context(**phone_context_args)
    page = context.new_page()
    page.goto(f"{live_server.url}/t/{attendee.ticket.manage_key}/screenings/")
    page.screenshot(path="/tmp/screen-ticket-screenings.png", full_page=True)
    page.get_by_role("link", name="Choose a time").click()
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Please agree to book a screening.")).to_be_visible()
    page.screenshot(path="/tmp/screen-book-errors.png", full_page=True)
    page.locator("label.slot-choice").first.click()
    page.get_by_label("Your age").fill("52")
    page.get_by_role("radiogroup", name="Treated for a thyroid disease before?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("I agree", exact=False).check()
    page.screenshot(path="/tmp/screen-book-filled.png", full_page=True)
    page.get_by_role("button", name="Book this time").click()
    expect(page.get_by_text("Your appointment is booked")).to_be_visible()
    page.screenshot(path="/tmp/screen-booked.png", full_page=True)
    context.close()
