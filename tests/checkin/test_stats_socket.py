"""The live-totals socket: a snapshot on connect, the new count after each committed check-in."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import transaction
from django.test import Client

from eventhub.asgi import application
from eventhub.core.models import Kiosk, StaffRole
from registrations.services.checkin import ticket_check_in
from registrations.services.training import training_booking_create
from screenings.services.queue import queue_join
from tests.factories import AttendeeFactory, EventFactory, KioskFactory, StaffRoleFactory
from tests.screenings.helpers import make_service
from tests.training.factories import TrainingSessionFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_db_connections"),
]
Role = StaffRole.Role


@sync_to_async
def make_fair(role=Role.ORGANIZER, attendees=2):
    event = EventFactory(capacity=50)
    people = [AttendeeFactory(event=event) for _ in range(attendees)]
    user = StaffRoleFactory(event=event, role=role).user
    client = Client()
    client.force_login(user)
    return event, people, user, client.cookies["sessionid"].value


def socket(path, session=None):
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if session:
        headers.append((b"cookie", f"sessionid={session}".encode()))
    return WebsocketCommunicator(application, path, headers=headers)


@sync_to_async
def check_in(event, attendee, user, gate="North"):
    return ticket_check_in(event_id=event.pk, payload=attendee.ticket.code, gate=gate, user=user)


@sync_to_async
def check_in_then_roll_back(event, attendee, user):
    with pytest.raises(RuntimeError), transaction.atomic():
        ticket_check_in(event_id=event.pk, payload=attendee.ticket.code, user=user)
        raise RuntimeError("the surrounding work failed")


async def test_organizer_gets_a_snapshot_then_the_new_count_after_a_check_in():
    event, (ana, ion), user, session = await make_fair()
    ws = socket(f"/ws/events/{event.slug}/stats/", session)
    connected, _ = await ws.connect()
    assert connected
    snapshot = await ws.receive_json_from(timeout=5)
    assert snapshot["type"] == "snapshot"
    assert snapshot["confirmed"] == 2 and snapshot["registered"] == 2
    assert snapshot["checked_in"] == 0 and snapshot["capacity"] == 50
    assert snapshot["by_gate"] == {}

    await check_in(event, ana, user, gate="North")
    update = await ws.receive_json_from(timeout=5)
    assert update["type"] == "stats"
    assert update["seq"] == snapshot["seq"] + 1
    assert update["checked_in"] == 1 and update["by_gate"] == {"North": 1}

    await check_in(event, ion, user, gate="South")
    update2 = await ws.receive_json_from(timeout=5)
    assert update2["seq"] == update["seq"] + 1
    assert update2["by_gate"] == {"North": 1, "South": 1}

    # A second scan of the same ticket changes nothing, so nothing is pushed.
    await check_in(event, ana, user)
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_a_rolled_back_check_in_sends_nothing():
    event, (ana, _ion), user, session = await make_fair()
    ws = socket(f"/ws/events/{event.slug}/stats/", session)
    assert (await ws.connect())[0]
    await ws.receive_json_from(timeout=5)
    await check_in_then_roll_back(event, ana, user)
    assert await ws.receive_nothing(timeout=0.5)
    await ws.disconnect()


async def test_resync_answers_a_fresh_snapshot():
    event, (ana, _ion), user, session = await make_fair()
    ws = socket(f"/ws/events/{event.slug}/stats/", session)
    assert (await ws.connect())[0]
    first = await ws.receive_json_from(timeout=5)
    await check_in(event, ana, user)
    await ws.receive_json_from(timeout=5)
    await ws.send_json_to({"type": "resync"})
    again = await ws.receive_json_from(timeout=5)
    assert again["type"] == "snapshot" and again["checked_in"] == 1
    assert again["seq"] == first["seq"] + 1
    await ws.disconnect()


@sync_to_async
def make_kiosk(event, kind):
    return KioskFactory(event=event, kind=kind).token


async def test_a_stats_kiosk_token_may_listen_other_kiosks_may_not():
    event, _people, _user, _session = await make_fair()
    token = await make_kiosk(event, Kiosk.Kind.STATS)
    ws = socket(f"/ws/events/{event.slug}/stats/?kiosk={token}")
    assert (await ws.connect())[0]
    assert (await ws.receive_json_from(timeout=5))["type"] == "snapshot"
    await ws.disconnect()

    board = await make_kiosk(event, Kiosk.Kind.BOARD)
    refused = socket(f"/ws/events/{event.slug}/stats/?kiosk={board}")
    connected, code = await refused.connect()
    assert not connected and code == 4403

    other_event, *_ = await make_fair()
    foreign = socket(f"/ws/events/{other_event.slug}/stats/?kiosk={token}")
    connected, code = await foreign.connect()
    assert not connected


async def test_anonymous_and_volunteers_are_refused():
    event, _people, _user, volunteer_session = await make_fair(role=Role.VOLUNTEER)
    for session in (None, volunteer_session):
        ws = socket(f"/ws/events/{event.slug}/stats/", session)
        connected, code = await ws.connect()
        assert not connected and code == 4403


@sync_to_async
def add_training_and_screening(event):
    session = TrainingSessionFactory(module__event=event, capacity=3)
    service = make_service(event, code="T", name="Thyroid ultrasound")
    return session, service


@sync_to_async
def book_seat(attendee, session):
    return training_booking_create(attendee_id=attendee.pk, session_id=session.pk)


@sync_to_async
def join_queue(attendee, service):
    return queue_join(service_id=service.pk, ticket=attendee.ticket.code)


async def test_the_board_shows_seats_per_session_and_people_per_screening_live():
    event, (ana, ion), _user, _session = await make_fair()
    session, service = await add_training_and_screening(event)
    token = await make_kiosk(event, Kiosk.Kind.STATS)
    ws = socket(f"/ws/events/{event.slug}/stats/?kiosk={token}")
    assert (await ws.connect())[0]
    snapshot = await ws.receive_json_from(timeout=5)
    assert [(s["module"], s["free"], s["capacity"]) for s in snapshot["training"]] == [
        (session.module.title, 3, 3)
    ]
    assert snapshot["screenings"] == [
        {"code": "T", "name": "Thyroid ultrasound", "waiting": 0, "served": 0}
    ]

    await book_seat(ana, session)
    update = await ws.receive_json_from(timeout=5)
    assert update["type"] == "stats" and update["part"] == "training"
    assert update["seq"] == snapshot["seq"] + 1
    assert update["training"][0]["free"] == 2

    await join_queue(ion, service)
    update = await ws.receive_json_from(timeout=5)
    assert update["part"] == "screenings" and update["seq"] == snapshot["seq"] + 2
    assert update["screenings"][0]["waiting"] == 1
    # No names on a public screen, in any message.
    assert ion.first_name not in str(update) and ana.first_name not in str(update)
    await ws.disconnect()


async def test_a_missed_change_is_answered_with_a_fresh_snapshot():
    event, (ana, _ion), user, session = await make_fair()
    ws = socket(f"/ws/events/{event.slug}/stats/", session)
    assert (await ws.connect())[0]
    first = await ws.receive_json_from(timeout=5)
    await check_in(event, ana, user)
    await ws.receive_json_from(timeout=5)
    # A message numbered two ahead means one was lost on the way.
    await ws.send_input({"type": "stats.changed", "part": "attendance", "seq": first["seq"] + 3})
    again = await ws.receive_json_from(timeout=5)
    assert again["type"] == "snapshot" and again["checked_in"] == 1
    await ws.disconnect()


@sync_to_async
def revoke(token):
    Kiosk.objects.filter(token=token).update(active=False)


async def test_a_revoked_stats_kiosk_is_refused():
    event, _people, _user, _session = await make_fair()
    token = await make_kiosk(event, Kiosk.Kind.STATS)
    await revoke(token)
    ws = socket(f"/ws/events/{event.slug}/stats/?kiosk={token}")
    connected, code = await ws.connect()
    assert not connected and code == 4403
