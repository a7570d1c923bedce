"""The "now serving" board in real headless Chromium against a real uvicorn
process: a doctor's call shows up at once, and the board rides out a server
restart (reconnecting badge, last state kept, live again afterwards)."""

import httpx
import pytest
from django.db import connection
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

from eventhub.core.models import Kiosk
from screenings.services.queue import queue_join
from tests.browser.threads import off_the_loop
from tests.factories import EventFactory, KioskFactory
from tests.screenings.helpers import doctor_of, make_service
from tests.servers import asgi_servers, live_database_env, wait_healthy

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the server process needs a shared database"
    ),
]


@pytest.fixture
def server():
    with asgi_servers(1, env=live_database_env()) as (one,):
        yield one


def seed():
    event = EventFactory(languages=["en", "ro", "sr-latn"])
    service = make_service(event, code="T", name="Thyroid ultrasound", stations=1)
    station = service.stations.get()
    token = Token.objects.create(user=doctor_of(service, station)).key
    for name in ("Ioana", "Milica", "Petar"):
        queue_join(service_id=service.pk, walk_in={"first_name": name})
    board = KioskFactory(event=event, kind=Kiosk.Kind.BOARD, service_code="T")
    return station, token, board


def test_the_board_shows_each_call_and_recovers_after_a_server_restart(server, browser):
    station, doctor_token, board = off_the_loop(seed)

    def call_next():
        response = httpx.post(
            f"{server.url}/api/v1/stations/{station.pk}/call-next/",
            headers={"Authorization": f"Token {doctor_token}"},
            timeout=10,
        )
        assert response.status_code == 200
        return response.json()["number"]

    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(server.url + board.get_absolute_url())
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.locator("#next li")).to_have_text(["T-001", "T-002", "T-003"])
    expect(page.locator("#waiting")).to_have_text("3")
    expect(page.locator("#serving-empty")).to_be_visible()

    assert call_next() == "T-001"
    fresh = page.locator("#serving li.fresh")
    expect(fresh.locator(".number")).to_have_text("T-001")
    expect(fresh.locator(".station")).to_have_text(station.name)
    expect(page.locator("#next li")).to_have_text(["T-002", "T-003"])
    expect(page.locator("#waiting")).to_have_text("2")
    expect(page.locator("body")).not_to_contain_text("Ioana")
    page.screenshot(path="/tmp/screen-kiosk-board.png")

    server.stop()
    expect(page.locator("#conn")).to_have_attribute("data-state", "reconnecting")
    # The last known state stays on screen while the server is away.
    expect(page.locator("#serving li .number").first).to_have_text("T-001")

    server.start()
    wait_healthy(server.url)
    expect(page.locator("#conn")).to_have_attribute("data-state", "live", timeout=20_000)
    assert call_next() == "T-002"
    expect(page.locator("#serving li.fresh .number")).to_have_text("T-002")
    expect(page.locator("#next li")).to_have_text(["T-003"])
    page.close()
