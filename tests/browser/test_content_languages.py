"""A Serbian visitor in Chromium reads the demo fair in Serbian: the event
page after choosing Serbian, the booking page (with its eligibility
questions) in the language saved with her registration, whatever the
browser asks for. No English text of the organizer's is left (issue 13)."""

import re
from io import StringIO

import httpx
import pytest
from django.core.management import call_command
from django.db import connection
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

from eventhub.core.models import Kiosk
from eventhub.demo.fair import DEMO_SLUG
from registrations.models import Attendee
from screenings.models import Station
from screenings.services.queue import queue_join
from tests.browser.threads import off_the_loop
from tests.factories import EventFactory, KioskFactory
from tests.i18n_tools import english_in
from tests.screenings.helpers import doctor_of, make_service
from tests.servers import asgi_servers, live_database_env

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
    page.goto(f"{live_server.url}/t/{milica.ticket.manage_key}/screenings/B/")
    expect(page.locator("html")).to_have_attribute("lang", re.compile("^sr"))
    expect(page.get_by_text("Da li ste radili mamografiju u poslednjih 12 meseci?")).to_be_visible()
    expect(page.get_by_text("Da li ste trudni ili dojite?")).to_be_visible()
    assert english_in(page.locator("body").inner_text()) == []


# The board's announcement, captured instead of spoken.
CAPTURE_SPEECH = """
window.spoken = [];
window.SpeechSynthesisUtterance = function (text) { this.text = text; };
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: { speak: function (u) { window.spoken.push({ text: u.text, lang: u.lang }); } },
});
"""


def board_seed():
    event = EventFactory(languages=["ro"])
    service = make_service(event, code="T", name="Thyroid ultrasound", stations=1)
    Station.objects.filter(service=service).update(
        name_en="Ultrasound 1", name_ro="Ecograf 1", name_sr_latn="Ultrazvuk 1"
    )
    station = service.stations.get()
    token = Token.objects.create(user=doctor_of(service, station)).key
    queue_join(service_id=service.pk, walk_in={"first_name": "Ioana"})
    board = KioskFactory(event=event, kind=Kiosk.Kind.BOARD, service_code="T")
    return station, token, board


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the server process needs a shared database"
)
def test_a_romanian_board_names_and_speaks_the_station_in_romanian(browser):
    station, doctor_token, board = off_the_loop(board_seed)
    with asgi_servers(1, env=live_database_env()) as (server,):
        page = browser.new_page()
        page.add_init_script(CAPTURE_SPEECH)
        page.goto(server.url + board.get_absolute_url())
        expect(page.locator("#conn")).to_have_attribute("data-state", "live")
        response = httpx.post(
            f"{server.url}/api/v1/stations/{station.pk}/call-next/",
            headers={"Authorization": f"Token {doctor_token}"},
            timeout=10,
        )
        assert response.status_code == 200
        expect(page.locator("#serving .station")).to_have_text("Ecograf 1")
        page.wait_for_function("() => window.spoken.length > 0")
        (spoken,) = page.evaluate("() => window.spoken")
        assert "Ecograf 1" in spoken["text"] and "Ultrasound" not in spoken["text"]
        assert spoken["lang"] == "ro-RO"
        page.close()
