"""Broadcasting to WebSocket groups after the transaction commits.

The message is JSON-encoded at once, so a payload that cannot be encoded
fails inside the request, and it is sent only if the surrounding transaction
commits: a rolled-back change never flashes up on a kiosk.
"""

import asyncio
import json
import logging

import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

logger = logging.getLogger(__name__)


def broadcast(group: str, message: dict) -> None:
    """Send ``message`` to ``group`` now. ``message["type"]`` names the consumer handler."""
    layer = get_channel_layer()
    if layer is None:
        return
    async_to_sync(layer.group_send)(group, message)


def broadcast_many(messages: list[tuple[str, dict]]) -> None:
    """Send each ``(group, message)`` now, in one hop to the event loop."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return

    async def send_all():
        await asyncio.gather(*(layer.group_send(group, message) for group, message in messages))

    async_to_sync(send_all)()


def broadcast_on_commit(group: str, message: dict) -> None:
    """Send ``message`` to ``group`` once the outermost transaction commits."""
    broadcast_many_on_commit([(group, message)])


def broadcast_many_on_commit(messages: list[tuple[str, dict]]) -> None:
    """Send every ``(group, message)`` once the outermost transaction commits.

    One change that several kinds of socket see (a board, the consoles, the
    stats) goes out in one call: one hop from the request's thread to the
    event loop instead of one per group. A channel-layer failure is logged,
    never raised: the change is already committed, and kiosks heal through
    the sequence numbers (a gap makes them ask for a fresh snapshot).
    """
    payload = [
        (group, json.loads(json.dumps(message, cls=DjangoJSONEncoder)))
        for group, message in messages
    ]
    transaction.on_commit(lambda: broadcast_many(payload), robust=True)


def kiosk_group(kiosk_id: int) -> str:
    """The sockets held by one kiosk (closed when its token is revoked)."""
    return f"kiosk.{kiosk_id}"


def stats_group(event_id: int) -> str:
    """The group of an event's live-totals sockets (``/ws/events/{event}/stats/``)."""
    return f"event-stats.{event_id}"


def stats_changed_on_commit(*, event_id: int, part: str) -> None:
    """Tell the event's stats sockets that totals of ``part`` changed, after commit.

    ``part`` names what changed ("attendance", "training", "screenings"); the
    stats consumer (handler ``stats_changed``) re-reads its selector and sends
    the new figures with the message's sequence number.

    The sequence number is a per-event counter in the shared cache (Redis in
    production), bumped once per committed change when the message is sent:
    every server process reads the same counter, so two sockets on two
    workers number the same change alike. See docs/checkin.md.
    """
    transaction.on_commit(lambda: _send_stats_changed(event_id, part), robust=True)


_redis_client = None


def _shared_counter():
    """A process-wide Redis client for the counters, or None without Redis.

    Not Django's cache: under ASGI each request has its own cache instance,
    hence a new Redis connection per request; one client keeps one pool.
    """
    global _redis_client
    url = getattr(settings, "REDIS_URL", "")
    if not url:
        return None
    if _redis_client is None:
        _redis_client = redis.Redis.from_url(url)
    return _redis_client


def _stats_seq_key(event_id: int) -> str:
    prefix = getattr(settings, "CACHES", {}).get("default", {}).get("KEY_PREFIX", "eventhub")
    return f"{prefix}:stats-seq:{event_id}"


def stats_seq_current(event_id: int) -> int:
    """The sequence number of the event's latest stats change (0 before any)."""
    client = _shared_counter()
    value = client.get(_stats_seq_key(event_id)) if client else cache.get(_stats_seq_key(event_id))
    return int(value or 0)


def stats_seq_next(event_id: int) -> int:
    """Bump and return the event's stats sequence number (atomic in Redis)."""
    key = _stats_seq_key(event_id)
    client = _shared_counter()
    if client is not None:
        return int(client.incr(key))
    # One process (the embedded profile): the local cache is the counter.
    cache.add(key, 0, timeout=None)
    return cache.incr(key)


def _send_stats_changed(event_id: int, part: str) -> None:
    seq = stats_seq_next(event_id)
    broadcast(
        stats_group(event_id),
        {"type": "stats.changed", "event_id": event_id, "part": part, "seq": seq},
    )
