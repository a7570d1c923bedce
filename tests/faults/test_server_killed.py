"""A server process killed in the middle of the gate's rush: scanners retry
on the other one with the same nonce, and no scan is lost or doubled (issue 12).
PostgreSQL + Redis round only."""

import asyncio
import signal

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from rest_framework.authtoken.models import Token

from eventhub.core.models import StaffRole
from registrations.models import CheckIn
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory
from tests.servers import asgi_servers, live_database_env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql" or not settings.REDIS_URL,
        reason="two server processes share PostgreSQL and Redis",
    ),
]
TICKETS = 60
SCANNERS = 6


SERVER_APP = "eventhub-fault-server"


@pytest.fixture
def two_servers():
    env = live_database_env()
    env["DATABASE_URL"] += f"?application_name={SERVER_APP}"
    with asgi_servers(2, env=env) as servers:
        yield servers
    # A killed process leaves its database sessions behind for a while.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [SERVER_APP],
        )


@sync_to_async
def gate_rush():
    event = EventFactory(capacity=TICKETS)
    payloads = [AttendeeFactory(event=event).ticket.qr_payload for _ in range(TICKETS)]
    volunteer = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    return event, payloads, Token.objects.create(user=volunteer).key


async def test_a_killed_server_loses_no_scan_and_doubles_none(two_servers):
    event, payloads, token = await gate_rush()
    a, b = two_servers
    answers = {}
    killed = asyncio.Event()

    async def scanner(client, lane):
        """One gate's phone: its share of the tickets, each scan sent to its
        server and, if that one is gone, again to the other with the same nonce."""
        for n in range(lane, TICKETS, SCANNERS):
            body = {"payload": payloads[n], "gate": f"Gate {lane}", "nonce": f"scan-{n}"}
            for server in (a, b) if lane % 2 else (b, a):
                try:
                    response = await client.post(
                        f"{server.url}/api/v1/events/{event.slug}/checkins/", json=body
                    )
                except httpx.TransportError:
                    continue
                answers[n] = response.json()["result"]
                break
            if len(answers) >= TICKETS // 3 and not killed.is_set():
                killed.set()
                a.proc.send_signal(signal.SIGKILL)  # server A loses power mid-rush

    headers = {"Authorization": f"Token {token}"}
    async with httpx.AsyncClient(headers=headers, timeout=10) as client:
        await asyncio.wait_for(
            asyncio.gather(*(scanner(client, lane) for lane in range(SCANNERS))), 120
        )
    assert killed.is_set()
    assert sorted(answers) == list(range(TICKETS))
    assert set(answers.values()) == {"ok"}

    @sync_to_async
    def admitted():
        return (
            CheckIn.objects.filter(event=event).count(),
            CheckIn.objects.filter(event=event).values("ticket").distinct().count(),
        )

    assert await admitted() == (TICKETS, TICKETS)
