"""Registering through the real form on a phone, with a mistake and its correction."""

import os

import pytest
from playwright.sync_api import expect

from registrations.models import Attendee
from tests.factories import EventFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


@pytest.fixture
def phone(browser, phone_context_args):
    context = browser.new_context(**phone_context_args, locale="ro-RO")
    yield context.new_page()
    context.close()


def test_a_phone_user_registers_fixes_a_mistake_and_gets_the_ticket(live_server, phone):
    event = EventFactory(name="Ziua Cooperării — Timișoara")
    RegionFactory(programme=event.programme, country="RO", name="Mehedinți")
    phone.goto(f"{live_server.url}/e/{event.slug}/")
    phone.get_by_role("link", name="Înregistrare — gratuit").click()

    phone.get_by_label("Prenume").fill("Ana-Maria")
    phone.get_by_label("Nume", exact=True).fill("Țurcanu")
    phone.get_by_label("E-mail", exact=True).fill("ana.turcanu@")
    phone.get_by_label("Telefon (opțional)").fill("0722 123 456")
    phone.get_by_label("De unde veniți?").select_option(label="Mehedinți")
    phone.get_by_label("Am nevoie de transportul gratuit").check()
    phone.get_by_role("button", name="Înregistrează-mă și trimite-mi biletul").click()

    expect(phone.get_by_role("alert")).to_contain_text("verificați câmpurile")
    expect(phone.locator("#email-errors")).to_have_text("Introduceți o adresă de e-mail validă.")
    expect(phone.locator("#consent-errors")).to_be_visible()
    expect(phone.get_by_label("Prenume")).to_have_value("Ana-Maria")
    expect(phone.get_by_label("Am nevoie de transportul gratuit")).to_be_checked()
    expect(phone.get_by_label("E-mail", exact=True)).to_be_focused()
    phone.screenshot(path=f"{SHOTS}/registration-form-errors.png", full_page=True)
    assert not Attendee.objects.exists()

    phone.get_by_label("E-mail", exact=True).fill("ana.turcanu@example.org")
    phone.get_by_label("Accept termenii").check()
    phone.get_by_role("button", name="Înregistrează-mă și trimite-mi biletul").click()

    expect(phone.get_by_role("heading", name="Ana-Maria Țurcanu")).to_be_visible()
    expect(phone.get_by_text("Sunteți înregistrat!")).to_be_visible()
    qr = phone.locator(".qr svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 300  # big enough to scan at arm's length
    phone.screenshot(path=f"{SHOTS}/ticket-page.png", full_page=True)
    attendee = Attendee.objects.get()
    assert attendee.phone == "+40722123456" and attendee.needs_transport
    assert phone.url.endswith(f"/t/{attendee.ticket.manage_key}/")
