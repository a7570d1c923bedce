"""A morning rush on two server processes: every answer clean, counts exact.

1. 200 people register at the same moment for the last 5 places of the fair.
2. 200 registered people book the last seat of a training session at once.

Against 2 uvicorn workers on PostgreSQL + Redis. Figures: how many answers
of each status (the target: 201 or a clean 4xx, never a 5xx), the exact
confirmed counts, p50/p99 latency and the time the whole burst took.
"""

import asyncio
import collections
import datetime as dt
import time

import httpx
from common import latency_stats, report, reset_database, servers, setup_django

BURST = 200


def seed() -> dict:
    import common
    from django.utils import timezone

    from eventhub.demo.fair import load_programme_areas
    from registrations.models import TrainingModule, TrainingSession
    from registrations.services.attendees import attendee_register

    programme = load_programme_areas()["interreg-ipa-ro-rs"]
    region = programme.regions.first().pk
    rush = common.bench_event(slug="rush", programme=programme, capacity=25)
    for n in range(20):
        attendee_register(event_id=rush.pk, first_name="Early", last_name=str(n), region_id=region)
    seats = common.bench_event(slug="seats", programme=programme, capacity=BURST + 10)
    keys = [
        attendee_register(
            event_id=seats.pk, first_name="Ana", last_name=str(n), region_id=region
        ).attendee.ticket.manage_key
        for n in range(BURST)
    ]
    module = TrainingModule.objects.create(event=seats, title="Life-saving skills")
    start = timezone.now() + dt.timedelta(days=13)
    session = TrainingSession.objects.create(
        module=module, starts_at=start, ends_at=start + dt.timedelta(hours=2), capacity=1
    )
    return {"rush": rush.slug, "region": region, "keys": keys, "session": session.pk}


async def burst(requests: list[tuple[str, dict]]) -> tuple[list[httpx.Response], list, float]:
    limits = httpx.Limits(max_connections=BURST, max_keepalive_connections=0)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:

        async def one(url, body):
            started = time.perf_counter()
            response = await client.post(url, json=body)
            return response, (time.perf_counter() - started) * 1000

        started = time.perf_counter()
        done = await asyncio.gather(*(one(url, body) for url, body in requests))
        wall = time.perf_counter() - started
    return [r for r, _ in done], [ms for _, ms in done], wall


def summary(name, answers, samples, wall, **counts) -> None:
    statuses = collections.Counter(answer.status_code for answer in answers)
    report(
        name,
        target="every answer 201 or 4xx, none 5xx; exact counts",
        statuses={str(code): n for code, n in sorted(statuses.items())},
        server_errors=sum(n for code, n in statuses.items() if code >= 500),
        wall_s=round(wall, 2),
        **counts,
        **latency_stats(samples),
    )


def main() -> None:
    reset_database()
    setup_django()
    fair = seed()
    from registrations.models import Attendee, TrainingBooking

    with servers(2, base_port=8130) as urls:
        requests = [
            (
                f"{urls[n % 2]}/api/v1/events/{fair['rush']}/registrations/",
                {
                    "first_name": "Ana",
                    "last_name": f"Pop {n}",
                    "email": f"ana{n}@example.org",
                    "region": fair["region"],
                    "category": "citizen",
                    "consent": True,
                },
            )
            for n in range(BURST)
        ]
        answers, samples, wall = asyncio.run(burst(requests))
        confirmed = Attendee.objects.filter(event__slug=fair["rush"], status="confirmed").count()
        summary("burst_registrations", answers, samples, wall, confirmed=confirmed, capacity=25)

        requests = [
            (f"{urls[n % 2]}/api/v1/tickets/{key}/bookings/", {"session": fair["session"]})
            for n, key in enumerate(fair["keys"])
        ]
        answers, samples, wall = asyncio.run(burst(requests))
        seated = TrainingBooking.objects.filter(
            session_id=fair["session"], status="confirmed"
        ).count()
        summary("burst_training_seat", answers, samples, wall, seated=seated, seats=1)


if __name__ == "__main__":
    main()
