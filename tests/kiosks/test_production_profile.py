"""The production profile end to end (deploy/serve): nginx in front, pages
and the API through gunicorn (WSGI), sockets through uvicorn (ASGI), the two
joined by PostgreSQL and Redis. Runs in the PostgreSQL + Redis round of
``.ci/run`` (which installs nginx)."""

import asyncio
import json
import subprocess

import httpx
import pytest
import websockets
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from eventhub.core.models import Kiosk, StaffRole
from screenings.services.queue import queue_join
from tests.factories import AttendeeFactory, EventFactory, KioskFactory, StaffRoleFactory
from tests.screenings.helpers import doctor_of, make_service
from tests.servers import live_database_env, nginx_path, production_profile

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_db_connections"),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="the production profile runs on PostgreSQL and Redis",
    ),
    pytest.mark.skipif(nginx_path() is None, reason="nginx is missing (apt-get install nginx)"),
]


@pytest.fixture(scope="module")
def profile(django_db_setup):
    with production_profile(env=live_database_env(), wsgi_workers=2, asgi_workers=2) as running:
        yield running


@sync_to_async
def seed_fair():
    event = EventFactory()
    service = make_service(event, code="T", name="Thyroid ultrasound", stations=2)
    station = service.stations.first()
    doctor = Token.objects.create(user=doctor_of(service, station)).key
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    scanner = Token.objects.create(user=volunteer).key
    for name in ("Ioana", "Milica"):
        queue_join(service_id=service.pk, walk_in={"first_name": name})
    board = KioskFactory(event=event, kind=Kiosk.Kind.BOARD, service_code="T")
    stats = KioskFactory(event=event, kind=Kiosk.Kind.STATS)
    attendee = AttendeeFactory(event=event, first_name="Ioana", last_name="Popescu")
    return event, station, doctor, scanner, board.token, stats.token, attendee.ticket.qr_payload


async def next_message(ws, seconds=5):
    return json.loads(await asyncio.wait_for(ws.recv(), seconds))


async def test_pages_api_and_sockets_all_answer_through_the_proxy(profile):
    event, station, doctor, scanner, board, stats, payload = await seed_fair()
    ws_base = profile.url.replace("http://", "ws://")
    async with httpx.AsyncClient(base_url=profile.url, timeout=10) as http:
        page = await http.get(f"/e/{event.slug}/")
        assert page.status_code == 200
        assert event.name in page.text

        board_ws = await websockets.connect(
            f"{ws_base}/ws/events/{event.slug}/screenings/T/board/?kiosk={board}",
            origin=profile.url,
            open_timeout=5,
        )
        stats_ws = await websockets.connect(
            f"{ws_base}/ws/events/{event.slug}/stats/?kiosk={stats}",
            origin=profile.url,
            open_timeout=5,
        )
        try:
            snapshot = await next_message(board_ws)
            assert snapshot["type"] == "snapshot"
            assert [e["number"] for e in snapshot["waiting"]] == ["T-001", "T-002"]
            stats_snapshot = await next_message(stats_ws)
            assert stats_snapshot["type"] == "snapshot"

            called = await http.post(
                f"/api/v1/stations/{station.pk}/call-next/",
                headers={"Authorization": f"Token {doctor}"},
            )
            assert called.status_code == 200
            assert called.json()["number"] == "T-001"
            update = await next_message(board_ws)
            assert update["type"] == "queue.entry_called"
            assert update["entry"]["number"] == "T-001"
            assert update["seq"] == snapshot["seq"] + 1

            scanned = await http.post(
                f"/api/v1/events/{event.slug}/checkins/",
                json={"payload": payload, "gate": "North"},
                headers={"Authorization": f"Token {scanner}"},
            )
            assert scanned.status_code == 200
            assert scanned.json()["result"] == "ok"
            assert scanned.json()["display_name"] == "Ioana Popescu"
            while (changed := await next_message(stats_ws))["part"] != "attendance":
                pass  # the queue's own figures come first
            assert changed["type"] == "stats"
            assert changed["seq"] > stats_snapshot["seq"]
        finally:
            await board_ws.close()
            await stats_ws.close()


def test_stopping_the_profile_stops_every_process(django_db_setup):
    with production_profile(env=live_database_env(), wsgi_workers=1, asgi_workers=1) as running:
        pid = running.proc.pid
        assert httpx.get(f"{running.url}/healthz", timeout=5).status_code == 200
        url = running.url
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{url}/healthz", timeout=2)
    left = subprocess.run(["pgrep", "-s", str(pid)], capture_output=True, text=True).stdout
    assert left.strip() == ""
