"""Per-IP throttles for the public API (rates in settings, from the environment).

The counters live in the shared cache (Redis in production) so that every
server process counts together. Redis is never a single point of failure
for the public side: when the cache does not answer, a throttle counts in a
process-local cache instead (each process then allows the rate on its own,
a looser limit for as long as Redis is away) and the request goes on.
"""

import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.throttling import SimpleRateThrottle

from eventhub.core.redis_clients import shared_redis

logger = logging.getLogger(__name__)

# What a cache backend raises when its server is gone or hangs: redis-py's
# ConnectionError and TimeoutError are OSError-free, hence the base class.
try:
    from redis.exceptions import RedisError as _CacheDown
except ImportError:  # pragma: no cover - redis is a pinned dependency
    _CacheDown = OSError

LOCAL_FALLBACK = LocMemCache("throttle-fallback", {"MAX_ENTRIES": 10_000})
_WARN_EVERY = 30.0  # seconds between two "cache down" warnings of a process
_warned_at = 0.0


def _cache_down(exc: Exception) -> None:
    global _warned_at
    now = time.monotonic()
    if now - _warned_at > _WARN_EVERY:
        _warned_at = now
        logger.warning("throttle cache unavailable (%s): counting per process", exc)


def _cache_redis():
    """The process's Redis client for the default cache's server, or None
    when the default cache is not Redis (the embedded profile's memory)."""
    config = settings.CACHES["default"]
    if not config["BACKEND"].endswith(".RedisCache"):
        return None
    location = config["LOCATION"]
    url = location[0] if isinstance(location, list | tuple) else location.split(",")[0]
    return shared_redis(url, timeout=config.get("OPTIONS", {}).get("socket_timeout", 0.5))


class FailOpenCache:
    """The default cache, or a process-local one while the default is down."""

    def _call(self, method: str, *args, **kwargs):
        try:
            return getattr(caches["default"], method)(*args, **kwargs)
        except (_CacheDown, OSError) as exc:
            _cache_down(exc)
            return getattr(LOCAL_FALLBACK, method)(*args, **kwargs)

    def get(self, key, default=None):
        return self._call("get", key, default)

    def set(self, key, value, timeout=None):
        return self._call("set", key, value, timeout)

    def add(self, key, value, timeout=None):
        return self._call("add", key, value, timeout)

    def incr(self, key):
        return self._call("incr", key)

    def incr_in_window(self, key: str, timeout: int) -> int:
        """Add one to ``key`` (created at 0, living ``timeout`` s); return the count.

        On Redis: one round trip, a MULTI of ``SET NX EX`` and ``INCR`` (the
        key the cache would use, so clearing the cache clears the counters).
        """
        client = _cache_redis()
        if client is not None:
            full_key = caches["default"].make_and_validate_key(key)
            try:
                pipe = client.pipeline(transaction=True)
                pipe.set(full_key, 0, ex=timeout, nx=True)
                pipe.incr(full_key)
                return pipe.execute()[-1]
            except (_CacheDown, OSError) as exc:
                _cache_down(exc)
                return self._local_incr(LOCAL_FALLBACK, key, timeout)
        return self._local_incr(self, key, timeout)

    @staticmethod
    def _local_incr(cache, key: str, timeout: int) -> int:
        cache.add(key, 0, timeout)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.add(key, 0, timeout)
            return cache.incr(key)


RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str | None) -> tuple[int | None, int | None]:
    """``"100/10m"`` → (100, 600): DRF's rates ("120/min", "5/hour"), and a
    number of units before the unit."""
    if rate is None:
        return None, None
    count, period = rate.split("/")
    match = re.match(r"(\d*)([smhd])", period)
    if match is None:
        raise ValueError(f"unknown rate period: {rate!r}")
    return int(count), int(match.group(1) or 1) * RATE_UNITS[match.group(2)]


class CountingThrottle(SimpleRateThrottle):
    """A fixed-window counter per key, counted atomically in the cache.

    DRF's own throttle reads a list of times, appends and writes it back:
    parallel requests each read the same list and all get through (175 of
    500 reads against a limit of 120 a minute). Here each request is one
    ``INCR`` of the current window's counter, so a window never lets more
    than the rate through, however parallel the requests. The price of a
    fixed window: a client may spend two windows' allowance around the edge.
    """

    cache = FailOpenCache()

    def parse_rate(self, rate):
        return parse_rate(rate)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        self.key = f"{key}:{window}"
        return self.cache.incr_in_window(self.key, self.duration) <= self.num_requests

    def wait(self):
        return max(0.0, self.window_ends - self.now)


class PublicRateThrottle(CountingThrottle):
    """Reads of the public API, per client IP, for everyone (staff included)."""

    scope = "public"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicWriteRateThrottle(PublicRateThrottle):
    """Writes of the public API (registrations, bookings), per client IP.

    Sized for a help desk or a bus behind one mobile router (a hundred
    people in ten minutes); ``AddressRateThrottle`` catches abuse aimed at
    one person.
    """

    scope = "public_write"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)


class AddressRateThrottle(CountingThrottle):
    """Writes that e-mail an address (registering, "lost ticket"), per address.

    Registering again with an address re-sends its ticket; without this
    limit anyone could flood someone's inbox from many IPs.
    """

    scope = "address"

    def get_cache_key(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        address = address_of(request)
        if not address:
            return None
        # Hashed: an address may be long and hold any character; a cache key may not.
        ident = hashlib.sha256(address.encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": ident}


def address_of(request) -> str:
    """The e-mail address a public write is about, normalised, or ""."""
    data = getattr(request, "data", None)
    if data is None:
        data = request.POST
    value = data.get("email") if hasattr(data, "get") else None
    if not value and hasattr(data, "get") and isinstance(data.get("contact"), dict):
        value = data["contact"].get("email")
    return str(value or "").strip().lower()[:254]


class StaffSearchRateThrottle(CountingThrottle):
    """The gate's look-up of people by name, per staff user."""

    scope = "staff_search"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
