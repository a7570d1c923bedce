"""The home page in real headless Chromium, switching language with the switcher."""

import pytest
from playwright.sync_api import expect

from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_switches_to_romanian_and_serbian(live_server, page):
    EventFactory(name="Interreg Cooperation Day — Timișoara")
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Upcoming fairs")).to_be_visible()
    expect(page.get_by_role("link", name="Interreg Cooperation Day — Timișoara")).to_be_visible()

    page.get_by_label("Language").select_option("ro")
    expect(page.get_by_role("heading", name="Târguri viitoare")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "ro")

    page.get_by_label("Limba").select_option("sr-latn")
    expect(page.get_by_role("heading", name="Predstojeći sajmovi")).to_be_visible()
