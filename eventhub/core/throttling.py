"""Throttles of the public side (rates in settings, from the environment):
per client IP, per e-mail address a write would e-mail, per staff user.

The counters live in the shared cache (Redis in production) so that every
server process counts together. Redis is never a single point of failure
for the public side: when the cache does not answer, a throttle counts in a
process-local cache instead (each process then allows the rate on its own,
a looser limit for as long as Redis is away) and the request goes on.
"""

import hashlib
import logging
import math
import re
import time

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework.throttling import SimpleRateThrottle

from eventhub.core.exceptions import AddressRateLimited
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

    def incr_many_in_window(self, keys: list[str], timeout: int) -> list[int]:
        """Add one to each of ``keys`` (created at 0, living ``timeout`` s);
        return their counts, in order.

        On Redis: one round trip, a MULTI of ``SET NX EX`` and ``INCR`` per
        key (the keys the cache would use, so clearing the cache clears the
        counters).
        """
        client = _cache_redis()
        if client is not None:
            full_keys = [caches["default"].make_and_validate_key(key) for key in keys]
            try:
                pipe = client.pipeline(transaction=True)
                for full_key in full_keys:
                    pipe.set(full_key, 0, ex=timeout, nx=True)
                    pipe.incr(full_key)
                return pipe.execute()[1::2]
            except (_CacheDown, OSError) as exc:
                _cache_down(exc)
                return [self._local_incr(LOCAL_FALLBACK, key, timeout) for key in keys]
        return [self._local_incr(self, key, timeout) for key in keys]

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
        return self.count([key])[0] <= self.num_requests

    def count(self, keys: list[str]) -> list[int]:
        """Count one more request for each of ``keys`` in the current
        window, in one round trip; return the counts, in order."""
        self.now = self.timer()
        window = int(self.now // self.duration)
        self.window_ends = (window + 1) * self.duration
        windowed = [f"{key}:{window}" for key in keys]
        self.key = windowed[0] if windowed else None
        return self.cache.incr_many_in_window(windowed, self.duration)

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
    """Writes that e-mail someone (registering alone or as a group, "lost
    ticket"), per address.

    Registering again with an address re-sends its ticket, and a group
    e-mails its contact and every companion who gave an address; without
    this limit anyone could flood someone's inbox from many IPs. Every
    address a request names counts, in one round trip: ``email`` (a single
    registration, "lost ticket"), a group's ``contact.email`` and each
    ``members[n].email`` (the same address twice in one request counts
    once). When one is over its limit the whole request is refused before
    anything is created (``AddressRateLimited``, 429, naming the address in
    its field). Only a request that would e-mail counts: the views call
    ``check`` once the input is valid (docs/groups.md).
    """

    scope = "address"

    def check(self, data) -> None:
        """Count one e-mail to each address ``data`` names (a request body
        in the API's shape, or a form's ``email``).

        Raise AddressRateLimited when one is over its limit.
        """
        if self.rate is None:
            return
        named = addresses_of(data)
        if not named:
            return
        counts = self.count([self._key(address) for _field, address in named])
        over = [
            (field, address)
            for (field, address), count in zip(named, counts, strict=True)
            if count > self.num_requests
        ]
        if over:
            raise address_rate_limited(over, wait=self.wait())

    def _key(self, address: str) -> str:
        # Hashed: an address may be long and hold any character; a cache key may not.
        ident = hashlib.sha256(address.encode()).hexdigest()[:32]
        return self.cache_format % {"scope": self.scope, "ident": ident}


# More than any public write accepts (a group: its contact and ten
# companions); a longer body is refused by validation and e-mails nobody.
MAX_ADDRESSES = 16

Field = tuple[str | int, ...]


def addresses_of(data) -> list[tuple[Field, str]]:
    """The e-mail addresses a public write is about, normalised, each with
    its field (``("email",)``, ``("contact", "email")``, ``("members", 2,
    "email")``): the first field of each address, at most MAX_ADDRESSES."""
    if not hasattr(data, "get"):
        return []
    found = [(("email",), data.get("email"))]
    contact = data.get("contact")
    if isinstance(contact, dict):
        found.append((("contact", "email"), contact.get("email")))
    members = data.get("members")
    if isinstance(members, list):
        found += [
            (("members", n, "email"), member.get("email"))
            for n, member in enumerate(members[:MAX_ADDRESSES])
            if isinstance(member, dict)
        ]
    named = {}
    for field, value in found:
        address = value.strip().lower()[:254] if isinstance(value, str) else ""
        if address and address not in named:
            named[address] = field
    return [(field, address) for address, field in named.items()][:MAX_ADDRESSES]


def address_rate_limited(over: list[tuple[Field, str]], *, wait: float) -> AddressRateLimited:
    """The refusal of a write that would e-mail ``over`` (field, address)
    pairs: each field gets a message naming its address, in the active
    language; the error's message is the first one's."""
    minutes = max(1, math.ceil(wait / 60))
    fields: dict = {}
    messages = []
    for field, address in over:
        message = ngettext(
            "Too many e-mails went to %(address)s in a short time. "
            "Please try again in %(minutes)d minute.",
            "Too many e-mails went to %(address)s in a short time. "
            "Please try again in %(minutes)d minutes.",
            minutes,
        ) % {"address": address, "minutes": minutes}
        if field[0] == "members":
            message += " " + _(
                "A companion's e-mail is optional: leave it empty and their ticket "
                "stays on the group page."
            )
        messages.append(message)
        node = fields
        for part in field[:-1]:
            node = node.setdefault(part, {})
        node[field[-1]] = [message]
    return AddressRateLimited(messages[0], fields=fields, retry_after=math.ceil(wait) or 1)


class StaffSearchRateThrottle(CountingThrottle):
    """The gate's look-up of people by name, per staff user."""

    scope = "staff_search"

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
