"""What a doctor's "call next" costs in Redis, counted on the wire: the board
and the consoles hear of it in one pipelined round trip (two PUBLISHes), sent
before the stats message; the stats message costs its sequence number (SET NX
+ INCR, one round trip, taken before its figures are read) and its PUBLISH.
Every message arrives in the channel layer's own format."""

import asyncio

import pytest
import redis.connection
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings

from eventhub.core.realtime import broadcast, stats_group
from screenings import realtime as screenings_realtime
from screenings.services.queue import queue_join
from tests.conftest import client_for
from tests.screenings.helpers import doctor_of, make_attendee, make_service

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="counts round trips to Redis"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_db_connections"),
]


def command_names(packed: bytes) -> list[str]:
    """The names of the commands in one write (RESP arrays of bulk strings)."""
    names, at = [], 0
    while at < len(packed):
        assert packed[at : at + 1] == b"*", packed[at : at + 20]
        end = packed.index(b"\r\n", at)
        count, at = int(packed[at + 1 : end]), end + 2
        for n in range(count):
            end = packed.index(b"\r\n", at)
            length, at = int(packed[at + 1 : end]), end + 2
            if n == 0:
                names.append(packed[at : at + length].decode().upper())
            at += length + 2
    return names


class WireLog:
    """Each write to a (blocking) Redis connection, with the commands it carried:
    one write is one round trip, a pipeline included."""

    def __init__(self, monkeypatch):
        self.writes: list[list[str]] = []
        send_packed = redis.connection.Connection.send_packed_command
        log = self

        def sending(conn, command, *args, **kwargs):
            packed = command if isinstance(command, bytes | str) else b"".join(command)
            log.writes.append(command_names(packed.encode() if isinstance(packed, str) else packed))
            return send_packed(conn, command, *args, **kwargs)

        monkeypatch.setattr(redis.connection.Connection, "send_packed_command", sending)


@sync_to_async
def setup_call():
    service = make_service(stations=1)
    station = service.stations.first()
    doctor = doctor_of(service, station)
    attendee = make_attendee(service.event, first_name="Ioana")
    queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    return service, station, client_for(doctor)


async def test_a_call_reaches_the_board_in_one_round_trip_and_the_stats_in_two(monkeypatch):
    service, station, client = await setup_call()
    layer = get_channel_layer()
    channel = await layer.new_channel()
    board_group = screenings_realtime.queue_group(service.pk)
    groups = [board_group, screenings_realtime.console_group(service.pk)]
    groups.append(stats_group(service.event_id))
    for group in groups:
        await layer.group_add(group, channel)
    await asyncio.sleep(0.05)  # the subscriptions reach Redis
    # The process-wide clients connect once (SELECT on a new connection): not per call.
    await sync_to_async(broadcast)("round-trip-test.warm", {"type": "x"})
    await sync_to_async(client.post)(f"/api/v1/stations/{station.pk}/call-next/")  # warm
    for _ in groups:  # the first call's board, console and stats messages
        await asyncio.wait_for(layer.receive(channel), 5)

    wire = WireLog(monkeypatch)
    response = await sync_to_async(client.post)(f"/api/v1/stations/{station.pk}/call-next/")
    assert response.status_code == 204  # nobody is waiting any more: nothing to send
    assert wire.writes == []

    await sync_to_async(queue_join)(service_id=service.pk, walk_in={"first_name": "Maria"})
    # The join's own board, console and stats messages.
    joined = [await asyncio.wait_for(layer.receive(channel), 5) for _ in groups]
    assert [m["type"] for m in joined] == ["queue.delta", "queue.delta", "stats.changed"]
    wire = WireLog(monkeypatch)
    response = await sync_to_async(client.post)(f"/api/v1/stations/{station.pk}/call-next/")
    assert response.status_code == 200, response.content
    number = response.json()["number"]

    assert wire.writes == [["PUBLISH", "PUBLISH"], ["SET", "INCRBY"], ["PUBLISH"]]
    received = [await asyncio.wait_for(layer.receive(channel), 5) for _ in range(3)]
    board, console, stats = received  # in the order they were published
    assert board["type"] == console["type"] == "queue.delta"
    assert board["message"]["type"] == console["message"]["type"] == "queue.entry_called"
    assert board["seq"] == console["seq"] == board["message"]["seq"]
    assert board["message"]["entry"]["number"] == number
    assert "first_name" not in board["message"]["entry"]  # boards never carry names
    assert console["message"]["entry"]["first_name"] == "Maria"
    assert stats["type"] == "stats.changed"
    assert stats["part"] == "screenings"
    assert stats["seq"] == joined[-1]["seq"] + 1  # no gap: no stats screen resyncs
    for group in groups:
        await layer.group_discard(group, channel)
