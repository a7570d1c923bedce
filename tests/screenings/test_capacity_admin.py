"""The organizer's admin edits go through the services: pausing a station
reaches an open board socket, a slot's capacity is locked, refused below the
places booked and promotes people waiting when raised."""

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from screenings.models import Appointment, Station
from screenings.routing import websocket_urlpatterns
from screenings.services.appointments import appointment_book
from tests.factories import KioskFactory, UserFactory
from tests.screenings.helpers import make_attendee, make_service, make_slot

router = URLRouter(websocket_urlpatterns)


def superuser_client() -> Client:
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    return client


def station_form(station: Station, **changes) -> dict:
    data = {
        "service": station.service_id,
        # Texts in three languages (docs/i18n.md): the English column.
        "name_en": station.name,
        "room_en": station.room,
        "position": station.position,
        "doctors": [],
    }
    if station.is_open:
        data["is_open"] = "on"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_db_connections")
async def test_pausing_a_station_in_the_admin_updates_an_open_board():
    service = await database_sync_to_async(make_service)(stations=2)
    station = await database_sync_to_async(service.stations.first)()
    kiosk = await database_sync_to_async(KioskFactory)(
        event=service.event, kind="board", service_code=service.code
    )
    board = WebsocketCommunicator(
        router,
        f"/ws/events/{service.event.slug}/screenings/{service.code}/board/?kiosk={kiosk.token}",
    )
    connected, _ = await board.connect()
    assert connected
    snapshot = await board.receive_json_from()
    assert [s["open"] for s in snapshot["stations"]] == [True, True]

    client = await database_sync_to_async(superuser_client)()
    change_url = reverse("admin:screenings_station_change", args=[station.pk])
    response = await database_sync_to_async(client.post)(
        change_url, station_form(station, is_open=None, room_en="Tent 2")
    )
    assert response.status_code == 302
    delta = await board.receive_json_from()
    assert delta["type"] == "queue.station_updated"
    assert delta["seq"] == snapshot["seq"] + 1
    assert delta["station"] == {
        "id": station.pk,
        "name": station.name,
        "room": "Tent 2",
        "open": False,
    }

    response = await database_sync_to_async(client.post)(
        reverse("admin:screenings_station_changelist"),
        {"action": "reopen_stations", "_selected_action": [station.pk]},
    )
    assert response.status_code == 302
    delta = await board.receive_json_from()
    assert (delta["type"], delta["seq"], delta["station"]["open"]) == (
        "queue.station_updated",
        snapshot["seq"] + 2,
        True,
    )
    assert await board.receive_nothing()
    await board.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_db_connections")
async def test_an_admin_edit_that_leaves_a_station_open_sends_nothing_to_the_board():
    service = await database_sync_to_async(make_service)(stations=1)
    station = await database_sync_to_async(service.stations.first)()
    kiosk = await database_sync_to_async(KioskFactory)(
        event=service.event, kind="board", service_code=service.code
    )
    board = WebsocketCommunicator(
        router,
        f"/ws/events/{service.event.slug}/screenings/{service.code}/board/?kiosk={kiosk.token}",
    )
    await board.connect()
    await board.receive_json_from()
    client = await database_sync_to_async(superuser_client)()
    response = await database_sync_to_async(client.post)(
        reverse("admin:screenings_station_change", args=[station.pk]),
        station_form(station, position=3),
    )
    assert response.status_code == 302
    assert await board.receive_nothing()
    await board.disconnect()


def slot_form(slot, capacity) -> dict:
    local = timezone.localtime(slot.starts_at)
    local_end = timezone.localtime(slot.ends_at)
    return {
        "service": slot.service_id,
        "starts_at_0": local.strftime("%Y-%m-%d"),
        "starts_at_1": local.strftime("%H:%M:%S"),
        "ends_at_0": local_end.strftime("%Y-%m-%d"),
        "ends_at_1": local_end.strftime("%H:%M:%S"),
        "capacity": capacity,
    }


@pytest.mark.django_db
def test_the_slot_admin_refuses_a_capacity_below_the_places_booked(event):
    service = make_service(event)
    slot = make_slot(service, capacity=2)
    for _ in range(2):
        appointment_book(slot_id=slot.pk, attendee_id=make_attendee(event).pk, health_consent=True)
    response = superuser_client().post(
        reverse("admin:screenings_slot_change", args=[slot.pk]), slot_form(slot, 1)
    )
    assert response.status_code == 200
    assert "2 places are taken already; the capacity cannot go below 2." in response.text
    slot.refresh_from_db()
    assert slot.capacity == 2


@pytest.mark.django_db
def test_raising_a_slots_capacity_in_the_admin_promotes_the_first_person_waiting(
    event, django_capture_on_commit_callbacks
):
    service = make_service(event, waitlist=True)
    slot = make_slot(service, capacity=1)
    people = [make_attendee(event) for _ in range(3)]
    appointments = [
        appointment_book(slot_id=slot.pk, attendee_id=person.pk, health_consent=True)
        for person in people
    ]
    assert [a.status for a in appointments] == ["booked", "waitlisted", "waitlisted"]
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client().post(
            reverse("admin:screenings_slot_change", args=[slot.pk]), slot_form(slot, 2)
        )
    assert response.status_code == 302
    statuses = [Appointment.objects.get(pk=a.pk).status for a in appointments]
    assert statuses == ["booked", "booked", "waitlisted"]
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked_count) == (2, 2)
