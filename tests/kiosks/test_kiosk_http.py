"""Kiosk pages, the polling fallback and the self check-in look-up, over HTTP."""

import json
import re

import pytest
from django.urls import reverse

from eventhub.core.models import Kiosk
from registrations.models import CheckIn, ScanLog
from registrations.services.training import training_booking_create
from screenings.models import HealthDataAccess, QueueEntry, Station
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
    # Her appointment already holds the consent and answers: nothing to ask.
    assert data["queues"] == [{"code": "T", "name": "Thyroid ultrasound", "form": None}]
    # Her appointment on screen is a logged health-data read.
    assert HealthDataAccess.objects.filter(
        attendee=ana, action="view", actor="ticket holder", what="self check-in kiosk"
    ).exists()
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


def join(api_client, terminal, ticket, service="T", **answers):
    return api_client.post(
        reverse("api-queue-join-kiosk", args=[terminal.event.slug, service]),
        {"kiosk": terminal.token, "ticket": ticket, **answers},
        format="json",
    )


@pytest.fixture
def breast_fair():
    """A women-only service with a question, and a visitor who gave no sex."""
    event = EventFactory(languages=["en", "ro", "sr-latn"])
    make_service(
        event,
        code="B",
        name="Breast ultrasound",
        stations=1,
        sex="female",
        min_age=40,
        questions=[
            {"key": "implants", "text": "Do you have breast implants?", "exclude_if": "yes"},
            {"key": "lump", "text": "Did you feel a lump?", "flag_if": "yes", "flag": "lump"},
        ],
    )
    visitor = AttendeeFactory(event=event, first_name="Dana", gender="", language="en")
    return event, visitor, kiosk(event, Kind.CHECKIN)


def test_the_look_up_asks_what_the_service_needs_in_the_visitors_language(api_client, breast_fair):
    event, visitor, terminal = breast_fair
    visitor.language = "ro"
    visitor.save(update_fields=["language"])
    data = lookup(api_client, terminal.token, visitor.ticket.code).json()
    assert data["language"] == "ro"
    assert data["texts"]["age"] == "Vârsta dumneavoastră"
    [queue] = data["queues"]
    assert queue["code"] == "B" and "number" not in queue
    assert queue["form"] == {
        "age": True,
        "sex": True,
        "questions": [
            {"key": "implants", "text": "Do you have breast implants?"},
            {"key": "lump", "text": "Did you feel a lump?"},
        ],
    }


def test_the_kiosk_refuses_an_ineligible_visitor(api_client, breast_fair):
    event, visitor, terminal = breast_fair
    visitor.language = "ro"
    visitor.save(update_fields=["language"])
    code = visitor.ticket.code
    answers = {"answers": {"implants": "no", "lump": "no"}, "age": 50, "health_consent": True}

    # No sex given, at registration or here: asked for, no number.
    missing = join(api_client, terminal, code, "B", **answers)
    assert missing.status_code == 400 and "sex" in missing.json()["error"]["fields"]

    refused = join(api_client, terminal, code, "B", sex="male", **answers)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "not_eligible"
    # In the visitor's saved language, whatever the kiosk's.
    assert refused.json()["error"]["message"] == "Acest screening este oferit doar femeilor."

    excluded = join(
        api_client,
        terminal,
        code,
        "B",
        sex="female",
        **{**answers, "answers": {"implants": "yes", "lump": "no"}},
    )
    assert excluded.json()["error"]["code"] == "not_eligible"
    assert not QueueEntry.objects.exists()


def test_the_kiosk_gives_no_number_without_consent(api_client, breast_fair):
    event, visitor, terminal = breast_fair
    answers = {"answers": {"implants": "no", "lump": "yes"}, "age": 52, "sex": "female"}

    refused = join(api_client, terminal, visitor.ticket.code, "B", **answers)
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "consent_required"
    assert not QueueEntry.objects.exists()

    joined = join(api_client, terminal, visitor.ticket.code, "B", health_consent=True, **answers)
    assert joined.status_code == 201 and joined.json()["number"] == "B-001"
    entry = QueueEntry.objects.get()
    assert entry.attendee == visitor and "lump" in entry.flags
    assert HealthDataAccess.objects.filter(
        attendee=visitor, action="book", actor="ticket holder"
    ).exists()
    again = lookup(api_client, terminal.token, visitor.ticket.code).json()
    assert again["queues"][0]["number"] == "B-001"


def test_a_service_without_an_open_station_is_not_offered(api_client, fair):
    event, _thyroid = fair
    make_service(event, code="C", name="Cervical screening", stations=0)
    paused = make_service(event, code="D", name="Digestive screening", stations=1)
    Station.objects.filter(service=paused).update(is_open=False)
    visitor = AttendeeFactory(event=event, language="en")
    terminal = kiosk(event, Kind.CHECKIN)

    data = lookup(api_client, terminal.token, visitor.ticket.code).json()
    assert [q["code"] for q in data["queues"]] == ["T"]

    for code in ("C", "D"):
        refused = join(api_client, terminal, visitor.ticket.code, code, health_consent=True)
        assert refused.status_code == 409
        assert refused.json()["error"]["code"] == "service_closed"
    assert not QueueEntry.objects.exists()
