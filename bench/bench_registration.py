"""Registration latency and throughput, and PDF ticket render time.

1. ``POST /api/v1/events/{event}/registrations/`` from 20 concurrent clients
   against 2 uvicorn workers on PostgreSQL + Redis: p50/p99 latency and
   requests per second. The ticket e-mail and its PDF are enqueued after the
   commit (django-tasks database backend, no worker running), so the request
   pays only for the enqueue. Target: p99 < 100 ms.
2. Rendering one A6 PDF ticket with WeasyPrint in this process: the first
   render (fonts and pango loaded) and the median of 20. Target: median
   < 150 ms.
"""

import asyncio
import os
import statistics
import time

import common
import httpx
from common import latency_stats, report, reset_database, servers, setup_django

# BENCH_DB_POOL=0 measures plain connections per request instead of the pool.
common.BENCH_ENV["DB_POOL"] = os.environ.get("BENCH_DB_POOL", "1")

CLIENTS = 20
PER_CLIENT = 40
WARMUP = 40
PDF_RUNS = 20


def seed() -> tuple[str, int]:

    from eventhub.demo.fair import load_programme_areas

    programme = load_programme_areas()["interreg-ipa-ro-rs"]
    event = common.bench_event(
        name="Ziua Cooperării — Timișoara",
        programme=programme,
        venue="Piața Libertății",
        capacity=(CLIENTS * PER_CLIENT + WARMUP) // 2,  # half confirmed, half waitlisted
    )
    return event.slug, programme.regions.first().pk


def body(n: int, region_id: int) -> dict:
    return {
        "first_name": "Ștefan",
        "last_name": f"Mureșan {n}",
        "email": f"person{n}@example.org",
        "phone": "+40 722 123 456",
        "region": region_id,
        "category": "citizen",
        "language": "ro",
        "consent": True,
    }


async def drive(urls: list[str], slug: str, region_id: int) -> tuple[list[float], float]:
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(timeout=30, limits=limits) as client:

        async def one(n: int) -> float:
            url = f"{urls[n % len(urls)]}/api/v1/events/{slug}/registrations/"
            started = time.perf_counter()
            response = await client.post(url, json=body(n, region_id))
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 201:
                raise RuntimeError(f"{response.status_code}: {response.text[:200]}")
            return elapsed

        for n in range(WARMUP):
            await one(n)

        samples: list[float] = []

        async def client_loop(c: int) -> None:
            for i in range(PER_CLIENT):
                samples.append(await one(WARMUP + c * PER_CLIENT + i))

        started = time.perf_counter()
        await asyncio.gather(*(client_loop(c) for c in range(CLIENTS)))
        wall = time.perf_counter() - started
    return samples, wall


def pdf_times() -> tuple[float, float, float]:
    from registrations.models import Ticket
    from registrations.ticket_pdf import ticket_pdf

    ticket = Ticket.objects.select_related("attendee__event__programme").first()
    started = time.perf_counter()
    import weasyprint  # noqa: F401  (its import is timed apart from the first render)

    import_ms = (time.perf_counter() - started) * 1000
    timings = []
    for _ in range(PDF_RUNS + 1):
        started = time.perf_counter()
        pdf = ticket_pdf(ticket)
        timings.append((time.perf_counter() - started) * 1000)
        assert pdf.startswith(b"%PDF")
    return import_ms, timings[0], statistics.median(timings[1:])


def main() -> None:
    reset_database()
    setup_django()
    slug, region_id = seed()
    with servers(2, base_port=8110) as urls:
        samples, wall = asyncio.run(drive(urls, slug, region_id))
    stats = latency_stats(samples)
    report(
        "registration",
        target="p99 < 100 ms",
        clients=CLIENTS,
        workers=2,
        throughput_rps=round(len(samples) / wall, 1),
        **stats,
    )
    import_ms, first, median = pdf_times()
    report(
        "ticket_pdf",
        target="median < 150 ms",
        weasyprint_import_ms=round(import_ms, 1),
        first_ms=round(first, 1),
        median_ms=round(median, 1),
        runs=PDF_RUNS,
    )


if __name__ == "__main__":
    main()
