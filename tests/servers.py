"""Real ASGI server processes on loopback, for the cross-process tests and
the benchmarks (``bench/common.py`` uses the same launcher).

Each server is a separate ``uvicorn`` process with its own port, so a test can
connect a socket to one and act through another: what crosses between them
goes through PostgreSQL and Redis only, as in production.
"""

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy in {seconds} s")


class AsgiServer:
    """One uvicorn process serving eventhub on 127.0.0.1:``port``."""

    def __init__(self, port: int, env: dict):
        self.port, self.env, self.proc = port, env, None
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> "AsgiServer":
        command = [sys.executable, "-m", "uvicorn", "eventhub.asgi:application"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--lifespan", "off"]
        command += ["--log-level", "warning", "--no-access-log"]
        self.proc = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **self.env})
        return self

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.proc = None


def live_database_env() -> dict:
    """The environment that points a server process at this test run's
    PostgreSQL database (and Redis, when the run has it), with a pool."""
    from django.conf import settings
    from django.db import connection

    db = connection.settings_dict
    env = {
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DB_POOL": "1",
    }
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    return env


@contextlib.contextmanager
def asgi_servers(count: int, *, env: dict, base_port: int | None = None):
    """Run ``count`` servers (consecutive ports from ``base_port``, or free ones).

    Yields the ``AsgiServer`` objects once every one answers ``/healthz``;
    stops them all on the way out.
    """
    ports = [base_port + i if base_port else free_port() for i in range(count)]
    servers = [AsgiServer(port, env) for port in ports]
    try:
        for server in servers:
            server.start()
        for server in servers:
            wait_healthy(server.url)
        yield servers
    finally:
        for server in servers:
            server.stop()
