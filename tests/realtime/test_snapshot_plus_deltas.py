"""For every kind of live socket: the snapshot a page took, plus the deltas
that followed, shows what a fresh snapshot shows (DESIGN.md, docs/realtime.md).

Each test connects, takes the snapshot, makes several changes through the
services (their broadcasts run after commit), applies the deltas with the
page's own reducer (``tests.realtime.clients``) and compares with a socket
opened afterwards."""

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client

from eventhub.asgi import application
from eventhub.core.models import Kiosk, StaffRole
from registrations.services.checkin import ticket_check_in
from registrations.services.training import training_booking_cancel, training_booking_create
from screenings.routing import websocket_urlpatterns
from screenings.services.appointments import appointment_book, appointment_cancel
from screenings.services.queue import (
    queue_call_next,
    queue_entry_complete,
    queue_entry_hand_over,
    queue_entry_no_show,
    queue_entry_recall,
    queue_entry_start,
    queue_join,
    station_set_open,
)
from tests.factories import AttendeeFactory, EventFactory, KioskFactory, StaffRoleFactory
from tests.realtime.clients import BoardClient, ConsoleClient, StatsClient, drain, follow
from tests.screenings.helpers import doctor_of, make_service, make_slot
from tests.training.factories import TrainingSessionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_db_connections"),
]

router = URLRouter(websocket_urlpatterns)


@database_sync_to_async
def queue_with_people():
    service = make_service(code="T", stations=2)
    first, second = service.stations.order_by("position")
    for name in ("Ioana", "Milica", "Petar"):
        queue_join(service_id=service.pk, walk_in={"first_name": name})
    return service, first, second


@database_sync_to_async
def change_the_queue(service, first, second):
    """A morning at the tent: calls, a recall, an exam, a hand-over, a
    no-show, a pause, newcomers."""
    queue_join(service_id=service.pk, walk_in={"first_name": "Ana", "flags": ["accessibility"]})
    ioana = queue_call_next(station_id=first.pk)
    milica = queue_call_next(station_id=second.pk)
    queue_entry_recall(entry_id=ioana.pk)
    queue_entry_start(entry_id=ioana.pk)
    queue_entry_hand_over(entry_id=milica.pk, station_id=first.pk)
    queue_entry_complete(entry_id=ioana.pk)
    station_set_open(station_id=second.pk, is_open=False)
    petar = queue_call_next(station_id=first.pk)
    queue_entry_no_show(entry_id=petar.pk)
    queue_join(service_id=service.pk, walk_in={"first_name": "Jovan"})
    called_first = queue_call_next(station_id=first.pk)
    station_set_open(station_id=second.pk, is_open=True)
    queue_call_next(station_id=second.pk)
    # Starting an exam keeps the board's order: latest call first.
    queue_entry_start(entry_id=called_first.pk)


def board_socket(service, token):
    path = f"/ws/events/{service.event.slug}/screenings/{service.code}/board/?kiosk={token}"
    return WebsocketCommunicator(router, path)


def console_socket(station, user):
    communicator = WebsocketCommunicator(router, f"/ws/stations/{station.pk}/")
    communicator.scope["user"] = user
    return communicator


async def snapshot_of(communicator):
    assert (await communicator.connect())[0]
    snapshot = await communicator.receive_json_from(timeout=5)
    assert snapshot["type"] == "snapshot"
    return snapshot


async def test_a_board_that_follows_the_deltas_shows_what_a_fresh_board_shows():
    service, first, second = await queue_with_people()
    token = (
        await database_sync_to_async(KioskFactory)(
            event=service.event, kind=Kiosk.Kind.BOARD, service_code="T"
        )
    ).token
    socket = board_socket(service, token)
    old = await snapshot_of(socket)

    await change_the_queue(service, first, second)
    deltas = await drain(socket)
    await socket.disconnect()
    assert len(deltas) == 15

    fresh_socket = board_socket(service, token)
    fresh = await snapshot_of(fresh_socket)
    await fresh_socket.disconnect()
    assert fresh["seq"] == old["seq"] + 15
    followed = follow(BoardClient(), old, deltas)
    assert followed == follow(BoardClient(), fresh, [])
    assert len(followed["serving"]) == 2, "the scenario leaves two people being served"
    assert len(followed["recent"]) == 2, "a done and a no-show stay in view as recently called"


async def test_a_console_that_follows_the_deltas_shows_what_a_fresh_console_shows():
    service, first, second = await queue_with_people()
    doctor = await database_sync_to_async(doctor_of)(service, first)
    socket = console_socket(first, doctor)
    old = await snapshot_of(socket)

    await change_the_queue(service, first, second)
    deltas = await drain(socket)
    await socket.disconnect()
    assert len(deltas) == 15

    fresh_socket = console_socket(first, doctor)
    fresh = await snapshot_of(fresh_socket)
    await fresh_socket.disconnect()
    followed = follow(ConsoleClient(first.pk), old, deltas)
    assert followed == follow(ConsoleClient(first.pk), fresh, [])
    assert followed["mine"] and followed["waiting"]
    assert "estimated_wait_minutes" in followed["figures"]


@database_sync_to_async
def fair_with_everything():
    event = EventFactory(capacity=50)
    people = [AttendeeFactory(event=event) for _ in range(3)]
    organizer = StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user
    session = TrainingSessionFactory(module__event=event, capacity=2)
    service = make_service(event, code="T", name="Thyroid ultrasound", stations=1)
    slot = make_slot(service)
    client = Client()
    client.force_login(organizer)
    return event, people, organizer, session, service, slot, client.cookies["sessionid"].value


@database_sync_to_async
def change_the_fair(event, people, organizer, session, service, slot):
    """Check-ins at two gates, seats taken and given back, a queue moving,
    an appointment booked and cancelled."""
    ana, ion, vera = people
    ticket_check_in(event_id=event.pk, payload=ana.ticket.code, gate="North", user=organizer)
    ticket_check_in(event_id=event.pk, payload=ion.ticket.code, gate="South", user=organizer)
    training_booking_create(attendee_id=ana.pk, session_id=session.pk)
    seat = training_booking_create(attendee_id=ion.pk, session_id=session.pk).booking
    training_booking_create(attendee_id=vera.pk, session_id=session.pk)  # waiting list
    training_booking_cancel(booking_id=seat.pk)  # Vera takes the seat
    queue_join(service_id=service.pk, ticket=ana.ticket.code)
    queue_join(service_id=service.pk, walk_in={"first_name": "Jovan"})
    entry = queue_call_next(station_id=service.stations.get().pk)
    queue_entry_complete(entry_id=entry.pk)
    booked = appointment_book(slot_id=slot.pk, attendee_id=vera.pk, health_consent=True)
    appointment_book(slot_id=slot.pk, attendee_id=ion.pk, health_consent=True)
    appointment_cancel(appointment_id=booked.pk)


def stats_socket(event, session):
    headers = [
        (b"origin", b"http://testserver"),
        (b"host", b"testserver"),
        (b"cookie", f"sessionid={session}".encode()),
    ]
    return WebsocketCommunicator(application, f"/ws/events/{event.slug}/stats/", headers=headers)


async def test_a_stats_screen_that_follows_the_deltas_shows_what_a_fresh_one_shows():
    event, people, organizer, session, service, slot, cookie = await fair_with_everything()
    socket = stats_socket(event, cookie)
    old = await snapshot_of(socket)

    await change_the_fair(event, people, organizer, session, service, slot)
    deltas = await drain(socket)
    await socket.disconnect()
    assert {m["part"] for m in deltas} == {"attendance", "training", "screenings"}

    fresh_socket = stats_socket(event, cookie)
    fresh = await snapshot_of(fresh_socket)
    await fresh_socket.disconnect()
    assert fresh["seq"] == old["seq"] + len(deltas)
    followed = follow(StatsClient(), old, deltas)
    assert followed == follow(StatsClient(), fresh, [])
    assert followed["checked_in"] == 2 and followed["by_gate"] == {"North": 1, "South": 1}
    assert followed["screenings"][0]["served"] == 1
