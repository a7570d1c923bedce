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
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN", "postgres://postgres@127.0.0.1:5432/postgres")
BENCH_DB = os.environ.get("BENCH_DB", "eventhub_bench")
BENCH_ENV = {
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{BENCH_DB}",
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
    # Benchmarks measure the service, not the abuse throttles.
    "THROTTLE_PUBLIC": "10000000/min",
    "THROTTLE_PUBLIC_WRITE": "10000000/min",
    "DJANGO_SETTINGS_MODULE": "eventhub.settings",
    "CONN_MAX_AGE": "600",
}
RESULTS = ROOT / "bench" / "results"


def setup_django() -> None:
    """Point this process at the benchmark database and set Django up."""
    os.environ.update(BENCH_ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


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
    procs, urls = [], []
    env = {**os.environ, **BENCH_ENV}
    try:
        for i in range(count):
            port = base_port + i
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "uvicorn",
                        "eventhub.asgi:application",
                        "--host",
                        "127.0.0.1",
                        "--port",
                        str(port),
                        "--lifespan",
                        "off",
                        "--log-level",
                        "warning",
                        "--no-access-log",
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url in urls:
            _wait_healthy(url)
        yield urls
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_healthy(url: str, tries: int = 100) -> None:
    for _ in range(tries):
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy")


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
