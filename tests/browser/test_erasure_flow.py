"""An attendee erases their data from the ticket page on a phone; the
organizer's pages hold together on a tablet."""

import os

import pytest
from playwright.sync_api import expect

from eventhub.core.models import AuditLog, StaffRole
from registrations.models import Attendee
from tests.factories import AttendeeFactory, EventFactory, KioskFactory, StaffRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


@pytest.fixture
def phone(browser, phone_context_args):
    context = browser.new_context(**phone_context_args, locale="ro-RO")
    yield context.new_page()
    context.close()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_attendee_erases_their_data_from_the_ticket_page_on_a_phone(live_server, phone):
    event = EventFactory(name="Ziua Cooperării — Timișoara", capacity=1)
    ana = AttendeeFactory(event=event, first_name="Ana-Maria", last_name="Țurcanu")
    waiting = AttendeeFactory(event=event, status=Attendee.Status.WAITLISTED, confirmed_at=None)
    code = ana.ticket.manage_key
    phone.goto(f"{live_server.url}/t/{code}/")
    expect(phone.get_by_role("heading", name="Ana-Maria Țurcanu")).to_be_visible()

    phone.get_by_role("link", name="Notă de informare privind datele personale").click()
    expect(phone.get_by_role("heading", name="Drepturile dumneavoastră")).to_be_visible()
    assert no_sideways_scroll(phone)
    phone.go_back()

    phone.get_by_role("link", name="Ștergeți-vă datele").click()
    expect(phone.get_by_role("heading", name="Vă ștergeți datele?")).to_be_visible()
    erase = phone.get_by_role("button", name="Da, șterge-mi datele")
    box = erase.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert no_sideways_scroll(phone)
    phone.screenshot(path=f"{SHOTS}/erase-confirm-phone.png", full_page=True)

    # Changing one's mind costs nothing.
    phone.get_by_role("link", name="Nu, o păstrez").click()
    expect(phone.get_by_role("heading", name="Ana-Maria Țurcanu")).to_be_visible()
    assert Attendee.objects.get(pk=ana.pk).erased_at is None

    phone.get_by_role("link", name="Ștergeți-vă datele").click()
    phone.get_by_role("button", name="Da, șterge-mi datele").click()
    expect(phone.get_by_role("heading", name="Datele dumneavoastră au fost șterse")).to_be_visible()
    phone.screenshot(path=f"{SHOTS}/erase-done-phone.png", full_page=True)

    ana.refresh_from_db()
    assert (ana.first_name, ana.last_name, ana.email, ana.status) == ("—", "", "", "cancelled")
    waiting.refresh_from_db()
    assert waiting.status == "confirmed"
    assert AuditLog.objects.filter(action="self_erase", attendee_id=ana.pk).exists()
    response = phone.goto(f"{live_server.url}/t/{code}/")
    assert response.status == 404


def test_the_organizer_pages_fit_a_tablet(live_server, browser):
    event = EventFactory(name="Ziua Cooperării — Timișoara")
    organizer = StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user
    KioskFactory(event=event, name="Cortul de screening — tabla T", kind="board", service_code="T")
    context = browser.new_context(viewport={"width": 800, "height": 1100}, locale="ro-RO")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(organizer.username)
    page.locator("#id_password").fill("correct horse battery staple")
    page.locator("button[type=submit]").click()
    for name in ("team", "kiosks", "people", "audit", "copy"):
        page.goto(f"{live_server.url}/staff/events/{event.slug}/{name}/")
        expect(page.locator("h1")).to_be_visible()
        assert no_sideways_scroll(page), name
        page.screenshot(path=f"{SHOTS}/organizer-{name}-tablet.png", full_page=True)
    context.close()


def test_the_ticket_pages_forms_pass_the_csrf_check_in_a_real_browser(live_server, phone):
    """The ticket pages keep their address from other sites (Referrer-Policy
    same-origin) without making the browser send "Origin: null", which
    Django's CSRF check refuses."""
    ana = AttendeeFactory(event=EventFactory(), language="ro")
    phone.goto(f"{live_server.url}/t/{ana.ticket.manage_key}/")
    phone.locator("#id_attendee_language").select_option("sr-latn")
    phone.locator(".lang-form button[type=submit]").click()
    expect(phone.locator(".messages")).to_contain_text("Od sada vam pišemo na ovom jeziku.")
    ana.refresh_from_db()
    assert ana.language == "sr-latn"
