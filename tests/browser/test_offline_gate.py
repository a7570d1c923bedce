"""The gate with no network, in real Chromium (issue 13).

A volunteer's phone keeps scanning with the network gone: the ticket's
Ed25519 signature is checked on the device, the event's admitted list and
the device's own scans tell a second entry, the scans wait in IndexedDB and
reach the server when the network is back; the page itself reopens from
the service worker's cache. Two gates that let one ticket in offline are
both told, and so is the organizer. Network, server and login failures
each have their own calm screen; none says "invalid ticket".
"""

import re

import pytest
from django.db import connections
from django.test import Client
from playwright.sync_api import expect

from eventhub.core.models import StaffRole
from registrations.models import Attendee, CheckIn, ScanLog
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
SCANNER_JS = "/static/js/scanner.js"


@pytest.fixture(autouse=True)
def close_server_connections_after_each_request(monkeypatch):
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)


def forged(payload: str) -> str:
    """The payload with one letter of its signature changed (still well-formed)."""
    head, signature = payload.rsplit(":", 1)
    first = "B" if signature[0] != "B" else "C"
    return f"{head}:{first}{signature[1:]}"


@pytest.fixture
def gate_device(browser, live_server):
    """A phone at a gate: the scanner open as ``user``, its offline list loaded."""
    contexts = []

    def open_device(user, event, gate, *, init_script=None):
        client = Client()
        client.force_login(user)
        context = browser.new_context(**PHONE, locale="en-GB", timezone_id="UTC")
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)
        cookie = client.cookies["sessionid"].value
        context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}/staff/{event.slug}/scanner/")
        page.get_by_label("Gate name").fill(gate)
        page.get_by_role("button", name="Start scanning").click()
        expect(page.locator("#link-status")).to_have_attribute("data-pack", "ready")
        return page

    yield open_device
    for context in contexts:
        context.close()


def scan(page, payload: str, expected: str) -> None:
    """Scan ``payload`` (as a hand scanner types it) and wait for the colour."""
    answer = page.locator("#answer")
    # Tap the last answer away (it may hide by itself meanwhile: no waiting).
    page.evaluate("document.getElementById('answer').click()")
    page.locator("#scan-input").fill(payload)
    page.locator("#scan-input").press("Enter")
    expect(answer).to_be_visible()
    expect(answer).to_have_attribute("data-result", expected)


def go_online(page) -> None:
    page.context.set_offline(False)
    status = page.locator("#link-status")
    expect(status).to_have_attribute("data-state", "online", timeout=15_000)
    expect(status).to_have_attribute("data-waiting", "0", timeout=15_000)


def test_offline_a_volunteer_scans_green_amber_red_and_the_server_admits_each_once(
    gate_device,
):
    event = EventFactory()
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    people = [AttendeeFactory(event=event, first_name=name) for name in ("Ana", "Bogdan", "Vesna")]
    payloads = [person.ticket.qr_payload for person in people]
    page = gate_device(volunteer, event, "North")

    page.context.set_offline(True)
    expect(page.locator("#link-status")).to_have_attribute("data-state", "offline")
    for payload in payloads:
        scan(page, payload, "ok")
        expect(page.locator("#answer")).to_have_attribute("data-source", "device")
        expect(page.locator("#answer-source")).to_have_text("No network: checked on this device.")
    scan(page, payloads[0], "already_checked_in")
    page.screenshot(path="/tmp/screen-offline-amber.png")
    scan(page, forged(payloads[1]), "invalid")
    status = page.locator("#link-status")
    expect(status).to_have_attribute("data-waiting", "5")
    expect(status).to_contain_text("Offline · scans waiting to be sent: 5")
    assert not CheckIn.objects.filter(event=event).exists()

    # The page reopens from the service worker's cache, its list and queue kept.
    reopened = page.reload()
    assert reopened.from_service_worker
    page.locator("#answer").wait_for(state="hidden")
    expect(status).to_have_attribute("data-waiting", "5")
    scan(page, payloads[2], "already_checked_in")

    go_online(page)
    admitted = CheckIn.objects.filter(event=event, target="event")
    assert sorted(admitted.values_list("ticket__attendee__first_name", flat=True)) == [
        "Ana",
        "Bogdan",
        "Vesna",
    ]
    assert set(admitted.values_list("method", "gate")) == {("offline", "North")}
    # Every scan made offline reached the server's log once, the forged one too.
    logged = ScanLog.objects.filter(event=event)
    assert logged.count() == 6
    assert logged.filter(result="invalid").count() == 1
    # The waiting marks are gone, the names are back.
    expect(page.locator("#recent .recent-waiting")).to_have_count(0)
    expect(page.locator("#recent")).to_contain_text("Vesna")


def test_one_ticket_let_in_offline_at_two_gates_is_a_double_entry_on_both(
    gate_device, browser, live_server
):
    event = EventFactory()
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    ana = AttendeeFactory(event=event, first_name="Ana", last_name="Pop")
    north = gate_device(volunteer, event, "North")
    south = gate_device(volunteer, event, "South")
    north.context.set_offline(True)
    south.context.set_offline(True)
    scan(north, ana.ticket.qr_payload, "ok")
    scan(south, ana.ticket.qr_payload, "ok")

    go_online(north)
    go_online(south)
    for page in (south, north):
        if page is north:  # the first gate hears of it on its next sync
            page.evaluate("window.dispatchEvent(new Event('online'))")
        doubles = page.locator("#double-entries")
        expect(doubles).to_be_visible(timeout=15_000)
        expect(doubles).to_contain_text("Ana Pop")
        expect(doubles).to_contain_text(re.compile(r"North \d\d:\d\d.*South \d\d:\d\d"))
        page.evaluate("document.getElementById('answer').click()")
        gate = "north" if page is north else "south"
        page.screenshot(path=f"/tmp/screen-double-entry-{gate}.png")
    assert CheckIn.objects.filter(ticket=ana.ticket).count() == 1

    organizer = StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user
    client = Client()
    client.force_login(organizer)
    context = browser.new_context(locale="en-GB")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    attendance = context.new_page()
    attendance.goto(f"{live_server.url}/staff/{event.slug}/attendance/")
    expect(attendance.get_by_text(re.compile(r"offline at North \d\d:\d\d"))).to_be_visible()
    expect(attendance.locator("main")).to_contain_text("Ana Pop")
    context.close()


def test_an_ended_login_has_its_own_calm_screen_and_the_gate_keeps_going(gate_device):
    event = EventFactory()
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    ana = AttendeeFactory(event=event)
    page = gate_device(volunteer, event, "North")
    page.context.clear_cookies()  # the session ended

    # A ticket the device can check: let in, kept for after the login.
    scan(page, ana.ticket.qr_payload, "ok")
    expect(page.locator("#answer-source")).to_have_text(
        "Your login has ended: checked on this device."
    )
    status = page.locator("#link-status")
    expect(status).to_have_attribute("data-state", "login")
    expect(status.get_by_role("link", name="Log in again")).to_be_visible()
    # A typed code only the server can check: the login screen, not "invalid".
    scan(page, AttendeeFactory(event=event).ticket.code, "login")
    answer = page.locator("#answer")
    expect(answer).to_contain_text("Your login has ended")
    expect(answer.get_by_role("link", name="Log in again")).to_be_visible()
    expect(answer).not_to_contain_text("Invalid")
    page.screenshot(path="/tmp/screen-login-ended.png")
    assert not CheckIn.objects.filter(event=event).exists()


def test_a_failing_server_and_a_dead_network_each_have_a_calm_screen(gate_device):
    event = EventFactory()
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    ana, bogdan = AttendeeFactory(event=event), AttendeeFactory(event=event)
    page = gate_device(volunteer, event, "North")
    page.route(re.compile(r".*/checkins/$"), lambda route: route.fulfill(status=500, body="boom"))

    scan(page, ana.ticket.code, "server")  # a typed code: only the server can tell
    answer = page.locator("#answer")
    expect(answer).to_contain_text("The server has a problem")
    expect(answer).not_to_contain_text("Invalid")
    scan(page, bogdan.ticket.qr_payload, "ok")  # a QR: checked here
    expect(page.locator("#answer-source")).to_have_text(
        "The server does not answer: checked on this device."
    )
    expect(page.locator("#link-status")).to_have_attribute("data-state", "server")

    page.unroute(re.compile(r".*/checkins/$"))
    page.context.set_offline(True)
    scan(page, ana.ticket.code, "offline")
    expect(answer).to_contain_text("No network")
    expect(answer).not_to_contain_text("Invalid")
    go_online(page)
    assert CheckIn.objects.get(event=event).ticket == bogdan.ticket


def test_without_ed25519_in_webcrypto_the_vendored_library_checks_signatures(gate_device):
    event = EventFactory()
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    ana = AttendeeFactory(event=event)
    no_ed25519 = """
      const importKey = crypto.subtle.importKey.bind(crypto.subtle);
      crypto.subtle.importKey = (format, data, algorithm, ...rest) =>
        (algorithm && (algorithm.name || algorithm) === "Ed25519")
          ? Promise.reject(new DOMException("Not supported", "NotSupportedError"))
          : importKey(format, data, algorithm, ...rest);
    """
    page = gate_device(volunteer, event, "North", init_script=no_ed25519)
    page.context.set_offline(True)
    scan(page, forged(ana.ticket.qr_payload), "invalid")
    scan(page, ana.ticket.qr_payload, "ok")
    scan(page, ana.ticket.qr_payload, "already_checked_in")


def test_the_scanner_installs_as_an_app(live_server, page):
    event = EventFactory(name="Interreg Cooperation Day")
    manifest = page.request.get(
        f"{live_server.url}/staff/{event.slug}/scanner/manifest.webmanifest"
    ).json()
    assert manifest["start_url"] == f"/staff/{event.slug}/scanner/"
    assert manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert page.request.get(f"{live_server.url}{icon['src']}").ok
    worker = page.request.get(f"{live_server.url}/staff/{event.slug}/scanner/sw.js")
    assert worker.ok and "javascript" in worker.headers["content-type"]
    assert SCANNER_JS in worker.text()
    assert Attendee.objects.count() == 0
