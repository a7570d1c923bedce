"""Shared benchmark harness: a fresh PostgreSQL database, N ASGI workers on
PostgreSQL + Redis, and latency statistics.

Every benchmark script imports this module, seeds its data through the
services, drives the servers on loopback with bounded loops, and prints its
figures with ``report``.
"""

import contextlib
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.servers import asgi_servers  # noqa: E402

PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = os.environ.get("BENCH_DB", "eventhub_bench")
BENCH_ENV = {
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
    # Benchmarks measure the service, not the abuse throttles.
    "THROTTLE_PUBLIC": "10000000/min",
    "THROTTLE_PUBLIC_WRITE": "10000000/min",
    "DJANGO_SETTINGS_MODULE": "eventhub.settings",
    # As in production: DEBUG off (no query log, no debug cursor), plain HTTP
    # on loopback (no redirect to https), as deploy/run-prod serves it.
    "DEBUG": "0",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_HSTS_SECONDS": "0",
    # Under ASGI every request runs its sync view in a fresh thread, so a
    # persistent connection (CONN_MAX_AGE > 0) is never reused and leaks until
    # garbage collection; a psycopg pool per worker instead (settings.py).
    "DB_POOL": "1",
}
RESULTS = ROOT / "bench" / "results"


def setup_django() -> None:
    """Point this process at the benchmark database and set Django up."""
    os.environ.update(BENCH_ENV)
    import django

    django.setup()


def bench_event(
    *, slug: str = "bench-fair", days_ahead: int = 14, capacity: int = 10_000, **fields
):
    """A published fair on Liberty Square, ``days_ahead`` days from now, open for
    registration until the day before (call after ``setup_django``)."""
    import datetime as dt

    from django.utils import timezone

    from eventhub.core.models import Event

    now = timezone.now()
    values = {
        "slug": slug,
        "name": "Bench fair",
        "venue": "Liberty Square",
        "city": "Timișoara",
        "country": "RO",
        "starts_at": now + dt.timedelta(days=days_ahead),
        "ends_at": now + dt.timedelta(days=days_ahead, hours=8),
        "capacity": capacity,
        "registration_opens_at": now - dt.timedelta(days=1),
        "registration_closes_at": now + dt.timedelta(days=days_ahead) - dt.timedelta(hours=4),
        "status": Event.Status.PUBLISHED,
        **fields,
    }
    return Event.objects.create(**values)


def reset_database() -> None:
    """Drop and re-create the benchmark database, then migrate it."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**os.environ, **BENCH_ENV},
        check=True,
    )
    subprocess.run(
        ["redis-cli", "-u", BENCH_ENV["REDIS_URL"], "flushdb"], check=True, capture_output=True
    )


@contextlib.contextmanager
def servers(count: int = 2, base_port: int = 8101):
    """Run ``count`` uvicorn workers on loopback; yield their base URLs."""
    with asgi_servers(count, env=BENCH_ENV, base_port=base_port) as running:
        yield [server.url for server in running]


def latency_stats(samples_ms: list[float]) -> dict:
    ordered = sorted(samples_ms)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]

    return {
        "n": len(ordered),
        "p50_ms": round(pct(50), 2),
        "p99_ms": round(pct(99), 2),
        "max_ms": round(ordered[-1], 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
    }


def report(name: str, target: str = "", **figures) -> dict:
    """Print one benchmark's figures on one line and keep them in bench/results/."""
    line = {"bench": name, **figures}
    if target:
        line["target"] = target
    print(json.dumps(line, ensure_ascii=False), flush=True)
    RESULTS.mkdir(exist_ok=True)
    with (RESULTS / "latest.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    return line
