"""Screening benchmarks on PostgreSQL + Redis with 2 uvicorn workers.

1. Appointment booking: 50 concurrent clients race for one slot (capacity 2),
   ten rounds; every request's latency counts (201 and 409 alike), and each
   round must end with exactly ``capacity`` bookings.
2. call-next: 4 stations call the next person concurrently from one queue
   until it is empty; every person must be called exactly once.

Run: ``.venv/bin/python bench/bench_screenings.py`` (BENCH_DB, BENCH_REDIS_URL
and BENCH_BASE_PORT choose the database, Redis and ports).
"""

import asyncio
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import httpx  # noqa: E402

CLIENTS = 50
ROUNDS = 10
CAPACITY = 2
STATIONS = 4
QUEUE_LENGTH = 400
BASE_PORT = int(os.environ.get("BENCH_BASE_PORT", "8140"))


def seed() -> dict:
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from eventhub.core.models import StaffRole
    from eventhub.core.services import staff_add
    from registrations.models import Attendee, Ticket
    from screenings.models import Queue, Service, Slot, Station

    now = timezone.now()
    event = common.bench_event()
    thyroid = Service.objects.create(event=event, code="T", name="Thyroid ultrasound")
    Queue.objects.create(service=thyroid)
    start = now + dt.timedelta(days=14)
    slots = [
        Slot.objects.create(
            service=thyroid,
            starts_at=start + dt.timedelta(minutes=15 * i),
            ends_at=start + dt.timedelta(minutes=15 * (i + 1)),
            capacity=CAPACITY,
        )
        for i in range(ROUNDS)
    ]
    people = Attendee.objects.bulk_create(
        [
            Attendee(
                event=event,
                first_name="Bench",
                last_name=f"No{i}",
                email=f"bench{i}@example.org",
                terms_accepted_at=now,
                confirmed_at=now,
            )
            for i in range(CLIENTS * ROUNDS)
        ]
    )
    Ticket.objects.bulk_create([Ticket(attendee=a) for a in people])
    codes = list(
        Ticket.objects.filter(attendee__event=event)
        .order_by("pk")
        .values_list("manage_key", flat=True)
    )

    queue_service = Service.objects.create(event=event, code="Q", name="Queue bench")
    Queue.objects.create(service=queue_service)
    stations = [
        Station.objects.create(service=queue_service, name=f"Station {n + 1}", position=n)
        for n in range(STATIONS)
    ]
    staff_add(event_id=event.pk, role=StaffRole.Role.DOCTOR, username="bench-doctor")
    token = Token.objects.get(user__username="bench-doctor").key
    for station in stations:
        station.doctors.add(Token.objects.get(key=token).user)
    return {
        "slots": [s.pk for s in slots],
        "codes": codes,
        "stations": [s.pk for s in stations],
        "token": token,
        "queue_service_id": queue_service.pk,
    }


def fill_queue(service_id: int) -> None:
    from screenings.services.queue import queue_join

    for n in range(QUEUE_LENGTH):
        queue_join(service_id=service_id, walk_in={"first_name": f"W{n}"})


async def bench_booking(urls, data) -> dict:
    samples, outcomes = [], []
    async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=200)) as client:
        for round_no, slot_id in enumerate(data["slots"]):
            codes = data["codes"][round_no * CLIENTS : (round_no + 1) * CLIENTS]
            gate = asyncio.Event()

            async def book(i, code, slot_id=slot_id, gate=gate):
                await gate.wait()
                url = f"{urls[i % len(urls)]}/api/v1/tickets/{code}/appointments/"
                started = time.perf_counter()
                response = await client.post(url, json={"slot": slot_id, "health_consent": True})
                samples.append((time.perf_counter() - started) * 1000)
                return response.status_code

            tasks = [asyncio.create_task(book(i, code)) for i, code in enumerate(codes)]
            await asyncio.sleep(0.05)
            gate.set()
            statuses = await asyncio.gather(*tasks)
            outcomes.append((statuses.count(201), statuses.count(409), len(statuses)))
    return {"samples": samples, "outcomes": outcomes}


async def bench_call_next(urls, data) -> dict:
    samples, called = [], []
    headers = {"Authorization": f"Token {data['token']}"}
    async with httpx.AsyncClient(timeout=60, headers=headers) as client:

        async def station_loop(i, station_id):
            url = f"{urls[i % len(urls)]}/api/v1/stations/{station_id}/call-next/"
            while True:
                started = time.perf_counter()
                response = await client.post(url)
                samples.append((time.perf_counter() - started) * 1000)
                if response.status_code == 204:
                    return
                response.raise_for_status()
                called.append(response.json()["id"])

        await asyncio.gather(*(station_loop(i, s) for i, s in enumerate(data["stations"])))
    return {"samples": samples, "called": called}


def main() -> None:
    common.reset_database()
    common.setup_django()
    data = seed()
    fill_queue(data["queue_service_id"])
    from django.db import connections

    connections.close_all()
    with common.servers(2, base_port=BASE_PORT) as urls:
        # warm-up: one request per worker
        for url in urls:
            httpx.get(f"{url}/api/v1/events/bench-fair/screenings/", timeout=10)
        booking = asyncio.run(bench_booking(urls, data))
        calls = asyncio.run(bench_call_next(urls, data))

    from screenings.models import Slot

    overbooked = Slot.objects.filter(booked_count__gt=CAPACITY).count()
    booked_ok = all(ok == CAPACITY and ok + full == n for ok, full, n in booking["outcomes"])
    common.report(
        "screenings.appointment_book",
        target="p99 < 500 ms with 50 clients racing for one slot",
        clients=CLIENTS,
        rounds=ROUNDS,
        capacity=CAPACITY,
        exactly_capacity_booked=booked_ok,
        overbooked_slots=overbooked,
        **common.latency_stats(booking["samples"]),
    )
    # Each round: exactly CAPACITY booked (201), everyone else told it is full (409).
    assert booked_ok and not overbooked, booking["outcomes"]
    unique = len(set(calls["called"])) == len(calls["called"]) == QUEUE_LENGTH
    common.report(
        "screenings.call_next",
        target="p99 < 300 ms with 4 stations calling at once",
        stations=STATIONS,
        queue_length=QUEUE_LENGTH,
        everyone_called_once=unique,
        **common.latency_stats(calls["samples"]),
    )


if __name__ == "__main__":
    main()
