"""Organizers generate a day's slots from a schedule, in the event's time zone."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from eventhub.core.models import StaffRole
from screenings.models import Slot
from screenings.services.slots import slots_generate
from tests.factories import EventFactory, StaffRoleFactory
from tests.screenings.helpers import make_service

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 9, 22)


def test_nine_to_five_every_15_minutes_on_two_stations_gives_32_slots_of_two():
    service = make_service()
    slots = slots_generate(
        service_id=service.pk,
        day=DAY,
        start=dt.time(9),
        end=dt.time(17),
        duration_minutes=15,
        stations=2,
    )
    assert len(slots) == 32
    assert {s.capacity for s in slots} == {2}
    tz = ZoneInfo(service.event.timezone)
    first, last = slots[0], slots[-1]
    assert first.starts_at.astimezone(tz).time() == dt.time(9, 0)
    assert last.ends_at.astimezone(tz).time() == dt.time(17, 0)
    assert all(b.starts_at == a.ends_at for a, b in zip(slots, slots[1:], strict=False))


def test_generating_twice_keeps_the_existing_slots_and_adds_none():
    service = make_service()
    args = {
        "service_id": service.pk,
        "day": DAY,
        "start": dt.time(9),
        "end": dt.time(10),
        "duration_minutes": 20,
        "stations": 1,
    }
    assert len(slots_generate(**args)) == 3
    assert slots_generate(**args) == []
    assert Slot.objects.filter(service=service).count() == 3


def test_a_slot_that_would_run_past_the_end_is_not_made():
    service = make_service()
    slots = slots_generate(
        service_id=service.pk,
        day=DAY,
        start=dt.time(9),
        end=dt.time(10),
        duration_minutes=25,
        stations=1,
    )
    assert len(slots) == 2


def test_the_admin_action_generates_slots_in_one_click(client):
    event = EventFactory()
    organizer = StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user
    organizer.is_staff = True
    organizer.is_superuser = True
    organizer.save()
    service = make_service(event, stations=2, duration_minutes=15)
    client.force_login(organizer)
    url = "/admin/screenings/service/"
    form = client.post(url, {"action": "generate_slots", ACTION_CHECKBOX_NAME: [service.pk]})
    assert form.status_code == 200
    assert b"Generate slots" in form.content
    done = client.post(
        url,
        {
            "action": "generate_slots",
            ACTION_CHECKBOX_NAME: [service.pk],
            "apply": "1",
            "day": "2026-09-22",
            "start": "09:00",
            "end": "17:00",
            "duration_minutes": "15",
            "stations": "2",
        },
    )
    assert done.status_code == 302
    assert Slot.objects.filter(service=service, capacity=2).count() == 32


def test_slots_overlapping_existing_ones_are_not_made():
    service = make_service()
    common = {"service_id": service.pk, "day": DAY, "stations": 1}
    slots_generate(start=dt.time(9), end=dt.time(10), duration_minutes=20, **common)
    added = slots_generate(start=dt.time(9), end=dt.time(11), duration_minutes=15, **common)
    tz = ZoneInfo(service.event.timezone)
    assert [s.starts_at.astimezone(tz).time() for s in added] == [
        dt.time(10, 0),
        dt.time(10, 15),
        dt.time(10, 30),
        dt.time(10, 45),
    ]
