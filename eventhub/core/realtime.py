"""Broadcasting to WebSocket groups after the transaction commits.

The message is JSON-encoded at once, so a payload that cannot be encoded
fails inside the request, and it is sent only if the surrounding transaction
commits: a rolled-back change never flashes up on a kiosk.

With Redis (channels-redis' pub/sub layer), sync code publishes itself: a
process-wide Redis client sends every message of one change in one pipeline
(one round trip), in the layer's own wire format (its group channel name and
its serializer), which the ASGI processes' layers receive like any
``group_send``. No event loop and no new connection per call, as
``async_to_sync(layer.group_send)`` from a sync thread would cost. Another
layer (the in-memory one of the embedded profile) goes through its own
``group_send``.
"""

import asyncio
import json
import logging
import threading
import time
from collections.abc import Callable

import redis
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels_redis.pubsub import RedisPubSubChannelLayer
from channels_redis.utils import _consistent_hash, decode_hosts
from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction

from eventhub.core.redis_clients import shared_redis

logger = logging.getLogger(__name__)


class RedisGroupPublisher:
    """``group_send`` of a ``RedisPubSubChannelLayer``, for sync code.

    The layer publishes a group message on the Redis channel
    ``{prefix}__group__{group}`` of the shard chosen by its consistent hash,
    serialized by the layer's serializer (msgpack, with the layer's
    encryption and random prefix if configured). This does the same with
    blocking clients kept for the life of the process, pipelining every
    message of one call: one round trip per shard.
    """

    def __init__(self, layer: RedisPubSubChannelLayer):
        self.layer = layer
        self.prefix = layer._kwargs.get("prefix", "asgi")
        self.clients = [
            shared_redis(host["address"]) for host in decode_hosts(layer._kwargs.get("hosts"))
        ]

    @classmethod
    def serves(cls, layer) -> bool:
        """True for a pub/sub layer whose hosts are plain Redis URLs."""
        if not isinstance(layer, RedisPubSubChannelLayer):
            return False
        hosts = decode_hosts(layer._kwargs.get("hosts"))
        return all(set(host) == {"address"} for host in hosts)

    def group_channel(self, group: str) -> str:
        return f"{self.prefix}__group__{group}"

    def publish(self, messages: list[tuple[str, dict]]) -> None:
        pipes = {}
        for group, message in messages:
            channel = self.group_channel(group)
            shard = _consistent_hash(channel, len(self.clients))
            if shard not in pipes:
                pipes[shard] = self.clients[shard].pipeline(transaction=False)
            pipes[shard].publish(channel, self.layer.serialize(message))
        for pipe in pipes.values():
            pipe.execute()


_publisher: tuple[object, RedisGroupPublisher | None] | None = None


def _publisher_for(layer) -> RedisGroupPublisher | None:
    """The process's publisher for ``layer``, or None when the layer is not pub/sub Redis."""
    global _publisher
    if _publisher is None or _publisher[0] is not layer:
        _publisher = (
            layer,
            RedisGroupPublisher(layer) if RedisGroupPublisher.serves(layer) else None,
        )
    return _publisher[1]


def broadcast(group: str, message: dict) -> None:
    """Send ``message`` to ``group`` now. ``message["type"]`` names the consumer handler."""
    broadcast_many([(group, message)])


def broadcast_many(messages: list[tuple[str, dict]]) -> None:
    """Send each ``(group, message)`` now: one pipelined round trip to Redis,
    or one hop to the event loop for another layer."""
    layer = get_channel_layer()
    if layer is None or not messages:
        return
    publisher = _publisher_for(layer)
    if publisher is not None:
        publisher.publish(messages)
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


StatsFigures = Callable[..., dict]
_stats_parts: dict[str, StatsFigures] = {}


def stats_part_register(part: str, figures: StatsFigures) -> None:
    """Name the function that computes the figures of one part of the stats
    board: ``figures(*, event_id) -> dict`` (plain counts, never names).

    The stats board is composed above the apps that change its figures, so
    they cannot import it; its ``AppConfig.ready`` registers here instead
    (``eventhub.kiosks.apps``). Registering a part again replaces it.
    """
    _stats_parts[part] = figures


def stats_changed_on_commit(*, event_id: int, part: str) -> None:
    """Tell the event's stats sockets the new figures of ``part``, after commit.

    ``part`` names what changed ("attendance", "training", "screenings").
    After commit, the figures of the part are computed once, here, and the
    message (consumer handler ``stats_changed``) carries them with the next
    sequence number to every socket of the event, which forwards them as
    they are.

    The sequence number is a per-event counter in the shared cache (Redis in
    production), bumped once per committed change when the message is sent:
    every server process reads the same counter, so two sockets on two
    workers number the same change alike. It is bumped before the figures
    are read, so the figures of change ``n`` count every change up to ``n``;
    if reading them fails, the number is spent and nothing is sent, and the
    sockets see the gap at the next message (a fresh snapshot). See
    docs/realtime.md.

    Coalesced per process: at most one message per event and part every
    ``STATS_COALESCE_SECONDS`` (0.2 s; 0 sends every change). A change
    within that time of the last message is sent, with every other change
    of the interval, at its end, from a timer thread: the figures are read
    then, so they count every change committed before. A busy gate thus
    pays for the figures a few times a second, not once per scan. Only
    with Redis (the production profile): the embedded profile sends each
    change at once.
    """
    transaction.on_commit(lambda: _stats_changed(event_id, part), robust=True)


_coalesce_lock = threading.Lock()
_last_sent: dict[tuple[int, str], float] = {}
_pending: set[tuple[int, str]] = set()


def _coalesce_seconds() -> float:
    if _publisher_for(get_channel_layer()) is None:
        return 0.0
    return float(getattr(settings, "STATS_COALESCE_SECONDS", 0.2))


def _stats_changed(event_id: int, part: str) -> None:
    window = _coalesce_seconds()
    if window <= 0:
        _send_stats_changed(event_id, part)
        return
    key = (event_id, part)
    now = time.monotonic()
    with _coalesce_lock:
        if key in _pending:
            return  # the message already scheduled will count this change
        wait = _last_sent.get(key, -window) + window - now
        if wait <= 0:
            _last_sent[key] = now
        else:
            _pending.add(key)
    if wait <= 0:
        _send_stats_changed(event_id, part)
        return
    timer = threading.Timer(wait, _send_pending, args=(event_id, part))
    timer.daemon = True
    timer.start()


def _send_pending(event_id: int, part: str) -> None:
    key = (event_id, part)
    with _coalesce_lock:
        _pending.discard(key)
        _last_sent[key] = time.monotonic()
    try:
        _send_stats_changed(event_id, part)
    except Exception:
        logger.exception("stats message for event %s (%s) not sent", event_id, part)
    finally:
        connections.close_all()  # this thread's own connections


def _shared_counter():
    """The process's Redis client for the counters, or None without Redis.

    Not Django's cache: it builds a client per operation (redis_clients.py).
    """
    url = getattr(settings, "REDIS_URL", "")
    return shared_redis(url) if url else None


def _stats_seq_key(event_id: int) -> str:
    prefix = getattr(settings, "CACHES", {}).get("default", {}).get("KEY_PREFIX", "eventhub")
    return f"{prefix}:stats-seq:{event_id}"


def _seq_base() -> int:
    """Where a new counter starts: the time in milliseconds.

    Redis keeps nothing on disk here: after a restart the counter is gone.
    Starting it again at 1 would freeze every open stats screen (they drop
    each message numbered at or below the one they hold). Started at the
    clock instead, the new numbers lie above the old ones (an event makes far
    fewer changes than a millisecond each), the screens see a jump, and a
    jump makes them ask for a fresh snapshot. The numbers stay below 2**53,
    exact in JavaScript.
    """
    return int(time.time() * 1000)


def stats_seq_current(event_id: int) -> int:
    """The sequence number of the event's latest stats change.

    A counter that does not exist yet starts here, so the first change after
    a snapshot follows it by one. While Redis does not answer this is 0: the
    snapshot is still served (the screens' polling fallback).
    """
    key = _stats_seq_key(event_id)
    client = _shared_counter()
    if client is None:
        cache.add(key, _seq_base(), timeout=None)
        return int(cache.get(key))
    try:
        pipe = client.pipeline(transaction=False)
        pipe.set(key, _seq_base(), nx=True)
        pipe.get(key)
        return int(pipe.execute()[-1])
    except redis.RedisError as exc:
        logger.warning("stats sequence unavailable (%s)", exc)
        return 0


def stats_seq_next(event_id: int) -> int:
    """Bump and return the event's stats sequence number (atomic in Redis).

    A counter that does not exist yet (a new event, or Redis restarted)
    starts at ``_seq_base()``; the set-if-absent and the increment go to
    Redis in one round trip.
    """
    key = _stats_seq_key(event_id)
    client = _shared_counter()
    if client is not None:
        pipe = client.pipeline(transaction=False)
        pipe.set(key, _seq_base(), nx=True)
        pipe.incr(key)
        return int(pipe.execute()[-1])
    # One process (the embedded profile): the local cache is the counter.
    cache.add(key, _seq_base(), timeout=None)
    return cache.incr(key)


def stats_changed_message(*, event_id: int, part: str, seq: int, figures: dict) -> dict:
    """The layer event of one stats change: what every stats socket forwards."""
    message = {"type": "stats", "seq": seq, "part": part, **figures}
    return {
        "type": "stats.changed",
        "event_id": event_id,
        "part": part,
        "seq": seq,
        "message": json.loads(json.dumps(message, cls=DjangoJSONEncoder)),
    }


def _send_stats_changed(event_id: int, part: str) -> None:
    figures_of = _stats_parts.get(part)
    if figures_of is None:
        logger.error("No figures registered for the stats part %r", part)
        return
    seq = stats_seq_next(event_id)
    figures = figures_of(event_id=event_id)
    broadcast(
        stats_group(event_id),
        stats_changed_message(event_id=event_id, part=part, seq=seq, figures=figures),
    )
