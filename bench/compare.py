"""Side by side: today's uvicorn-only profile against the production profile.

    bench/run --compare        (or: make bench BENCH_ARGS=--compare)

``old``: 2 uvicorn workers on one port serving everything (the production
profile before issue 15). ``new``: ``deploy/serve``, nginx in front of
gunicorn sync workers (HTTP, 2 x cores) and 2 uvicorn workers (``/ws/``).
Both run this checkout's code against the same PostgreSQL and Redis, one
after the other, alternating, ROUNDS times (2 by default); each measure is
taken on a freshly flushed database and freshly started servers. Printed:
the median of the rounds for each profile, and new/old.

The same loads as the single benchmarks: 16 scanners (first scans, then
re-scans of the same tickets; bench_checkin.py), 20 registrants
(bench_registration.py), a board at 100 sockets (bench_kiosks.py).
"""

import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_checkin  # noqa: E402
import bench_kiosks  # noqa: E402
import bench_registration  # noqa: E402
import common  # noqa: E402

from tests.servers import AsgiServer, ProductionProfile, free_port, wait_healthy  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "2"))
# BENCH_COMPARE_ONLY=board (or checkin, registration; comma-separated) runs only those.
ONLY = [m for m in os.environ.get("BENCH_COMPARE_ONLY", "").split(",") if m]
TICKETS = int(os.environ.get("BENCH_COMPARE_TICKETS", "1000"))
BOARD_SOCKETS, BOARD_CALLS = 100, int(os.environ.get("BENCH_COMPARE_CALLS", "100"))
bench_checkin.TICKETS = TICKETS
bench_registration.PER_CLIENT = int(os.environ.get("BENCH_COMPARE_PER_CLIENT", "25"))


def tree_cpu_seconds(pid: int) -> float:
    """CPU time used so far by ``pid`` and every process below it (Linux /proc)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except (OSError, ValueError):
            continue
        pending.extend(int(child) for child in children)
    return total / os.sysconf("SC_CLK_TCK")


class Profile:
    """One of the two set-ups, started for one measure and stopped after it."""

    def __init__(self, name: str):
        self.name, self.server = name, None

    def __enter__(self) -> "Profile":
        port = free_port()
        if self.name == "old":
            self.server = AsgiServer(port, common.BENCH_ENV, workers=2).start()
        else:
            cores = os.cpu_count() or 2
            # No task worker: the old profile has none either (the web servers alone).
            env = {**common.BENCH_ENV, "TASK_WORKER": "0"}
            self.server = ProductionProfile(
                port, env, wsgi_workers=2 * cores, asgi_workers=2
            ).start()
        wait_healthy(self.server.url, seconds=90)
        return self

    def __exit__(self, *exc) -> None:
        self.server.stop()

    @property
    def url(self) -> str:
        return self.server.url

    def cpu_seconds(self) -> float:
        return tree_cpu_seconds(self.server.proc.pid)


def fresh_database() -> None:
    from django.core.management import call_command
    from django.db import connections

    call_command("flush", interactive=False, verbosity=0)
    connections.close_all()
    subprocess.run(
        ["redis-cli", "-u", common.BENCH_ENV["REDIS_URL"], "flushdb"],
        check=True,
        capture_output=True,
    )


def measure_checkin(profile_name: str) -> dict:
    fresh_database()
    slug, payloads, tokens = bench_checkin.seed()
    from django.db import connections

    connections.close_all()
    figures = {}
    with Profile(profile_name) as profile:
        asyncio.run(bench_checkin.warm_up([profile.url], slug, tokens))
        for key, expected in (("first", "ok"), ("rescan", "already_checked_in")):
            cpu = profile.cpu_seconds()
            latencies, elapsed, wrong = asyncio.run(
                bench_checkin.scan_pass([profile.url], slug, payloads, tokens, expected)
            )
            cpu = profile.cpu_seconds() - cpu
            stats = common.latency_stats(latencies)
            figures[f"{key} scans/s"] = len(latencies) / elapsed
            figures[f"{key} scan p99 ms"] = stats["p99_ms"]
            figures[f"{key} scan server CPU ms"] = cpu / len(latencies) * 1000
            figures[f"{key} scan unexpected"] = len(wrong)
    return figures


def measure_registration(profile_name: str) -> dict:
    fresh_database()
    slug, region_id = bench_registration.seed()
    from django.db import connections

    connections.close_all()
    with Profile(profile_name) as profile:
        cpu = profile.cpu_seconds()
        samples, wall = asyncio.run(bench_registration.drive([profile.url], slug, region_id))
        cpu = profile.cpu_seconds() - cpu
    stats = common.latency_stats(samples)
    count = len(samples) + bench_registration.WARMUP
    return {
        "registrations/s": len(samples) / wall,
        "registration p99 ms": stats["p99_ms"],
        "registration server CPU ms": cpu / count * 1000,
    }


def measure_board(profile_name: str) -> dict:
    fresh_database()
    data = bench_kiosks.seed()
    from django.db import connections

    connections.close_all()
    with Profile(profile_name) as profile:
        result = asyncio.run(bench_kiosks.run([profile.url], data, BOARD_SOCKETS, BOARD_CALLS))
    stats = common.latency_stats(result["samples"])
    requests = common.latency_stats(result["requests"])
    after = common.latency_stats(result["after_answer"])
    return {
        "board p50 ms (100 sockets)": stats["p50_ms"],
        "board p99 ms (100 sockets)": stats["p99_ms"],
        "board lost": result["lost"],
        "call-next request p50 ms": requests["p50_ms"],
        "call-next request p99 ms": requests["p99_ms"],
        "last board after the answer p99 ms": after["p99_ms"],
    }


HIGHER_IS_BETTER = ("scans/s", "registrations/s")
MEASURES = [
    measure
    for measure in (measure_checkin, measure_registration, measure_board)
    if not ONLY or measure.__name__.removeprefix("measure_") in ONLY
]


def main() -> None:
    common.reset_database()
    common.setup_django()
    runs: dict[str, list[dict]] = {"old": [], "new": []}
    started = time.monotonic()
    for round_no in range(ROUNDS):
        order = ("old", "new") if round_no % 2 == 0 else ("new", "old")
        for name in order:
            figures = {}
            for measure in MEASURES:
                figures.update(measure(name))
            runs[name].append(figures)
            common.report(f"compare: round {round_no + 1}, {name}", **_rounded(figures))
    medians = {name: _medians(rounds) for name, rounds in runs.items()}
    print(f"\nside by side, median of {ROUNDS} rounds ({time.monotonic() - started:.0f} s):")
    print(
        f"| measure | old: uvicorn x2 | new: nginx + gunicorn x{2 * (os.cpu_count() or 2)}"
        " + uvicorn x2 | new / old |"
    )
    print("|---|---|---|---|")
    for key in medians["old"]:
        old, new = medians["old"][key], medians["new"][key]
        ratio = f"{new / old:.2f}x" if old else "-"
        print(f"| {key} | {old:.1f} | {new:.1f} | {ratio} |")
    common.report(
        "compare: medians",
        old=_rounded(medians["old"]),
        new=_rounded(medians["new"]),
        rounds=ROUNDS,
    )


def _medians(rounds: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def _rounded(figures: dict) -> dict:
    return {key: round(value, 2) for key, value in figures.items()}


if __name__ == "__main__":
    main()
