"""Kiosk pages, the polling fallback and the self check-in look-up, over HTTP."""

import json
import re

import pytest
from django.urls import reverse

from eventhub.core.models import Kiosk
from registrations.models import CheckIn, ScanLog
from registrations.services.training import training_booking_create
from screenings.services.appointments import appointment_book
from screenings.services.queue import queue_join
from tests.factories import AttendeeFactory, EventFactory, KioskFactory
from tests.screenings.helpers import make_service, make_slot
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db
Kind = Kiosk.Kind


@pytest.fixture
def fair():
    event = EventFactory(capacity=100, languages=["en", "ro", "sr-latn"])
    service = make_service(event, code="T", name="Thyroid ultrasound", stations=2)
    return event, service


def kiosk(event, kind, **fields):
    if kind == Kind.BOARD:
        fields.setdefault("service_code", "T")
    return KioskFactory(event=event, kind=kind, **fields)


def lookup(api_client, token, payload):
    return api_client.post(
        reverse("api-kiosk-lookup", args=[token]), {"payload": payload}, format="json"
    )


@pytest.mark.parametrize(
    ("kind", "marker"),
    [(Kind.BOARD, "kiosk-board.js"), (Kind.STATS, "kiosk-stats.js"), (Kind.CHECKIN, "scan-input")],
)
def test_each_kiosk_kind_gets_its_own_screen(client, fair, kind, marker):
    event, _service = fair
    response = client.get(kiosk(event, kind).get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert marker in html
    # The configuration and texts the page's script reads are valid JSON.
    blobs = re.findall(r'<script id="([\w-]+)" type="application/json">(.*?)</script>', html, re.S)
    assert {name for name, _ in blobs} >= {"kiosk-config"}
    for _name, blob in blobs:
        json.loads(blob)
    assert event.name in html or kind == Kind.CHECKIN
    # The page never asks to be cached: a revoked kiosk must not live on.
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_wrong_or_revoked_token_shows_nothing(client, api_client, fair):
    event, _service = fair
    board = kiosk(event, Kind.BOARD, active=False)
    assert client.get(board.get_absolute_url()).status_code == 404
    assert client.get("/kiosk/not-a-token/").status_code == 404
    poll = api_client.get(reverse("api-kiosk-snapshot", args=[board.token]))
    assert poll.status_code == 404


def test_the_board_polls_the_same_snapshot_its_socket_sends(api_client, fair):
    event, service = fair
    queue_join(service_id=service.pk, ticket=AttendeeFactory(event=event).ticket.code)
    board = kiosk(event, Kind.BOARD)
    data = api_client.get(reverse("api-kiosk-snapshot", args=[board.token])).json()
    assert data["type"] == "snapshot" and data["service"]["code"] == "T"
    assert [e["number"] for e in data["waiting"]] == ["T-001"]
    assert data["waiting_count"] == 1 and "estimated_wait_minutes" in data
    assert "first_name" not in str(data)


def test_the_stats_screen_polls_every_figure(api_client, fair):
    event, _service = fair
    AttendeeFactory(event=event)
    TrainingSessionFactory(module__event=event, capacity=12)
    stats = kiosk(event, Kind.STATS)
    data = api_client.get(reverse("api-kiosk-snapshot", args=[stats.token])).json()
    assert data["type"] == "snapshot"
    assert data["registered"] == 1 and data["capacity"] == 100
    assert data["training"][0]["free"] == 12
    assert data["screenings"][0]["code"] == "T"


def test_a_visitor_scans_in_and_sees_their_day_first_name_only(api_client, fair):
    event, service = fair
    ana = AttendeeFactory(event=event, first_name="Ana", last_name="Popescu-Secret")
    session = TrainingSessionFactory(module__event=event, capacity=10)
    training_booking_create(attendee_id=ana.pk, session_id=session.pk)
    appointment_book(
        slot_id=make_slot(service).pk, attendee_id=ana.pk, health_consent=True, age=40, sex="female"
    )
    terminal = kiosk(event, Kind.CHECKIN, name="Self check-in at the tent")

    response = lookup(api_client, terminal.token, ana.ticket.qr_payload)
    assert response.status_code == 200
    data = response.json()
    assert data["result"] == "ok" and data["first_name"] == "Ana"
    assert "Popescu-Secret" not in response.content.decode()
    assert ana.email not in response.content.decode()
    assert [t["label"].split(" ", 1)[1] for t in data["training"]] == [session.module.title]
    assert [a["label"].split(" ", 1)[1] for a in data["appointments"]] == ["Thyroid ultrasound"]
    assert data["queues"] == [{"code": "T", "name": "Thyroid ultrasound"}]
    # Admitted once, at a gate named after the kiosk, and logged.
    check_in = CheckIn.objects.get(ticket=ana.ticket)
    assert check_in.gate == "Self check-in at the tent"

    # Joining the queue from the terminal, then scanning again: the number shows.
    joined = api_client.post(
        reverse("api-queue-join-kiosk", args=[event.slug, "T"]),
        {"kiosk": terminal.token, "ticket": ana.ticket.qr_payload},
        format="json",
    )
    assert joined.status_code == 201 and joined.json()["number"] == "T-001"
    again = lookup(api_client, terminal.token, ana.ticket.code).json()
    assert again["result"] == "already_checked_in"
    assert again["queues"][0]["number"] == "T-001" and again["queues"][0]["position"] == 1
    assert CheckIn.objects.filter(ticket=ana.ticket).count() == 1
    assert ScanLog.objects.filter(ticket=ana.ticket).count() == 2


@pytest.mark.parametrize(
    ("make_payload", "result"),
    [
        (lambda event: "EH1:1:garbage", "invalid"),
        (lambda event: AttendeeFactory(event=EventFactory()).ticket.qr_payload, "wrong_event"),
        (lambda event: AttendeeFactory(event=event, status="cancelled").ticket.code, "cancelled"),
        (lambda event: "x" * 500, "invalid"),
    ],
)
def test_a_bad_ticket_gets_a_result_code_and_no_personal_data(
    api_client, fair, make_payload, result
):
    event, _service = fair
    terminal = kiosk(event, Kind.CHECKIN)
    response = lookup(api_client, terminal.token, make_payload(event))
    assert response.status_code == 200
    assert response.json() == {"result": result}
    assert not CheckIn.objects.exists()


def test_only_a_check_in_kiosk_may_look_tickets_up_or_join_queues(api_client, fair):
    event, _service = fair
    ana = AttendeeFactory(event=event)
    for other in (kiosk(event, Kind.BOARD), kiosk(event, Kind.STATS)):
        assert lookup(api_client, other.token, ana.ticket.code).status_code == 404
        joined = api_client.post(
            reverse("api-queue-join-kiosk", args=[event.slug, "T"]),
            {"kiosk": other.token, "ticket": ana.ticket.code},
            format="json",
        )
        assert joined.status_code == 403
    revoked = kiosk(event, Kind.CHECKIN, active=False)
    assert lookup(api_client, revoked.token, ana.ticket.code).status_code == 404
    assert not CheckIn.objects.exists()


def test_an_empty_scan_is_a_clear_translated_error(api_client, fair):
    event, _service = fair
    terminal = kiosk(event, Kind.CHECKIN)
    response = api_client.post(
        reverse("api-kiosk-lookup", args=[terminal.token]),
        {"payload": ""},
        format="json",
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert response.status_code == 400
    body = response.json()
    assert "payload" in str(body)
    assert "This field may not be blank." not in str(body)
