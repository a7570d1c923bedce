"""The board against a real server: after a hand-over NEXT shows who the
stations will call, a finished number moves to "recently called" with its
station, and the estimate reads the same as the console's."""

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
from tests.servers import asgi_servers, live_database_env

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
    event = EventFactory()
    service = make_service(event, code="T", name="Thyroid ultrasound", stations=2)
    first, second = service.stations.order_by("position")
    token = Token.objects.create(user=doctor_of(service, first)).key
    entries = [
        queue_join(service_id=service.pk, walk_in={"first_name": name}).entry.pk
        for name in ("Ioana", "Milica", "Petar")
    ]
    board = KioskFactory(event=event, kind=Kiosk.Kind.BOARD, service_code="T")
    return first, second, token, entries, board


def test_the_board_shows_next_as_called_and_keeps_finished_numbers(server, browser):
    first, second, token, (ioana, _milica, petar), board = off_the_loop(seed)

    def api(path, body=None):
        response = httpx.post(
            f"{server.url}/api/v1/{path}",
            json=body or {},
            headers={"Authorization": f"Token {token}"},
            timeout=10,
        )
        assert response.status_code < 300, response.text
        return response.json() if response.content else None

    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(server.url + board.get_absolute_url())
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    expect(page.locator("#next li")).to_have_text(["T-001", "T-002", "T-003"])
    expect(page.locator("#recent-box")).to_be_hidden()

    # Petar is sent to the second station: he is next there.
    api(f"queue-entries/{petar}/hand-over/", {"station": second.pk})
    expect(page.locator("#next li")).to_have_text(["T-003", "T-001", "T-002"])
    assert api(f"stations/{first.pk}/call-next/")["number"] == "T-001"
    expect(page.locator("#next li")).to_have_text(["T-003", "T-002"])

    api(f"queue-entries/{ioana}/complete/")
    recent = page.locator("#recent li")
    expect(recent).to_have_count(1)
    expect(recent.locator(".number")).to_have_text("T-001")
    expect(recent.locator(".station")).to_have_text(first.name)
    expect(page.locator("#serving li")).to_have_count(0)
    page.screenshot(path="/tmp/screen-board-recent.png")

    console = httpx.get(
        f"{server.url}/api/v1/stations/{first.pk}/",
        headers={"Authorization": f"Token {token}"},
        timeout=10,
    ).json()
    expect(page.locator("#wait")).to_have_text(f"{console['estimated_wait_minutes']} min")
    page.close()
