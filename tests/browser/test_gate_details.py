"""The gate's smaller promises, on a 360-px phone: the gate chip shows the
gate's name, a walk-in is asked where they come from, and an organizer can
undo a check-in from the scanner page itself."""

import pytest
from django.db import connections
from django.test import Client
from playwright.sync_api import expect

from eventhub.core.models import StaffRole
from registrations.models import Attendee, CheckIn, ScanLog
from tests.factories import AttendeeFactory, EventFactory, RegionFactory, StaffRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture(autouse=True)
def close_server_connections_after_each_request(monkeypatch):
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)


@pytest.fixture
def scanner_as(browser, live_server):
    """Open the scanner as ``user`` at the North gate; the page closes after the test."""
    contexts = []

    def open_as(user, event):
        client = Client()
        client.force_login(user)
        context = browser.new_context(**PHONE, locale="en-GB")
        contexts.append(context)
        cookie = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/staff/{event.slug}/scanner/")
        page.get_by_label("Gate name").fill("North gate")
        page.get_by_role("button", name="Start scanning").click()
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_the_gate_chip_shows_the_whole_gate_name_on_a_small_phone(scanner_as):
    event = EventFactory()
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    page = scanner_as(volunteer, event)
    name = page.locator("#gate-name")
    expect(name).to_have_text("North gate")
    page.screenshot(path="/tmp/screen-gate-chip-360.png")
    fits = name.evaluate("el => el.scrollWidth <= el.clientWidth && el.clientWidth > 0")
    assert fits, "the gate's name is not cut"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_walk_in_is_asked_where_they_come_from(scanner_as):
    event = EventFactory()
    timis = RegionFactory(programme=event.programme, name="Timiș", country="RO")
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    page = scanner_as(volunteer, event)
    page.get_by_text("Walk-in: register and admit").click()
    page.get_by_label("First name").fill("Dragan")
    page.get_by_label("Last name").fill("Čolić")
    page.get_by_role("button", name="Register and admit").click()
    region = page.get_by_label("Where do you come from?")
    expect(region).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#walk-in-errors")).to_be_visible()
    assert not Attendee.objects.filter(event=event).exists()

    region.select_option(label="Timiș")
    page.get_by_role("button", name="Register and admit").click()
    expect(page.locator("#answer")).to_have_attribute("data-result", "ok")
    dragan = Attendee.objects.get(event=event)
    assert dragan.region_id == timis.pk and dragan.country == "RO"

    page.locator("#answer").click()
    # The walk-in form stays open for the next person.
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Kovač")
    page.get_by_label("Where do you come from?").select_option("other")
    page.get_by_label("Country (if you chose “Other”)").select_option("HU")
    page.get_by_role("button", name="Register and admit").click()
    expect(page.locator("#answer")).to_contain_text("Ana Kovač")
    ana = Attendee.objects.get(event=event, first_name="Ana")
    assert ana.region_id is None and ana.country == "HU"


def test_an_organizer_undoes_a_check_in_from_the_scanner(scanner_as):
    event = EventFactory()
    ioana = AttendeeFactory(event=event, first_name="Ioana", last_name="Popescu")
    organizer = StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user
    page = scanner_as(organizer, event)
    page.keyboard.type(ioana.ticket.code)
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_have_attribute("data-result", "ok")
    page.locator("#answer").click()
    assert CheckIn.objects.filter(ticket=ioana.ticket).exists()

    recent = page.locator("#recent li").first
    recent.get_by_role("button", name="Undo check-in").click()
    expect(recent).to_contain_text("Check-in undone")
    assert not CheckIn.objects.filter(ticket=ioana.ticket).exists()
    assert ScanLog.objects.filter(ticket=ioana.ticket, result="undone").exists()
    # Admitted again afterwards: the ticket works as new. The hand scanner
    # types into the scan field, which takes the focus back after the undo.
    expect(page.locator("#scan-input")).to_be_focused()
    page.keyboard.type(ioana.ticket.code)
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_have_attribute("data-result", "ok")


def test_a_volunteer_has_no_undo(scanner_as):
    event = EventFactory()
    ioana = AttendeeFactory(event=event)
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    page = scanner_as(volunteer, event)
    page.keyboard.type(ioana.ticket.code)
    page.keyboard.press("Enter")
    expect(page.locator("#answer")).to_have_attribute("data-result", "ok")
    page.locator("#answer").click()
    expect(page.locator("#recent li")).to_have_count(1)
    expect(page.get_by_role("button", name="Undo check-in")).to_have_count(0)
