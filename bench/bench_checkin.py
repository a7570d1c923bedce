"""Check-in API under gate load: 16 concurrent scanners, 2 server processes.

Pass 1 scans 2,000 distinct tickets once each (every answer ``ok``); pass 2
scans them all again (every answer ``already_checked_in``). Each scanner is
one keep-alive connection to one of the two uvicorn workers, like a phone at
a gate. Targets (issue 4): p99 under 25 ms and at least 500 scans/s.

    BENCH_DB=eventhub_bench_checkin .venv/bin/python bench/bench_checkin.py
"""

import asyncio
import os
import subprocess
import time
import uuid
from pathlib import Path

import httpx
from common import bench_event, latency_stats, report, reset_database, servers, setup_django

TICKETS = 2000
SCANNERS = 16
BASE_PORT = 8120
TARGET = "p99 < 25 ms, >= 500 scans/s"


def seed() -> tuple[str, list[str], list[str]]:
    """A published fair with 2,000 confirmed attendees and 16 volunteers."""

    from django.contrib.auth import get_user_model
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from eventhub.core.models import StaffRole
    from registrations.models import Attendee, Ticket

    now = timezone.now()
    event = bench_event(days_ahead=1, capacity=TICKETS + 100)
    attendees = Attendee.objects.bulk_create(
        Attendee(
            event=event,
            first_name="Visitor",
            last_name=f"No. {i:04d}",
            email=f"visitor{i}@example.org",
            terms_accepted_at=now,
            confirmed_at=now,
        )
        for i in range(TICKETS)
    )
    tickets = Ticket.objects.bulk_create(Ticket(attendee=a) for a in attendees)
    payloads = [
        t.qr_payload
        for t in Ticket.objects.select_related("attendee").filter(pk__in=[t.pk for t in tickets])
    ]
    tokens = []
    for i in range(SCANNERS):
        user = get_user_model().objects.create_user(username=f"gate{i}")
        StaffRole.objects.create(event=event, user=user, role=StaffRole.Role.VOLUNTEER)
        tokens.append(Token.objects.create(user=user).key)
    return event.slug, payloads, tokens


async def scan_pass(urls, slug, payloads, tokens, expected):
    queue: asyncio.Queue = asyncio.Queue()
    for payload in payloads:
        queue.put_nowait(payload)
    latencies, wrong = [], []

    async def scanner(i):
        async with httpx.AsyncClient(
            base_url=urls[i % len(urls)],
            headers={"Authorization": f"Token {tokens[i]}"},
            timeout=10,
        ) as client:
            while True:
                try:
                    payload = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                body = {"payload": payload, "gate": f"Gate {i % 4}", "nonce": uuid.uuid4().hex}
                start = time.perf_counter()
                response = await client.post(f"/api/v1/events/{slug}/checkins/", json=body)
                latencies.append((time.perf_counter() - start) * 1000)
                result = response.json().get("result") if response.status_code == 200 else None
                if result != expected:
                    wrong.append((response.status_code, result))

    started = time.perf_counter()
    await asyncio.gather(*(scanner(i) for i in range(SCANNERS)))
    elapsed = time.perf_counter() - started
    return latencies, elapsed, wrong


def server_cpu_seconds(base_port: int, count: int) -> float:
    """CPU time used so far by the uvicorn workers (Linux /proc), 0 elsewhere.

    CPU per scan is steadier than wall-clock figures on a shared machine.
    """
    pattern = "|".join(f"--port {base_port + i}" for i in range(count))
    try:
        pids = subprocess.run(
            ["pgrep", "-f", f"uvicorn.*({pattern})"], capture_output=True, text=True
        ).stdout.split()
        total = 0
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        return 0.0


async def warm_up(urls, slug, tokens):
    for i, url in enumerate(urls):
        async with httpx.AsyncClient(
            base_url=url, headers={"Authorization": f"Token {tokens[i]}"}
        ) as client:
            for _ in range(20):
                await client.post(f"/api/v1/events/{slug}/checkins/", json={"payload": "warm-up"})


def main():
    reset_database()
    setup_django()
    slug, payloads, tokens = seed()
    with servers(2, base_port=BASE_PORT) as urls:
        asyncio.run(warm_up(urls, slug, tokens))
        for name, expected in (("first scans", "ok"), ("re-scans", "already_checked_in")):
            cpu_before = server_cpu_seconds(BASE_PORT, len(urls))
            latencies, elapsed, wrong = asyncio.run(
                scan_pass(urls, slug, payloads, tokens, expected)
            )
            cpu = server_cpu_seconds(BASE_PORT, len(urls)) - cpu_before
            report(
                f"checkin: {name}",
                target=TARGET,
                scanners=SCANNERS,
                servers=len(urls),
                scans=len(latencies),
                scans_per_s=round(len(latencies) / elapsed, 1),
                unexpected=len(wrong),
                server_cpu_ms_per_scan=round(cpu / len(latencies) * 1000, 2),
                **latency_stats(latencies),
            )

    from registrations.models import CheckIn

    admitted = CheckIn.objects.filter(event__slug=slug).count()
    report("checkin: admitted once each", tickets=TICKETS, check_ins=admitted)


if __name__ == "__main__":
    main()
