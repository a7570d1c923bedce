"""Per-IP throttles for the public API (rates in settings, from the environment).

The counters live in the shared cache (Redis in production) so that every
server process counts together. Redis is never a single point of failure
for the public side: when the cache does not answer, a throttle counts in a
process-local cache instead (each process then allows the rate on its own,
a looser limit for as long as Redis is away) and the request goes on.
"""

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.throttling import SimpleRateThrottle

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


class FailOpenCache:
    """The default cache, or a process-local one while the default is down."""

    def _call(self, method: str, *args, **kwargs):
        global _warned_at
        try:
            return getattr(caches["default"], method)(*args, **kwargs)
        except (_CacheDown, OSError) as exc:
            now = time.monotonic()
            if now - _warned_at > _WARN_EVERY:
                _warned_at = now
                logger.warning("throttle cache unavailable (%s): counting per process", exc)
            return getattr(LOCAL_FALLBACK, method)(*args, **kwargs)

    def get(self, key, default=None):
        return self._call("get", key, default)

    def set(self, key, value, timeout=None):
        return self._call("set", key, value, timeout)


class PublicRateThrottle(SimpleRateThrottle):
    """Reads of the public API, per client IP, for everyone (staff included)."""

    scope = "public"
    cache = FailOpenCache()

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class PublicWriteRateThrottle(PublicRateThrottle):
    """Writes of the public API (registrations, bookings), per client IP."""

    scope = "public_write"

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)
