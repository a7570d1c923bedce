"""Many processes: a board connected to server A sees the call made through
server B's API, over real sockets, PostgreSQL and Redis (DESIGN.md, two run
profiles). Runs in the PostgreSQL + Redis round of ``.ci/run``."""

import asyncio
import json

import httpx
import pytest
import websockets
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from eventhub.core.models import Kiosk
from screenings.services.queue import queue_join
from tests.factories import EventFactory, KioskFactory
from tests.screenings.helpers import doctor_of, make_service
from tests.servers import asgi_servers, live_database_env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_db_connections"),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="two server processes share PostgreSQL and Redis",
    ),
]


@pytest.fixture
def two_servers():
    with asgi_servers(2, env=live_database_env()) as servers:
        yield servers


@sync_to_async
def seed_fair():
    event = EventFactory()
    service = make_service(event, code="T", name="Thyroid ultrasound", stations=2)
    station = service.stations.first()
    token = Token.objects.create(user=doctor_of(service, station)).key
    for name in ("Ioana", "Milica", "Petar"):
        queue_join(service_id=service.pk, walk_in={"first_name": name})
    board = KioskFactory(event=event, kind=Kiosk.Kind.BOARD, service_code="T")
    return event, station, token, board.token


def board_url(server, event, kiosk_token):
    base = server.url.replace("http://", "ws://")
    return f"{base}/ws/events/{event.slug}/screenings/T/board/?kiosk={kiosk_token}"


async def next_message(ws, seconds=5):
    return json.loads(await asyncio.wait_for(ws.recv(), seconds))


async def test_a_call_made_through_server_b_reaches_boards_on_both_servers(two_servers):
    a, b = two_servers
    event, station, doctor_token, kiosk_token = await seed_fair()
    boards = []
    for server in (a, b):
        ws = await websockets.connect(
            board_url(server, event, kiosk_token), origin=server.url, open_timeout=5
        )
        boards.append(ws)
    try:
        snapshots = [await next_message(ws) for ws in boards]
        assert all(s["type"] == "snapshot" for s in snapshots)
        assert [e["number"] for e in snapshots[0]["waiting"]] == ["T-001", "T-002", "T-003"]
        seq = snapshots[0]["seq"]

        async with httpx.AsyncClient(base_url=b.url, timeout=10) as api:
            response = await api.post(
                f"/api/v1/stations/{station.pk}/call-next/",
                headers={"Authorization": f"Token {doctor_token}"},
            )
        assert response.status_code == 200
        assert response.json()["number"] == "T-001"

        for ws in boards:
            called = await next_message(ws)
            assert called["type"] == "queue.entry_called" and called["seq"] == seq + 1
            assert called["entry"]["number"] == "T-001"
            assert called["entry"]["station"] == station.name
            assert called["waiting_count"] == 2
            assert "Ioana" not in json.dumps(called)  # a public board: never names
    finally:
        for ws in boards:
            await ws.close()


async def test_a_board_reconnecting_to_the_other_server_gets_a_fresh_snapshot(two_servers):
    a, b = two_servers
    event, station, doctor_token, kiosk_token = await seed_fair()
    ws = await websockets.connect(board_url(a, event, kiosk_token), origin=a.url, open_timeout=5)
    first = await next_message(ws)
    await ws.close()
    # While the board is away, the doctor calls two people through A.
    async with httpx.AsyncClient(base_url=a.url, timeout=10) as api:
        for _ in range(2):
            response = await api.post(
                f"/api/v1/stations/{station.pk}/call-next/",
                headers={"Authorization": f"Token {doctor_token}"},
            )
            assert response.status_code == 200
    async with websockets.connect(
        board_url(b, event, kiosk_token), origin=b.url, open_timeout=5
    ) as again:
        snapshot = await next_message(again)
    assert snapshot["type"] == "snapshot" and snapshot["seq"] == first["seq"] + 2
    assert [e["number"] for e in snapshot["waiting"]] == ["T-003"]
    assert [e["number"] for e in snapshot["serving"]][:1] == ["T-002"]
