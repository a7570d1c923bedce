"""Sync code publishes group messages to Redis itself, in the pub/sub layer's
own format: the layer of an ASGI process receives them like its own
``group_send``, and one call costs one pipelined round trip. Stats changes
close together are coalesced, never dropped."""

import asyncio
import time

import pytest
import redis.client
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from eventhub.core.realtime import (
    broadcast,
    broadcast_many,
    stats_changed_on_commit,
    stats_group,
    stats_part_register,
)

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="publishes through Redis"),
]


async def listening(layer, *groups):
    channel = await layer.new_channel()
    for group in groups:
        await layer.group_add(group, channel)
    await asyncio.sleep(0.05)  # the subscription reaches Redis
    return channel


async def test_a_message_broadcast_from_sync_code_reaches_a_layer_subscriber():
    layer = get_channel_layer()
    channel = await listening(layer, "publisher-test.a")
    message = {"type": "board.changed", "seq": 7, "rows": [{"name": "Ioana Ș"}], "at": None}
    await sync_to_async(broadcast)("publisher-test.a", message)
    assert await asyncio.wait_for(layer.receive(channel), 5) == message
    await layer.group_discard("publisher-test.a", channel)


async def test_one_change_for_three_groups_is_one_round_trip(monkeypatch):
    layer = get_channel_layer()
    groups = [f"publisher-test.{name}" for name in ("board", "console", "stats")]
    channel = await listening(layer, *groups)
    executed = []
    original = redis.client.Pipeline.execute

    def counting(pipe, *args, **kwargs):
        executed.append(len(pipe.command_stack))
        return original(pipe, *args, **kwargs)

    monkeypatch.setattr(redis.client.Pipeline, "execute", counting)
    messages = [(group, {"type": "x.changed", "group": group}) for group in groups]
    await sync_to_async(broadcast_many)(messages)
    received = [await asyncio.wait_for(layer.receive(channel), 5) for _ in groups]
    assert sorted(m["group"] for m in received) == sorted(groups)
    assert executed == [3]
    for group in groups:
        await layer.group_discard(group, channel)


@pytest.mark.django_db(transaction=True)
async def test_stats_changes_close_together_go_out_together_with_every_change_counted(settings):
    settings.STATS_COALESCE_SECONDS = 0.2
    event_id, changes = 987_001, {"n": 0}
    stats_part_register("coalesce-test", lambda *, event_id: {"changes": changes["n"]})
    layer = get_channel_layer()
    channel = await listening(layer, stats_group(event_id))

    def change():
        changes["n"] += 1
        stats_changed_on_commit(event_id=event_id, part="coalesce-test")

    for _ in range(5):
        await sync_to_async(change)()
    first = await asyncio.wait_for(layer.receive(channel), 5)
    assert first["message"]["changes"] == 1  # the first change goes out at once
    started = time.monotonic()
    rest = await asyncio.wait_for(layer.receive(channel), 5)
    assert time.monotonic() - started < 1
    assert rest["message"]["changes"] == 5  # the four others, together
    assert rest["seq"] == first["seq"] + 1  # no gap: the screens need no resync
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(channel), 0.5)
    await layer.group_discard(stats_group(event_id), channel)
