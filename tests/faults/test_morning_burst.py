"""A normal morning at the fair, on two server processes: 200 people register
at once for the last 5 places, 200 book the last training seat at once.
Exact counts, and every answer a 201 or a clean 4xx: never a 5xx (issue 12).
PostgreSQL + Redis round only."""

import asyncio

import httpx
import pytest
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection

from registrations.models import Attendee, TrainingBooking, TrainingSession
from tests.factories import AttendeeFactory, EventFactory, RegionFactory
from tests.servers import asgi_servers, live_database_env
from tests.training.factories import TrainingSessionFactory

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
BURST = 200


@pytest.fixture
def two_servers():
    with asgi_servers(2, env=live_database_env()) as servers:
        yield servers


async def burst(requests):
    """Send every request at once (bounded: one per person, 60 s in all)."""
    limits = httpx.Limits(max_connections=BURST, max_keepalive_connections=0)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        return await asyncio.gather(*(client.post(url, json=body) for url, body in requests))


@sync_to_async
def fair_with_five_places_left():
    event = EventFactory(capacity=25)
    for _ in range(20):
        AttendeeFactory(event=event)
    return event, RegionFactory(programme=event.programme).pk


@sync_to_async
def session_with_one_seat_left():
    session = TrainingSessionFactory(capacity=1)
    event = session.module.event
    event.capacity = BURST + 10
    event.save(update_fields=["capacity"])
    people = [AttendeeFactory(event=event, language="en") for _ in range(BURST)]
    return session, [person.ticket.manage_key for person in people]


async def test_200_registrations_for_the_last_5_places(two_servers):
    event, region = await fair_with_five_places_left()
    requests = [
        (
            f"{two_servers[n % 2].url}/api/v1/events/{event.slug}/registrations/",
            {
                "first_name": "Ana",
                "last_name": f"Pop {n}",
                "email": f"ana{n}@example.org",
                "region": region,
                "category": "citizen",
                "consent": True,
            },
        )
        for n in range(BURST)
    ]
    answers = await burst(requests)
    statuses = [answer.status_code for answer in answers]
    assert all(status == 201 or 400 <= status < 500 for status in statuses), sorted(set(statuses))
    created = [answer.json()["status"] for answer in answers if answer.status_code == 201]
    assert created.count("confirmed") == 5
    assert created.count("waitlisted") == len(created) - 5

    @sync_to_async
    def confirmed():
        return Attendee.objects.filter(event=event, status="confirmed").count()

    assert await confirmed() == 25


async def test_200_bookings_for_the_last_training_seat(two_servers):
    session, keys = await session_with_one_seat_left()
    requests = [
        (
            f"{two_servers[n % 2].url}/api/v1/tickets/{key}/bookings/",
            {"session": session.pk},
        )
        for n, key in enumerate(keys)
    ]
    answers = await burst(requests)
    statuses = [answer.status_code for answer in answers]
    assert all(status == 201 or 400 <= status < 500 for status in statuses), sorted(set(statuses))

    @sync_to_async
    def seats():
        row = TrainingSession.objects.get(pk=session.pk)
        booked = TrainingBooking.objects.filter(session=row, status="confirmed").count()
        return row.booked_count, booked

    assert await seats() == (1, 1)
