"""Capacity under concurrency, on PostgreSQL: 50 people register at once for 20 places."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection, connections
from rest_framework.test import APIClient

from registrations.models import Attendee
from registrations.services.attendees import attendee_cancel
from tests.factories import EventFactory, RegionFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises)"
    ),
]

PEOPLE = 50
CAPACITY = 20


def test_fifty_parallel_registrations_fill_twenty_places_and_a_cancellation_promotes_one():
    event = EventFactory(capacity=CAPACITY)
    region = RegionFactory(programme=event.programme)
    url = f"/api/v1/events/{event.slug}/registrations/"
    start = threading.Barrier(PEOPLE)

    def register(n: int):
        # Each thread is one client with its own database connection; the
        # barrier releases all 50 requests at once.
        body = {
            "first_name": "Person",
            "last_name": f"No{n}",
            "email": f"person{n}@example.org",
            "region": region.pk,
            "consent": True,
        }
        client = APIClient()
        try:
            start.wait()
            return client.post(url, body, format="json")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=PEOPLE) as pool:
        responses = list(pool.map(register, range(PEOPLE)))

    assert sorted({r.status_code for r in responses}) == [201]
    statuses = [r.json()["status"] for r in responses]
    assert statuses.count("confirmed") == CAPACITY
    assert statuses.count("waitlisted") == PEOPLE - CAPACITY
    assert Attendee.objects.filter(status="confirmed").count() == CAPACITY
    assert Attendee.objects.filter(status="waitlisted").count() == PEOPLE - CAPACITY

    first_waiting = (
        Attendee.objects.filter(status="waitlisted").order_by("created_at", "pk").first()
    )
    mail.outbox.clear()
    holder = Attendee.objects.filter(status="confirmed").first()
    promoted = attendee_cancel(attendee_id=holder.pk)
    assert [a.pk for a in promoted] == [first_waiting.pk]
    assert Attendee.objects.filter(status="confirmed").count() == CAPACITY
    assert Attendee.objects.filter(status="waitlisted").count() == PEOPLE - CAPACITY - 1
    assert [m.to for m in mail.outbox] == [[first_waiting.email]]
    assert [a[2] for a in mail.outbox[0].attachments] == ["application/pdf", "text/calendar"]
