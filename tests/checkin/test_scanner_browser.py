"""The scanner page in headless Chromium at phone size, driven like a hand scanner."""

import pytest
from django.db import connections
from django.test import Client
from playwright.sync_api import expect

from eventhub.core.models import StaffRole
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = "/tmp/eventhub-checkin"


@pytest.fixture(autouse=True)
def close_server_connections_after_each_request(monkeypatch):
    # The live server answers each request in a thread of its own; with
    # persistent connections each would stay open and block the test
    # database's teardown on PostgreSQL.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)


@pytest.fixture
def phone(browser, live_server, phone_context_args):
    def open_as(user):
        client = Client()
        client.force_login(user)
        context = browser.new_context(**phone_context_args, locale="en-GB")
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        return context.new_page()

    return open_as


def test_typed_code_shows_green_then_amber_on_the_second_scan(live_server, phone):
    event = EventFactory(name="Interreg Cooperation Day — Timișoara")
    attendee = AttendeeFactory(event=event, first_name="Ioana", last_name="Popescu")
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    page = phone(volunteer)
    page.goto(f"{live_server.url}/staff/{event.slug}/scanner/")

    # The gate is chosen once per device.
    page.get_by_label("Gate name").fill("North entrance")
    page.screenshot(path=f"{SHOTS}-1-gate.png")
    page.get_by_role("button", name="Start scanning").click()
    scan_field = page.get_by_label("Scan a ticket or type its code")
    expect(scan_field).to_be_focused()
    page.screenshot(path=f"{SHOTS}-2-ready.png", full_page=True)

    # A hand scanner types the payload and Enter into the focused field.
    page.keyboard.type(attendee.ticket.qr_payload)
    page.keyboard.press("Enter")
    answer = page.locator("#answer")
    expect(answer).to_have_attribute("data-result", "ok")
    expect(answer).to_be_visible()
    expect(answer).to_contain_text("Ioana Popescu")
    expect(answer).to_contain_text("Citizen")
    page.screenshot(path=f"{SHOTS}-3-green.png")

    # Ready at once: the field kept the focus while the answer shows.
    expect(scan_field).to_be_focused()
    page.keyboard.type(attendee.ticket.qr_payload)
    page.keyboard.press("Enter")
    expect(answer).to_have_attribute("data-result", "already_checked_in")
    expect(answer).to_contain_text("Already checked in")
    expect(answer).to_contain_text("First check-in at")
    expect(answer).to_contain_text("North entrance")
    page.screenshot(path=f"{SHOTS}-4-amber.png")

    page.keyboard.type("EH1:1:NOTAREALCODE")
    page.keyboard.press("Enter")
    expect(answer).to_have_attribute("data-result", "invalid")
    page.screenshot(path=f"{SHOTS}-5-red.png")

    # Reloading keeps the gate: chosen once per device.
    page.reload()
    expect(page.locator("#gate-name")).to_have_text("North entrance")
    expect(page.get_by_label("Gate name")).to_be_hidden()


def test_manual_search_and_walk_in_from_the_scanner(live_server, phone):
    event = EventFactory()
    AttendeeFactory(event=event, first_name="Milica", last_name="Jovanović")
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    page = phone(volunteer)
    page.goto(f"{live_server.url}/staff/{event.slug}/scanner/")
    page.get_by_label("Gate name").fill("South")
    page.get_by_role("button", name="Start scanning").click()

    page.get_by_text("Find a person without their ticket").click()
    page.get_by_label("Name or e-mail").fill("jovan")
    page.get_by_role("button", name="Search").click()
    result = page.locator("#search-results li").first
    expect(result).to_contain_text("Milica Jovanović")
    page.screenshot(path=f"{SHOTS}-6-search.png", full_page=True)
    result.get_by_role("button", name="Check in").click()
    expect(page.locator("#answer")).to_have_attribute("data-result", "ok")
    page.locator("#answer").click()

    page.get_by_text("Walk-in: register and admit").click()
    page.get_by_label("First name").fill("Dragan")
    page.get_by_label("Last name").fill("Čolić")
    page.get_by_label("Where do you come from?").select_option("other")
    page.get_by_label("Category").select_option("authority")
    page.screenshot(path=f"{SHOTS}-7-walk-in.png", full_page=True)
    page.get_by_role("button", name="Register and admit").click()
    expect(page.locator("#answer")).to_have_attribute("data-result", "ok")
    expect(page.locator("#answer")).to_contain_text("Dragan Čolić")
    page.locator("#answer").click()
    expect(page.locator("#recent")).to_contain_text("Dragan Čolić")
    page.screenshot(path=f"{SHOTS}-8-recent.png", full_page=True)
