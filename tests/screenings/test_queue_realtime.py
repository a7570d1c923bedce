"""The doctor console and public board sockets: snapshot on connect, one delta
per change after commit (nothing on rollback), gaps heal with a snapshot,
and boards never carry names."""

import json

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from eventhub.asgi import application
from eventhub.core.models import StaffRole
from screenings import realtime
from screenings.routing import websocket_urlpatterns
from screenings.services.queue import queue_call_next, queue_join
from tests.factories import KioskFactory, StaffRoleFactory
from tests.screenings.helpers import doctor_of, make_attendee, make_service

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_db_connections"),
]

router = URLRouter(websocket_urlpatterns)


@database_sync_to_async
def setup_queue():
    service = make_service(stations=2)
    station = service.stations.first()
    doctor = doctor_of(service, station)
    attendee = make_attendee(service.event, first_name="Ioana", needs_transport=True)
    queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    kiosk = KioskFactory(event=service.event, kind="board", service_code="T")
    return service, station, doctor, kiosk


def console(station, user):
    communicator = WebsocketCommunicator(router, f"/ws/stations/{station.pk}/")
    communicator.scope["user"] = user
    return communicator


def board(service, token):
    path = f"/ws/events/{service.event.slug}/screenings/{service.code}/board/?kiosk={token}"
    return WebsocketCommunicator(router, path)


async def test_console_gets_a_snapshot_then_a_delta_after_call_next():
    service, station, doctor, _ = await setup_queue()
    communicator = console(station, doctor)
    connected, _ = await communicator.connect()
    assert connected
    snapshot = await communicator.receive_json_from()
    assert snapshot["type"] == "snapshot"
    assert [(e["number"], e["first_name"], e["flags"]) for e in snapshot["waiting"]] == [
        ("T-001", "Ioana", ["free_transport"])
    ]
    assert snapshot["current"] == []

    await database_sync_to_async(queue_call_next)(station_id=station.pk)
    delta = await communicator.receive_json_from()
    assert delta["type"] == "queue.entry_called"
    assert delta["seq"] == snapshot["seq"] + 1
    assert delta["entry"]["status"] == "called"
    assert delta["entry"]["station_id"] == station.pk
    assert delta["entry"]["first_name"] == "Ioana"
    assert await communicator.receive_nothing()
    await communicator.disconnect()


async def test_a_rolled_back_change_sends_nothing():
    service, station, doctor, kiosk = await setup_queue()
    doctor_socket, board_socket = console(station, doctor), board(service, kiosk.token)
    for communicator in (doctor_socket, board_socket):
        assert (await communicator.connect())[0]
        await communicator.receive_json_from()

    @database_sync_to_async
    def join_then_fail():
        with pytest.raises(RuntimeError), transaction.atomic():
            queue_join(service_id=service.pk, walk_in={"first_name": "Ghost"})
            raise RuntimeError("boom")

    await join_then_fail()
    assert await doctor_socket.receive_nothing(timeout=0.3)
    assert await board_socket.receive_nothing(timeout=0.3)
    # the next real change carries the next seq: no gap on the clients
    await database_sync_to_async(queue_join)(service_id=service.pk, walk_in={"first_name": "Ana"})
    added = await board_socket.receive_json_from()
    assert added["type"] == "queue.entry_added" and added["entry"]["number"] == "T-002"
    await doctor_socket.disconnect()
    await board_socket.disconnect()


async def test_the_board_shows_numbers_and_stations_never_names():
    service, station, _, kiosk = await setup_queue()
    communicator = board(service, kiosk.token)
    assert (await communicator.connect())[0]
    snapshot = await communicator.receive_json_from()
    assert [e["number"] for e in snapshot["waiting"]] == ["T-001"]
    assert "Ioana" not in json.dumps(snapshot)
    assert "first_name" not in json.dumps(snapshot) and "flags" not in json.dumps(snapshot)

    await database_sync_to_async(queue_call_next)(station_id=station.pk)
    called = await communicator.receive_json_from()
    assert called["type"] == "queue.entry_called"
    assert called["entry"] == {
        "id": called["entry"]["id"],
        "number": "T-001",
        "status": "called",
        "station": station.name,
        "station_id": station.pk,
    }
    attendee = await database_sync_to_async(make_attendee)(service.event, first_name="Milica")
    await database_sync_to_async(queue_join)(service_id=service.pk, ticket=attendee.ticket.code)
    added = await communicator.receive_json_from()
    assert "Milica" not in json.dumps(added)
    await communicator.disconnect()


async def test_a_gap_in_seq_makes_the_consumer_send_a_fresh_snapshot():
    service, station, doctor, _ = await setup_queue()
    communicator = console(station, doctor)
    await communicator.connect()
    snapshot = await communicator.receive_json_from()
    layer = get_channel_layer()
    stale = realtime.delta(realtime.ENTRY_UPDATED, snapshot["seq"], entry={"id": 0})
    await layer.group_send(realtime.console_group(service.pk), stale)
    skipped = realtime.delta(realtime.ENTRY_UPDATED, snapshot["seq"] + 2, entry={"id": 0})
    await layer.group_send(realtime.console_group(service.pk), skipped)
    again = await communicator.receive_json_from()
    assert again["type"] == "snapshot"
    await communicator.send_json_to({"type": "ping"})
    assert (await communicator.receive_json_from())["type"] == "pong"
    await communicator.send_json_to({"type": "resync"})
    assert (await communicator.receive_json_from())["type"] == "snapshot"
    await communicator.disconnect()


async def test_volunteers_anonymous_users_and_kiosks_cannot_open_the_console():
    service, station, _, kiosk = await setup_queue()
    volunteer = await database_sync_to_async(
        lambda: StaffRoleFactory(event=service.event, role=StaffRole.Role.VOLUNTEER).user
    )()
    for user in (volunteer, AnonymousUser()):
        connected, code = await console(station, user).connect()
        assert not connected and code == 4403
    with_token = WebsocketCommunicator(router, f"/ws/stations/{station.pk}/?kiosk={kiosk.token}")
    with_token.scope["user"] = AnonymousUser()
    assert not (await with_token.connect())[0]


async def test_the_board_refuses_bad_tokens_other_services_and_other_kinds():
    service, _, _, kiosk = await setup_queue()
    stats = await database_sync_to_async(KioskFactory)(event=service.event, kind="stats")
    other = await database_sync_to_async(make_service)(service.event, code="B")
    for communicator in [
        board(service, "nope"),
        board(service, stats.token),
        board(other, kiosk.token),
    ]:
        connected, code = await communicator.connect()
        assert not connected and code == 4403


async def test_the_console_works_through_the_real_asgi_stack_with_a_session(client):
    service, station, doctor, _ = await setup_queue()
    await database_sync_to_async(client.force_login)(doctor)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application,
        f"/ws/stations/{station.pk}/",
        headers=[(b"origin", b"http://testserver"), (b"host", b"testserver"), (b"cookie", cookie)],
    )
    connected, _ = await communicator.connect()
    assert connected
    assert (await communicator.receive_json_from())["type"] == "snapshot"
    await communicator.disconnect()


async def test_queue_changes_and_bookings_tell_the_stats_sockets():
    from eventhub.core.realtime import stats_group
    from screenings.services.appointments import appointment_book
    from tests.screenings.helpers import make_slot

    service, station, _, _ = await setup_queue()
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(stats_group(service.event_id), channel)
    await database_sync_to_async(queue_call_next)(station_id=station.pk)
    message = await layer.receive(channel)
    seq = message.pop("seq")
    assert isinstance(seq, int)
    # The new figures travel with the change: computed once, for every socket.
    figures = [{"code": "T", "name": service.name, "waiting": 0, "served": 0}]
    assert message == {
        "type": "stats.changed",
        "event_id": service.event_id,
        "part": "screenings",
        "message": {"type": "stats", "seq": seq, "part": "screenings", "screenings": figures},
    }

    @database_sync_to_async
    def book():
        slot = make_slot(service)
        attendee = make_attendee(service.event)
        appointment_book(slot_id=slot.pk, attendee_id=attendee.pk, health_consent=True)

    await book()
    assert (await layer.receive(channel))["part"] == "screenings"
