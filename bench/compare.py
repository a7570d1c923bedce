"""Side by side: today's uvicorn-only profile against the production profile.

    bench/run --compare        (or: make bench BENCH_ARGS=--compare)

``old``: 2 uvicorn workers on one port serving everything (the production
profile before issue 15). ``new``: ``deploy/serve``, nginx in front of
gunicorn sync workers (HTTP, 2 x cores) and 2 uvicorn workers (``/ws/``).
Both run this checkout's code against the same PostgreSQL and Redis, one
after the other, alternating, ROUNDS times (2 by default); each measure is
taken on a freshly flushed database and freshly started servers. Printed:
the median of the rounds for each profile, and new/old.

``BENCH_OLD_ENV="GC_FREEZE=0" bench/run --compare``: ``old`` is the
production profile too, with those environment variables: an A/B of one
setting (here the frozen startup heap, eventhub/core/startup.py).

``bench/run --compare --baseline REV`` (or BENCH_BASELINE=REV): ``old`` is the
code at git revision REV (checked out in var/baseline/, with its own
database ``<BENCH_DB>_old``, migrated and seeded by that code) under its
uvicorn-only profile, so the ratio is the code *and* profile before a change
against this checkout under the production profile. Issue 15's baseline is
``ac996c3``, main just before its work landed.

The same loads as the single benchmarks: 16 scanners (first scans, then
re-scans of the same tickets; bench_checkin.py), 20 registrants
(bench_registration.py), a board at 100 sockets (bench_kiosks.py).
"""

import asyncio
import json
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
BASELINE = os.environ.get("BENCH_BASELINE", "")
# An A/B of one setting on the production profile: BENCH_OLD_ENV="GC_FREEZE=0"
# runs ``old`` as the production profile too, with those variables
# (comma-separated NAME=VALUE), e.g. the frozen startup heap against none.
OLD_ENV = dict(
    item.split("=", 1) for item in os.environ.get("BENCH_OLD_ENV", "").split(",") if "=" in item
)
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


def baseline_checkout(revision: str) -> Path:
    """The code at ``revision`` in var/baseline/<commit> (a detached git worktree)."""
    root = common.ROOT
    commit = subprocess.run(
        ["git", "rev-parse", "--verify", f"{revision}^{{commit}}"],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    path = root / "var" / "baseline" / commit[:12]
    if not (path / "manage.py").exists():
        subprocess.run(["git", "worktree", "prune"], cwd=root, check=True)
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--force", str(path), commit],
            cwd=root,
            check=True,
            capture_output=True,
        )
    return path


class Code:
    """A checkout the servers run: its directory, database and environment."""

    def __init__(self, root: Path, database: str):
        self.root, self.database = root, database
        self.env = {
            **common.BENCH_ENV,
            "BENCH_DB": database,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{database}",
        }

    def reset(self) -> None:
        """A new, migrated database for this code."""
        import psycopg

        with psycopg.connect(common.PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.database}"')
        self.manage("migrate", "--noinput", "-v", "0")

    def manage(self, *args: str) -> None:
        subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=self.root,
            env={**os.environ, **self.env},
            check=True,
        )

    def seed(self, module: str):
        """Flush, then ``bench/<module>.seed()`` run by this code (its models and
        services); returns what it returned, through JSON."""
        subprocess.run(
            ["redis-cli", "-u", self.env["REDIS_URL"], "flushdb"], check=True, capture_output=True
        )
        self.manage("flush", "--noinput", "-v", "0")
        script = (
            "import json, sys; sys.path.insert(0, 'bench'); import common; "
            f"common.setup_django(); import {module}; "
            f"print('SEEDED ' + json.dumps({module}.seed()))"
        )
        out = subprocess.run(
            [sys.executable, "-c", script],
            cwd=self.root,
            env={**os.environ, **self.env},
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        line = next(x for x in out.splitlines() if x.startswith("SEEDED "))
        return json.loads(line.removeprefix("SEEDED "))


CODE: dict[str, Code] = {}


class Profile:
    """One of the two set-ups, started for one measure and stopped after it."""

    def __init__(self, name: str):
        self.name, self.server, self.code = name, None, CODE[name]

    def __enter__(self) -> "Profile":
        port = free_port()
        if self.name == "old" and not OLD_ENV:
            self.server = AsgiServer(port, self.code.env, workers=2, root=self.code.root).start()
        else:
            cores = os.cpu_count() or 2
            # No task worker: the old profile has none either (the web servers alone).
            env = {**self.code.env, "TASK_WORKER": "0"}
            if self.name == "old":
                env.update(OLD_ENV)
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


def measure_checkin(profile_name: str) -> dict:
    slug, payloads, tokens = CODE[profile_name].seed("bench_checkin")
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
    slug, region_id = CODE[profile_name].seed("bench_registration")
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
    data = CODE[profile_name].seed("bench_kiosks")
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
    CODE["new"] = Code(common.ROOT, common.BENCH_DB)
    if BASELINE:
        CODE["old"] = Code(baseline_checkout(BASELINE), f"{common.BENCH_DB}_old")
        print(f"old: the code at {BASELINE} ({CODE['old'].root}), uvicorn x2", flush=True)
    else:
        CODE["old"] = CODE["new"]
    for code in {id(c): c for c in CODE.values()}.values():
        code.reset()
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
    old_label = f"code at {BASELINE}, uvicorn x2" if BASELINE else "uvicorn x2"
    if OLD_ENV:
        old_label = "production profile with " + ", ".join(f"{k}={v}" for k, v in OLD_ENV.items())
    new_label = f"nginx + gunicorn x{2 * (os.cpu_count() or 2)} + uvicorn x2"
    print(f"| measure | old: {old_label} | new: {new_label} | new / old |")
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
        baseline=BASELINE or "this checkout",
    )


def _medians(rounds: list[dict]) -> dict:
    return {key: statistics.median(r[key] for r in rounds) for key in rounds[0]}


def _rounded(figures: dict) -> dict:
    return {key: round(value, 2) for key, value in figures.items()}


if __name__ == "__main__":
    main()
