"""A family of three registers together on a phone, in Romanian; axe checks the pages."""

import os

import pytest
from playwright.sync_api import expect

from registrations.models import Attendee, Group
from tests.browser.axe import assert_accessible
from tests.factories import EventFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SCREENSHOT_DIR", "/tmp")


@pytest.fixture
def phone(browser, phone_context_args):
    context = browser.new_context(**phone_context_args, locale="ro-RO")
    yield context.new_page()
    context.close()


def test_a_family_of_three_registers_on_a_phone_in_romanian_and_sees_its_tickets(
    live_server, phone, axe_source
):
    event = EventFactory(name="Ziua Cooperării — Timișoara")
    RegionFactory(programme=event.programme, country="RO", name="Mehedinți")
    phone.goto(f"{live_server.url}/e/{event.slug}/")
    phone.locator(f"a[href='/e/{event.slug}/group/']").click()
    expect(phone.locator("html")).to_have_attribute("lang", "ro")
    assert_accessible(phone, axe_source)

    phone.locator("#id_first_name").fill("Maria")
    phone.locator("#id_last_name").fill("Ionescu")
    phone.locator("#id_email").fill("maria.ionescu@example.org")
    phone.locator("#id_phone").fill("0722 123 456")
    phone.locator("#id_region").select_option(label="Mehedinți")
    phone.locator("#id_member-0-first_name").fill("Ion")
    phone.locator("#id_member-0-last_name").fill("Ionescu")
    phone.locator("#id_member-0-age").fill("-1")
    phone.locator("#id_member-1-first_name").fill("Ana")
    phone.locator("#id_member-1-last_name").fill("Ionescu")
    phone.locator("#id_member-1-age").fill("8")
    phone.locator("#id_transport_from").fill("Eșelnița, Primăria")
    phone.locator("input[name=consent]").check()
    phone.locator("form.register-form button[type=submit]").click()

    # A bad age: the field is named, everything typed is kept, nothing is stored.
    expect(phone.get_by_role("alert")).to_contain_text("verificați câmpurile")
    expect(phone.locator("#member-0-age-errors")).to_be_visible()
    expect(phone.locator("#id_member-1-first_name")).to_have_value("Ana")
    assert not Attendee.objects.exists()
    assert_accessible(phone, axe_source)

    phone.locator("#id_member-0-age").fill("40")
    phone.locator("form.register-form button[type=submit]").click()

    tickets = phone.locator(".group-tickets li")
    expect(tickets).to_have_count(3)
    expect(tickets.first).to_contain_text("Maria Ionescu")
    expect(phone.locator(".qr svg")).to_be_visible()
    phone.screenshot(path=f"{SHOTS}/group-page.png", full_page=True)
    assert_accessible(phone, axe_source)
    group = Group.objects.get()
    assert group.transport_from == "Eșelnița, Primăria"
    assert sorted(group.members.values_list("status", flat=True)) == ["confirmed"] * 3
    assert phone.url.endswith(f"/g/{group.manage_key}/")

    # Each member's own ticket page opens from the group page.
    tickets.nth(2).get_by_role("link").click()
    expect(phone.get_by_role("heading", name="Ana Ionescu")).to_be_visible()
