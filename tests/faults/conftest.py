"""A Redis of the test's own, on a free loopback port, that a test may kill.

The shared Redis (127.0.0.1:6379) is never stopped: fault tests point the
cache and the channel layer at this one and kill it.
"""

import shutil
import subprocess
import time

import pytest
import redis

from tests.servers import free_port

REDIS_SERVER = shutil.which("redis-server")


class OwnRedis:
    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = None

    def start(self) -> "OwnRedis":
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--loglevel", "warning"]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("own redis-server did not start")

    def restart(self) -> "OwnRedis":
        """Stop and start again on the same port, empty (it keeps nothing on disk)."""
        self.kill()
        return self.start()

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)


@pytest.fixture(autouse=True)
def _fresh_throttle_fallback():
    from eventhub.core.throttling import LOCAL_FALLBACK

    LOCAL_FALLBACK.clear()
    yield
    LOCAL_FALLBACK.clear()


@pytest.fixture
def own_redis():
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    server = OwnRedis().start()
    yield server
    server.kill()


def redis_settings(url: str) -> dict:
    """Settings that put the cache, the channel layer and the counters on ``url``."""
    return {
        "REDIS_URL": url,
        "CACHES": {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        },
        "CHANNEL_LAYERS": {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [url]},
            }
        },
    }
