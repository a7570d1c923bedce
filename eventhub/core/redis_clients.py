"""Process-wide Redis clients: one per server address and timeout.

redis-py's client is thread-safe and keeps its own connection pool, so one
client serves every request and thread of a process. Building one per call,
as Django's ``RedisCache`` does for each cache operation, costs a fresh
response-callback table every time (hundreds of dictionary entries); the
hot paths (the throttles' counters, the broadcasts, the stats sequence) use
these instead.
"""

import threading

import redis

_clients: dict[tuple[str, float], redis.Redis] = {}
_lock = threading.Lock()


def shared_redis(url: str, *, timeout: float = 1.0) -> redis.Redis:
    """The process's client for ``url``; connecting or answering may take
    at most ``timeout`` seconds (a Redis that hangs must not hold a request)."""
    key = (url, timeout)
    client = _clients.get(key)
    if client is None:
        with _lock:
            client = _clients.get(key)
            if client is None:
                client = _clients[key] = redis.Redis.from_url(
                    url,
                    socket_timeout=timeout,
                    socket_connect_timeout=timeout,
                    # No CLIENT SETINFO (and no package-metadata read) per connection.
                    driver_info=None,
                )
    return client
