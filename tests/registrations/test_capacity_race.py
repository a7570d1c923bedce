"""Capacity under concurrency, on PostgreSQL: 50 people register at once for 20 places."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection, connections
from rest_framework.test import APIClient

from registrations.models import Attendee
from registrations.services.attendees import (
    attendee_cancel,
    attendee_register,
    event_capacity_set,
)
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
    event.refresh_from_db()
    assert event.confirmed_count == CAPACITY

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


def test_cancellations_registrations_and_a_capacity_raise_at_once_never_overfill():
    """Through the one engine: 10 people cancel, 10 register and the organizer
    raises the capacity by 5, all at the same instant, on a full fair with 10
    people waiting. Afterwards the counter equals the confirmed rows, within
    capacity, and the earliest waiting people got the places."""
    event = EventFactory(capacity=CAPACITY)

    def person(n):
        return attendee_register(
            event_id=event.pk, first_name="P", last_name=f"N{n}", email=f"p{n}@example.org"
        ).attendee

    people = [person(n) for n in range(CAPACITY + 10)]
    holders = [p.pk for p in people[:10]]
    waiting = [p.pk for p in people[CAPACITY:]]
    start = threading.Barrier(21)

    def run(job):
        try:
            start.wait()
            return job()
        finally:
            connections.close_all()

    jobs = [lambda pk=pk: attendee_cancel(attendee_id=pk) for pk in holders]
    jobs += [lambda n=n: person(100 + n) for n in range(10)]
    jobs.append(lambda: event_capacity_set(event_id=event.pk, capacity=CAPACITY + 5))
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        list(pool.map(run, jobs))

    event.refresh_from_db()
    confirmed = Attendee.objects.filter(event=event, status="confirmed")
    assert event.capacity == CAPACITY + 5
    assert event.confirmed_count == confirmed.count() == CAPACITY + 5
    # The ten who waited before the race came first: all of them got in.
    assert set(waiting) <= set(confirmed.values_list("pk", flat=True))
