"""Real server processes on loopback, for the cross-process tests and the
benchmarks (``bench/common.py`` uses the same launchers).

Each ``AsgiServer`` is a separate ``uvicorn`` process (one or more workers)
with its own port, so a test can connect a socket to one and act through
another: what crosses between them goes through PostgreSQL and Redis only,
as in production. ``ProductionProfile`` runs ``deploy/serve``, the
production profile itself: nginx in front of gunicorn (HTTP) and uvicorn
(WebSockets), plus the task worker.
"""

import contextlib
import os
import shutil
import signal
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

    def __init__(self, port: int, env: dict, workers: int = 1, root: Path = ROOT):
        self.port, self.env, self.proc, self.workers = port, env, None, workers
        self.root = root
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> "AsgiServer":
        command = [sys.executable, "-m", "uvicorn", "eventhub.asgi:application"]
        command += ["--host", "127.0.0.1", "--port", str(self.port), "--lifespan", "off"]
        command += ["--log-level", "warning", "--no-access-log"]
        if self.workers > 1:
            command += ["--workers", str(self.workers)]
        self.proc = subprocess.Popen(command, cwd=self.root, env={**os.environ, **self.env})
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


def nginx_path() -> str | None:
    """nginx from Debian (``apt-get install -y nginx``), or None."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if os.access(found, os.X_OK) else None


class ProductionProfile:
    """``deploy/serve`` on 127.0.0.1:``port``: nginx routing ``/ws/`` to
    uvicorn and everything else to gunicorn, and the task worker.

    Stopped as a whole: SIGTERM to ``deploy/serve`` stops its processes.
    """

    def __init__(self, port: int, env: dict, *, wsgi_workers: int = 2, asgi_workers: int = 2):
        self.port, self.env, self.proc = port, env, None
        self.wsgi_workers, self.asgi_workers = wsgi_workers, asgi_workers
        self.url = f"http://127.0.0.1:{port}"

    def start(self) -> "ProductionProfile":
        env = {
            **os.environ,
            **self.env,
            "PORT": str(self.port),
            "PY": sys.executable,
            "WSGI_WORKERS": str(self.wsgi_workers),
            "ASGI_WORKERS": str(self.asgi_workers),
        }
        self.proc = subprocess.Popen(
            ["bash", "deploy/serve"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=5)
        self.proc = None


@contextlib.contextmanager
def production_profile(*, env: dict, port: int | None = None, **workers):
    """Run ``deploy/serve`` on ``port`` (or a free one) until the block ends."""
    profile = ProductionProfile(port or free_port(), env, **workers)
    try:
        profile.start()
        wait_healthy(profile.url, seconds=60)
        yield profile
    finally:
        profile.stop()
