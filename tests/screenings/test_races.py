"""Concurrency on PostgreSQL: a slot never holds more people than its capacity,
and two stations calling at the same instant never get the same person."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from django.db import connection, connections

from registrations.models import Attendee, Ticket
from screenings.models import Appointment, QueueEntry, Slot
from screenings.services.appointments import appointment_book, appointment_cancel
from screenings.services.queue import queue_call_next, queue_join
from tests.screenings.helpers import make_attendee, make_service, make_slot

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="select_for_update races need PostgreSQL"
    ),
]

# PostgreSQL allows 100 connections, shared with other test runs on the
# machine: 200 requests go out through 20 client threads at once (RACE_IN_FLIGHT).
REQUESTS = 200
IN_FLIGHT = int(os.environ.get("RACE_IN_FLIGHT", "20"))


def many_attendees(event, n):
    people = Attendee.objects.bulk_create(
        [
            Attendee(
                event=event,
                first_name="Racer",
                last_name=f"No{i}",
                email=f"racer{i}@example.org",
                terms_accepted_at=event.created_at,
                status=Attendee.Status.CONFIRMED,
            )
            for i in range(n)
        ]
    )
    Ticket.objects.bulk_create([Ticket(attendee=a) for a in people])
    return list(Ticket.objects.filter(attendee__in=people).values_list("manage_key", flat=True))


def test_200_parallel_bookings_for_the_last_6_places_book_exactly_6(live_server, event):
    service = make_service(event)
    slot = make_slot(service, capacity=10)
    for _ in range(4):
        holder = make_attendee(event)
        appointment_book(slot_id=slot.pk, attendee_id=holder.pk, health_consent=True)
    codes = many_attendees(event, REQUESTS)
    gate = threading.Event()

    def book(code):
        gate.wait()
        response = client.post(
            f"{live_server.url}/api/v1/tickets/{code}/appointments/",
            json={"slot": slot.pk, "health_consent": True},
        )
        body = response.json()
        return response.status_code, body.get("error", {}).get("code")

    with (
        httpx.Client(timeout=60, limits=httpx.Limits(max_connections=IN_FLIGHT)) as client,
        ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool,
    ):
        futures = [pool.submit(book, code) for code in codes]
        gate.set()
        results = [f.result() for f in futures]

    assert results.count((201, None)) == 6
    assert results.count((409, "slot_full")) == REQUESTS - 6
    slot.refresh_from_db()
    assert slot.booked_count == slot.capacity == 10
    assert Appointment.objects.filter(slot=slot, status="booked").count() == 10


def test_two_stations_calling_at_once_never_get_the_same_person(event):
    service = make_service(event, stations=4)
    stations = list(service.stations.values_list("pk", flat=True))
    rounds = 6
    for n in range(rounds * len(stations)):
        queue_join(service_id=service.pk, walk_in={"first_name": f"P{n}"})
    barrier = threading.Barrier(len(stations))

    def station_worker(station_id):
        called = []
        try:
            for _ in range(rounds):
                barrier.wait()
                entry = queue_call_next(station_id=station_id)
                called.append(entry.pk if entry else None)
        finally:
            connections.close_all()
        return called

    with ThreadPoolExecutor(max_workers=len(stations)) as pool:
        per_station = list(pool.map(station_worker, stations))

    called = [pk for calls in per_station for pk in calls]
    assert None not in called
    assert len(called) == len(set(called)) == rounds * len(stations)
    assert not QueueEntry.objects.filter(queue__service=service, status="waiting").exists()
    # every station got its own people, in serving order within the queue
    numbers = sorted(
        QueueEntry.objects.filter(queue__service=service).values_list("number", flat=True)
    )
    assert numbers == list(range(1, rounds * len(stations) + 1))


def test_parallel_walk_ins_get_distinct_consecutive_numbers(event):
    service = make_service(event)
    barrier = threading.Barrier(8)

    def join(n):
        try:
            barrier.wait()
            return queue_join(service_id=service.pk, walk_in={"first_name": f"W{n}"}).number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        numbers = sorted(pool.map(join, range(8)))
    assert numbers == [f"T-{n:03d}" for n in range(1, 9)]
    assert Slot.objects.count() == 0


def test_parallel_bookings_into_a_slot_with_a_waiting_list_and_cancellations(event):
    """Through the one engine: 24 people book a 3-place slot with a waiting
    list at once (3 booked, 21 waiting); then the 3 holders cancel at once
    and exactly the 3 earliest waiting people are promoted."""
    service = make_service(event, waitlist=True)
    slot = make_slot(service, capacity=3)
    people = [make_attendee(event).pk for _ in range(24)]
    start = threading.Barrier(len(people))

    def book(attendee_id):
        try:
            start.wait()
            return appointment_book(slot_id=slot.pk, attendee_id=attendee_id, health_consent=True)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        appointments = list(pool.map(book, people))

    assert sorted(a.status for a in appointments).count("booked") == 3
    slot.refresh_from_db()
    assert slot.booked_count == 3
    holders = list(
        Appointment.objects.filter(slot=slot, status="booked").values_list("pk", flat=True)
    )
    first_waiting = list(
        Appointment.objects.filter(slot=slot, status="waitlisted")
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:3]
    )
    release = threading.Barrier(len(holders))

    def cancel(appointment_id):
        try:
            release.wait()
            return appointment_cancel(appointment_id=appointment_id)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(holders)) as pool:
        list(pool.map(cancel, holders))

    slot.refresh_from_db()
    booked = set(
        Appointment.objects.filter(slot=slot, status="booked").values_list("pk", flat=True)
    )
    assert slot.booked_count == len(booked) == 3
    assert booked == set(first_waiting)
    assert Appointment.objects.filter(slot=slot, status="waitlisted").count() == 18
