"""The floor under every other figure: what this machine serves when the view
does (almost) nothing, with the same 16 concurrent clients and 2 uvicorn
workers as the check-in benchmark.

1. a static file through WhiteNoise (Django's ASGI handler, no view, no query);
2. ``GET /api/v1/events/`` (DRF, one query);
3. ``GET /api/v1/events/{event}/`` (DRF, one query).

Informational: it tells how much of a slow figure is the endpoint itself and
how much is the framework and the machine. Run: ``.venv/bin/python
bench/bench_floor.py``.
"""

import asyncio
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import httpx  # noqa: E402

CLIENTS = 16
REQUESTS = 1600
WARMUP = 160
BASE_PORT = int(os.environ.get("BENCH_BASE_PORT", "8190"))
PATHS = ["/static/css/kiosk.css", "/api/v1/events/", "/api/v1/events/bench-fair/"]


async def drive(urls: list[str], path: str, total: int) -> tuple[float, list[float]]:
    samples: list[float] = []
    async with httpx.AsyncClient(timeout=30) as client:

        async def loop(i: int) -> None:
            for k in range(total // CLIENTS):
                started = time.perf_counter()
                response = await client.get(urls[(i + k) % len(urls)] + path)
                response.raise_for_status()
                samples.append((time.perf_counter() - started) * 1000)

        started = time.perf_counter()
        await asyncio.gather(*(loop(i) for i in range(CLIENTS)))
        elapsed = time.perf_counter() - started
    return len(samples) / elapsed, samples


def main() -> None:
    common.reset_database()
    common.setup_django()
    common.bench_event()
    from django.db import connections

    connections.close_all()
    with common.servers(2, base_port=BASE_PORT) as urls:
        for path in PATHS:
            asyncio.run(drive(urls, path, WARMUP))
            rps, samples = asyncio.run(drive(urls, path, REQUESTS))
            common.report(
                f"floor: GET {path}",
                target="informational",
                clients=CLIENTS,
                servers=len(urls),
                throughput_rps=round(rps, 1),
                **common.latency_stats(samples),
            )


if __name__ == "__main__":
    main()
