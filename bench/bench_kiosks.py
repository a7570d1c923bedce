"""Board fan-out on PostgreSQL + Redis with 2 uvicorn workers.

N board sockets (``/ws/events/{event}/screenings/T/board/``) are spread over
the two workers; a doctor calls the next person through the API, alternating
workers, one call at a time. For every call, the latency is measured from
just before the ``call-next`` request to the moment each board socket
receives the ``queue.entry_called`` message for that number, so it covers
the request, the commit, Redis and both workers' fan-out. A delivery missing
5 s after the request was answered counts as lost (a slow request is
latency, not a lost message: the change is committed when it answers).

Runs at 10, 100 and 500 sockets (CALLS each; 200 at the target size, 100).
Target: p99 < 100 ms at 100 sockets, no message lost.

Run: ``.venv/bin/python bench/bench_kiosks.py`` (BENCH_DB, BENCH_REDIS_URL and
BENCH_BASE_PORT choose the database, Redis and ports).
"""

import asyncio
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import httpx  # noqa: E402
import websockets  # noqa: E402

BASE_PORT = int(os.environ.get("BENCH_BASE_PORT", "8150"))
RUNS = [(10, 100), (100, 200), (500, 100)]  # (sockets, calls)
STATIONS = 4
DELIVERY_TIMEOUT_S = 5.0


def seed() -> dict:

    from rest_framework.authtoken.models import Token

    from eventhub.core.models import Kiosk, StaffRole
    from eventhub.core.services import kiosk_create, staff_add
    from screenings.models import Queue, Service, Station
    from screenings.services.queue import queue_join

    event = common.bench_event()
    service = Service.objects.create(event=event, code="T", name="Thyroid ultrasound")
    Queue.objects.create(service=service)
    stations = [
        Station.objects.create(service=service, name=f"Room {n + 1}", position=n)
        for n in range(STATIONS)
    ]
    staff_add(event_id=event.pk, role=StaffRole.Role.DOCTOR, username="bench-doctor")
    token = Token.objects.get(user__username="bench-doctor")
    for station in stations:
        station.doctors.add(token.user)
    for n in range(sum(calls for _sockets, calls in RUNS) + 10):
        queue_join(service_id=service.pk, walk_in={"first_name": f"W{n}"})
    board = kiosk_create(event=event, kind=Kiosk.Kind.BOARD, name="Board", service_code="T")
    return {
        "slug": event.slug,
        "stations": [s.pk for s in stations],
        "token": token.key,
        "kiosk": board.token,
    }


class Board:
    """One board socket recording when each called number arrived."""

    def __init__(self, url: str, origin: str, arrivals: dict):
        self.url, self.origin, self.arrivals = url, origin, arrivals
        self.ws = None
        self.task = None

    async def connect(self) -> None:
        self.ws = await websockets.connect(
            self.url, origin=self.origin, open_timeout=30, max_queue=None
        )
        snapshot = json.loads(await asyncio.wait_for(self.ws.recv(), 30))
        assert snapshot["type"] == "snapshot", snapshot
        self.task = asyncio.create_task(self.read())

    async def read(self) -> None:
        try:
            async for raw in self.ws:
                message = json.loads(raw)
                if message.get("type") == "queue.entry_called":
                    number = message["entry"]["number"]
                    self.arrivals.setdefault(number, []).append(time.perf_counter())
        except websockets.ConnectionClosed:
            return

    async def close(self) -> None:
        await self.ws.close()
        await self.task


async def run(urls: list[str], data: dict, sockets: int, calls: int) -> dict:
    arrivals: dict[str, list[float]] = {}
    boards = []
    for i in range(sockets):
        base = urls[i % len(urls)]
        ws_url = (
            base.replace("http://", "ws://")
            + f"/ws/events/{data['slug']}/screenings/T/board/?kiosk={data['kiosk']}"
        )
        boards.append(Board(ws_url, base, arrivals))
    # Connect in batches: a few hundred handshakes at once is not what is measured.
    for start in range(0, sockets, 50):
        await asyncio.gather(*(b.connect() for b in boards[start : start + 50]))
    await asyncio.sleep(0.5)

    samples, per_call_max, requests, lost = [], [], [], 0
    # After the answer: from the call-next response to the last board's copy,
    # i.e. what Redis and the socket servers add to the request itself.
    after_answer = []
    headers = {"Authorization": f"Token {data['token']}"}
    async with httpx.AsyncClient(timeout=30, headers=headers) as client:
        for n in range(calls):
            station = data["stations"][n % len(data["stations"])]
            url = f"{urls[n % len(urls)]}/api/v1/stations/{station}/call-next/"
            started = time.perf_counter()
            response = await client.post(url)
            answered = time.perf_counter()
            response.raise_for_status()
            requests.append((answered - started) * 1000)
            number = response.json()["number"]
            # Lost: not there 5 s after the answer (the change is committed by then);
            # a slow request is latency, not a lost message.
            deadline = answered + DELIVERY_TIMEOUT_S
            while len(arrivals.get(number, ())) < sockets and time.perf_counter() < deadline:
                await asyncio.sleep(0.001)
            got = arrivals.get(number, [])
            lost += sockets - len(got)
            latencies = [(t - started) * 1000 for t in got]
            samples.extend(latencies)
            if latencies:
                per_call_max.append(max(latencies))
                after_answer.append(max(0.0, (max(got) - answered) * 1000))
    await asyncio.gather(*(b.close() for b in boards))
    return {
        "samples": samples,
        "per_call_max": per_call_max,
        "requests": requests,
        "after_answer": after_answer,
        "lost": lost,
    }


def main() -> None:
    common.reset_database()
    common.setup_django()
    data = seed()
    from django.db import connections

    connections.close_all()
    with common.servers(2, base_port=BASE_PORT) as urls:
        for sockets, calls in RUNS:
            result = asyncio.run(run(urls, data, sockets, calls))
            stats = common.latency_stats(result["samples"])
            slowest = common.latency_stats(result["per_call_max"])
            common.report(
                f"kiosks.board_fanout[{sockets} sockets]",
                target="p99 < 100 ms at 100 sockets, no message lost",
                sockets=sockets,
                servers=len(urls),
                calls=calls,
                deliveries=len(result["samples"]),
                lost=result["lost"],
                last_board_p50_ms=slowest["p50_ms"],
                last_board_p99_ms=slowest["p99_ms"],
                call_next_request_p50_ms=common.latency_stats(result["requests"])["p50_ms"],
                last_board_after_answer_p99_ms=common.latency_stats(result["after_answer"])[
                    "p99_ms"
                ],
                **stats,
            )


if __name__ == "__main__":
    main()
