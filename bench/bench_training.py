"""Training bookings under contention, and certificate rendering.

1. Booking latency: 20 concurrent clients book seats in ONE session that is
   already full, so every request takes the same session row lock and joins
   the waiting list (the contended case), against 2 uvicorn workers on
   PostgreSQL + Redis (each booking also broadcasts a stats change).
2. Certificate PDF render time in this process: the first render (cold
   WeasyPrint and fonts) and the median of the next 20.

Run: BENCH_DB=eventhub_bench_training .venv/bin/python bench/bench_training.py
"""

import datetime as dt
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_DB", "eventhub_bench_training")

import httpx  # noqa: E402
from common import bench_event, latency_stats, report, reset_database, servers, setup_django  # noqa: E402

CLIENTS = 20
REQUESTS_PER_CLIENT = 25
BASELINE_REQUESTS = 40
BASE_PORT = int(os.environ.get("BENCH_TRAINING_PORT", "8130"))


def seed(attendees: int):
    from django.utils import timezone

    from registrations.models import Attendee, Ticket, TrainingModule, TrainingSession
    from registrations.services.training import training_booking_create

    now = timezone.now()
    event = bench_event(slug="bench-training", capacity=100_000)
    module = TrainingModule.objects.create(event=event, title="Basic life support")
    session = TrainingSession.objects.create(
        module=module,
        starts_at=now + dt.timedelta(days=14, hours=1),
        ends_at=now + dt.timedelta(days=14, hours=2, minutes=30),
        room="Training tent",
        capacity=15,
    )
    people = Attendee.objects.bulk_create(
        Attendee(
            event=event,
            first_name="Person",
            last_name=f"No{n}",
            email=f"person{n}@example.org",
            terms_accepted_at=now,
            confirmed_at=now,
        )
        for n in range(attendees + 15)
    )
    tickets = Ticket.objects.bulk_create(Ticket(attendee=a) for a in people)
    for ticket in tickets[:15]:  # fill the session
        training_booking_create(attendee_id=ticket.attendee_id, session_id=session.pk)
    return session.pk, [t.manage_key for t in tickets[15:]]


def bench_bookings(urls, session_id, codes, clients=CLIENTS):
    samples, statuses, lock = [], {}, threading.Lock()
    start = threading.Barrier(clients)

    def client(index):
        mine = codes[index::clients]
        with httpx.Client(base_url=urls[index % len(urls)], timeout=30) as http:
            http.get("/healthz")
            start.wait()
            for code in mine:
                t0 = time.perf_counter()
                response = http.post(
                    f"/api/v1/tickets/{code}/bookings/", json={"session": session_id}
                )
                elapsed = (time.perf_counter() - t0) * 1000
                with lock:
                    samples.append(elapsed)
                    ok = response.headers.get("content-type", "").startswith("application/json")
                    body = response.json() if ok else {}
                    key = f"{response.status_code}:{body.get('status', 'error')}"
                    statuses[key] = statuses.get(key, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples, statuses, time.perf_counter() - t0


def bench_certificate():
    from django.utils import timezone

    from registrations.certificate_pdf import render_certificate_pdf
    from registrations.models import TrainingBooking
    from registrations.services.training import certificate_issue

    booking = TrainingBooking.objects.filter(status="confirmed").order_by("pk").first()
    TrainingBooking.objects.filter(pk=booking.pk).update(checked_in_at=timezone.now())
    certificate = certificate_issue(booking_id=booking.pk, send_email=False)
    t0 = time.perf_counter()
    render_certificate_pdf(certificate)
    first = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        render_certificate_pdf(certificate)
        times.append((time.perf_counter() - t0) * 1000)
    return first, statistics.median(times)


def main():
    reset_database()
    setup_django()
    from registrations.models import TrainingBooking, TrainingSession

    session_id, codes = seed(CLIENTS * REQUESTS_PER_CLIENT + BASELINE_REQUESTS)
    with servers(count=2, base_port=BASE_PORT) as urls:
        # One client alone first: the cost of a booking without contention.
        alone, _, _ = bench_bookings(urls, session_id, codes[:BASELINE_REQUESTS], clients=1)
        samples, statuses, wall = bench_bookings(urls, session_id, codes[BASELINE_REQUESTS:])
    session = TrainingSession.objects.get(pk=session_id)
    confirmed = TrainingBooking.objects.filter(session_id=session_id, status="confirmed").count()
    assert session.booked_count == confirmed == 15, (session.booked_count, confirmed)
    # Every booking of the full session is answered: waitlisted, nothing else.
    assert statuses == {"201:waitlisted": len(samples)}, statuses
    report("training_booking_one_client", clients=1, workers=2, **latency_stats(alone))
    report(
        "training_booking_full_session",
        target="all 500 answered 201 waitlisted, exactly 15 confirmed (asserted)",
        clients=CLIENTS,
        workers=2,
        throughput_rps=round(len(samples) / wall, 1),
        answers=statuses,
        **latency_stats(samples),
    )
    first, median = bench_certificate()
    report(
        "training_certificate_pdf",
        target="one page; informational",
        first_ms=round(first, 1),
        median_of_20_ms=round(median, 1),
    )


if __name__ == "__main__":
    main()
