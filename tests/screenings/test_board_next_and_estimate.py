"""What a board promises a visitor: NEXT is exactly who the stations will
call, a number stays in view as "recently called" once its visit ends, and
the estimated wait is one smoothed figure, the same on every board, console
and on the attendee's answer."""

import datetime as dt

import pytest
from django.urls import reverse

from eventhub.core.models import Kiosk
from screenings.models import QueueEntry
from tests.conftest import client_for
from tests.factories import KioskFactory
from tests.screenings.helpers import doctor_of, make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(event):
    return make_service(event, code="T", stations=2, duration_minutes=15)


@pytest.fixture
def board(api_client, service):
    token = KioskFactory(event=service.event, kind=Kiosk.Kind.BOARD, service_code="T").token

    def read():
        return api_client.get(reverse("api-kiosk-snapshot", args=[token])).json()

    return read


@pytest.fixture
def doctor(service):
    return client_for(doctor_of(service))


def join(client, service, name):
    url = f"/api/v1/events/{service.event.slug}/screenings/{service.code}/queue/"
    response = client.post(url, {"walk_in": {"first_name": name}}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def call_next(client, station):
    response = client.post(f"/api/v1/stations/{station.pk}/call-next/", {}, format="json")
    return response.json()["number"] if response.status_code == 200 else None


def next_numbers(snapshot):
    by_id = {e["id"]: e["number"] for e in snapshot["waiting"]}
    return [by_id[i] for i in snapshot["waiting_order"]]


def test_after_a_hand_over_the_boards_next_is_the_order_call_next_takes(board, doctor, service):
    first, second = service.stations.order_by("position")
    for name in ("Ana", "Ion", "Vera"):
        join(doctor, service, name)
    vera = QueueEntry.objects.get(first_name="Vera")
    handed = doctor.post(
        f"/api/v1/queue-entries/{vera.pk}/hand-over/", {"station": second.pk}, format="json"
    )
    assert handed.status_code == 200

    shown = next_numbers(board())
    assert shown == ["T-003", "T-001", "T-002"], "the person sent to a station is next there"
    console = doctor.get(f"/api/v1/stations/{first.pk}/").json()
    assert [e["number"] for e in console["waiting"]] == shown
    assert console["waiting_order"] == board()["waiting_order"]

    # The first station may not take Vera: it takes the rest in the board's order.
    assert call_next(doctor, first) == "T-001"
    assert next_numbers(board()) == ["T-003", "T-002"]
    taken = [call_next(doctor, second), call_next(doctor, second), call_next(doctor, second)]
    assert taken == ["T-003", "T-002", None]


def test_a_finished_number_stays_on_the_board_as_recently_called(board, doctor, service):
    first = service.stations.order_by("position").first()
    join(doctor, service, "Ana")
    join(doctor, service, "Ion")
    assert board()["recent"] == []
    call_next(doctor, first)
    ana = QueueEntry.objects.get(first_name="Ana")
    doctor.post(f"/api/v1/queue-entries/{ana.pk}/complete/", {}, format="json")
    call_next(doctor, first)
    ion = QueueEntry.objects.get(first_name="Ion")
    doctor.post(f"/api/v1/queue-entries/{ion.pk}/no-show/", {}, format="json")

    recent = board()["recent"]
    assert [(e["number"], e["station"]) for e in recent] == [
        ("T-002", "Station 1"),
        ("T-001", "Station 1"),
    ]
    assert "first_name" not in str(recent)


def finish_in(doctor, station, minutes):
    """Call the next person and finish their visit after ``minutes``."""
    call_next(doctor, station)
    entry = QueueEntry.objects.filter(status=QueueEntry.Status.CALLED).get()
    doctor.post(f"/api/v1/queue-entries/{entry.pk}/start/", {}, format="json")
    QueueEntry.objects.filter(pk=entry.pk).update(
        started_at=entry.called_at - dt.timedelta(minutes=minutes)
    )
    doctor.post(f"/api/v1/queue-entries/{entry.pk}/complete/", {}, format="json")


def test_one_short_visit_moves_the_estimate_a_little_and_everyone_shows_the_same(
    board, doctor, service
):
    first, second = service.stations.order_by("position")
    for name in ("Ana", "Ion", "Vera", "Jovan", "Maria"):
        join(doctor, service, name)
    # Five waiting, two stations, a planned 15 min: ceil(5 × 15 / 2).
    assert board()["estimated_wait_minutes"] == 38

    finish_in(doctor, first, minutes=1)
    # Smoothed: 15 + 0.2 × (3.75 − 15) = 12.75 min (one visit counts at
    # least a quarter of the planned time); four waiting on two stations.
    shown = board()
    assert shown["average_service_minutes"] == 12.8
    assert shown["estimated_wait_minutes"] == 26  # ceil(4 × 12.75 / 2), not 2

    consoles = [doctor.get(f"/api/v1/stations/{s.pk}/").json() for s in (first, second)]
    for console in consoles:
        assert console["estimated_wait_minutes"] == shown["estimated_wait_minutes"]
        assert console["average_service_minutes"] == shown["average_service_minutes"]
    # A newcomer is told the board's figure for the people ahead of them.
    newcomer = join(doctor, service, "Petar")
    assert newcomer["position"] == 5
    assert newcomer["estimated_wait_minutes"] == shown["estimated_wait_minutes"]

    while QueueEntry.objects.filter(status=QueueEntry.Status.WAITING).exists():
        finish_in(doctor, first, minutes=1)
    for name in ("Dan", "Eva", "Ilie", "Oana", "Radu", "Sara", "Toma", "Vlad"):
        join(doctor, service, name)
        finish_in(doctor, first, minutes=1)
    settled = board()["average_service_minutes"]
    assert 3.75 <= settled < 6, "steadily short visits bring the figure down"
