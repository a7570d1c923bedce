"""The protocol every live socket shares (eventhub.core.consumers): one
computation per stats change whatever the number of screens, close codes
that tell the client what to do, errors for what it cannot understand."""

from unittest import mock

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import DatabaseError
from django.test import Client

from eventhub.asgi import application
from eventhub.core.consumers import CLOSE_NOT_FOUND, CLOSE_REFUSED, CLOSE_RESYNC
from eventhub.core.models import Kiosk, StaffRole
from registrations.selectors.checkin import attendance_totals
from registrations.services.checkin import ticket_check_in
from tests.factories import AttendeeFactory, EventFactory, KioskFactory, StaffRoleFactory
from tests.screenings.helpers import doctor_of, make_service

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_db_connections"),
]


def login(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


def socket(path, cookie=None):
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, path, headers=headers)


@database_sync_to_async
def fair():
    event = EventFactory(capacity=50)
    attendee = AttendeeFactory(event=event)
    organizer = StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user
    service = make_service(event, code="T")
    station = service.stations.first()
    doctor = doctor_of(service, station)
    board = KioskFactory(event=event, kind=Kiosk.Kind.BOARD, service_code="T")
    stats = KioskFactory(event=event, kind=Kiosk.Kind.STATS)
    return {
        "event": event,
        "attendee": attendee,
        "organizer": organizer,
        "organizer_cookie": login(organizer),
        "doctor_cookie": login(doctor),
        "board": f"/ws/events/{event.slug}/screenings/T/board/?kiosk={board.token}",
        "stats": f"/ws/events/{event.slug}/stats/",
        "stats_kiosk": f"/ws/events/{event.slug}/stats/?kiosk={stats.token}",
        "console": f"/ws/stations/{station.pk}/",
    }


async def test_a_stats_change_is_computed_once_for_every_socket():
    f = await fair()
    screens = [
        socket(f["stats"], f["organizer_cookie"]),
        socket(f["stats"], f["organizer_cookie"]),
        socket(f["stats_kiosk"]),
    ]
    with mock.patch(
        "eventhub.kiosks.selectors.attendance_totals", wraps=attendance_totals
    ) as totals:
        for screen in screens:
            assert (await screen.connect())[0]
            assert (await screen.receive_json_from(timeout=5))["type"] == "snapshot"
        assert totals.call_count == 3  # one snapshot each
        totals.reset_mock()

        await database_sync_to_async(ticket_check_in)(
            event_id=f["event"].pk, payload=f["attendee"].ticket.code, gate="North"
        )
        updates = [await screen.receive_json_from(timeout=5) for screen in screens]

    assert totals.call_count == 1
    assert all(u == updates[0] for u in updates)
    assert updates[0]["type"] == "stats" and updates[0]["checked_in"] == 1
    for screen in screens:
        await screen.disconnect()


SNAPSHOT_READS = {
    "board": "screenings.consumers.board_snapshot",
    "console": "screenings.selectors.access.station_console_snapshot",
    "stats": "eventhub.kiosks.consumers.stats_snapshot",
}
COOKIES = {"board": None, "console": "doctor_cookie", "stats": "organizer_cookie"}


@pytest.mark.parametrize("kind", ["board", "console", "stats"])
async def test_a_failing_snapshot_read_closes_with_the_resync_code(kind):
    f = await fair()
    cookie = f[COOKIES[kind]] if COOKIES[kind] else None
    with mock.patch(SNAPSHOT_READS[kind], side_effect=DatabaseError("server closed")):
        ws = socket(f[kind], cookie)
        assert (await ws.connect())[0]
        assert await ws.receive_output(timeout=5) == {
            "type": "websocket.close",
            "code": CLOSE_RESYNC,
        }
    # Once the database is back, the reconnecting client starts over.
    again = socket(f[kind], cookie)
    assert (await again.connect())[0]
    assert (await again.receive_json_from(timeout=5))["type"] == "snapshot"
    await again.disconnect()


async def test_a_failing_resync_closes_with_the_resync_code():
    f = await fair()
    ws = socket(f["board"])
    assert (await ws.connect())[0]
    await ws.receive_json_from(timeout=5)
    with mock.patch(SNAPSHOT_READS["board"], side_effect=DatabaseError("server closed")):
        await ws.send_json_to({"type": "resync"})
        assert (await ws.receive_output(timeout=5))["code"] == CLOSE_RESYNC


async def test_what_does_not_exist_is_closed_as_unknown_what_is_forbidden_as_refused():
    f = await fair()
    slug = f["event"].slug
    organizer = f["organizer_cookie"]
    for path, cookie, code in [
        ("/ws/events/no-such-fair/stats/", organizer, CLOSE_NOT_FOUND),
        ("/ws/stations/999999/", organizer, CLOSE_NOT_FOUND),
        (f["board"].replace("/T/", "/X/"), None, CLOSE_REFUSED),  # a board of service T
        (f"/ws/events/{slug}/stats/", None, CLOSE_REFUSED),
        (f["console"], None, CLOSE_REFUSED),
    ]:
        connected, closed_with = await socket(path, cookie).connect()
        assert not connected and closed_with == code, path


@pytest.mark.parametrize("kind", ["board", "console", "stats"])
async def test_every_socket_answers_ping_and_resync_and_refuses_what_it_does_not_know(kind):
    f = await fair()
    ws = socket(f[kind], f[COOKIES[kind]] if COOKIES[kind] else None)
    assert (await ws.connect())[0]
    snapshot = await ws.receive_json_from(timeout=5)
    await ws.send_json_to({"type": "ping"})
    assert await ws.receive_json_from(timeout=5) == {"type": "pong", "seq": snapshot["seq"]}
    await ws.send_json_to({"type": "resync"})
    assert (await ws.receive_json_from(timeout=5))["type"] == "snapshot"
    await ws.send_json_to({"type": "subscribe"})
    error = await ws.receive_json_from(timeout=5)
    assert error["type"] == "error" and error["code"] == "unknown_message"
    await ws.disconnect()
