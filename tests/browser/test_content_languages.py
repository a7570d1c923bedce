"""A Serbian visitor in Chromium reads the demo fair in Serbian: the event
page after choosing Serbian, the booking page (with its eligibility
questions) in the language saved with her registration, whatever the
browser asks for. No English text of the organizer's is left (issue 13)."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from eventhub.demo.fair import DEMO_SLUG
from registrations.models import Attendee
from tests.i18n_tools import english_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def english_browser(browser):
    context = browser.new_context(locale="en-GB")
    yield context.new_page()
    context.close()


def test_a_serbian_visitor_reads_the_event_and_booking_pages_in_serbian(
    live_server, english_browser
):
    page = english_browser
    call_command("load_demo", stdout=StringIO())
    page.goto(f"{live_server.url}/e/{DEMO_SLUG}/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language", exact=True).select_option("sr-latn")
    expect(page.locator("html")).to_have_attribute("lang", "sr-latn")
    expect(page.get_by_role("heading", name="Dan Interreg saradnje — Temišvar")).to_be_visible()
    assert english_in(page.locator("body").inner_text()) == []

    # Another phone, English by default: her ticket speaks her saved language.
    page.context.clear_cookies()
    milica = Attendee.objects.get(event__slug=DEMO_SLUG, email="milica.jovanovic@example.org")
    page.goto(f"{live_server.url}/t/{milica.ticket.code}/screenings/B/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^sr"))
    expect(page.get_by_text("Da li ste radili mamografiju u poslednjih 12 meseci?")).to_be_visible()
    expect(page.get_by_text("Da li ste trudni ili dojite?")).to_be_visible()
    assert english_in(page.locator("body").inner_text()) == []
