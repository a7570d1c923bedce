"""Scanning tickets at the gate through the API: every answer the scanner may get."""

import secrets

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from eventhub.core.models import Kiosk, StaffRole
from registrations.models import Attendee, CheckIn, ScanLog
from tests.factories import AttendeeFactory, EventFactory, KioskFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


def url(event):
    return reverse("api-checkin-create", args=[event.slug])


@pytest.fixture
def volunteer(event, staff_client):
    return staff_client(event, Role.VOLUNTEER)


def scan(client, event, payload, **extra):
    return client.post(url(event), {"payload": payload, "gate": "North", **extra}, format="json")


def test_a_confirmed_ticket_is_admitted_with_name_and_category(event, volunteer):
    attendee = AttendeeFactory(
        event=event, first_name="Ioana", last_name="Popescu", category="medical"
    )
    response = scan(volunteer, event, attendee.ticket.qr_payload)
    assert response.status_code == 200
    body = response.json()
    assert body["result"] == "ok"
    assert body["display_name"] == "Ioana Popescu"
    assert body["category"] == "medical"
    assert body["category_label"] == "Medical professional"
    assert body["gate"] == "North"
    assert body["checked_in_at"]
    assert CheckIn.objects.filter(ticket=attendee.ticket, target="event").count() == 1


def test_second_scan_answers_already_checked_in_with_first_time_and_gate(event, volunteer):
    attendee = AttendeeFactory(event=event)
    first = scan(volunteer, event, attendee.ticket.qr_payload).json()
    second = volunteer.post(
        url(event), {"payload": attendee.ticket.qr_payload, "gate": "South"}, format="json"
    )
    assert second.status_code == 200
    body = second.json()
    assert body["result"] == "already_checked_in"
    assert body["checked_in_at"] == first["checked_in_at"]
    assert body["gate"] == "North"
    assert "North" in body["message"]
    assert CheckIn.objects.count() == 1


def test_a_typed_bare_code_with_dashes_is_admitted(event, volunteer):
    attendee = AttendeeFactory(event=event)
    response = scan(volunteer, event, attendee.ticket.code_for_humans.lower())
    assert response.json()["result"] == "ok"


def test_cancelled_and_waitlisted_registrations_are_refused(event, volunteer):
    cancelled = AttendeeFactory(event=event, status=Attendee.Status.CANCELLED)
    waitlisted = AttendeeFactory(event=event, status=Attendee.Status.WAITLISTED)
    assert scan(volunteer, event, cancelled.ticket.qr_payload).json()["result"] == "cancelled"
    body = scan(volunteer, event, waitlisted.ticket.qr_payload).json()
    assert body["result"] == "waitlisted"
    assert body["display_name"] == waitlisted.full_name
    assert not CheckIn.objects.exists()


def test_a_genuine_ticket_of_another_event_is_wrong_event(event, volunteer):
    other = AttendeeFactory(event=EventFactory())
    assert scan(volunteer, event, other.ticket.qr_payload).json()["result"] == "wrong_event"
    # Typed without the event in it, the database still knows.
    assert scan(volunteer, event, other.ticket.code).json()["result"] == "wrong_event"
    assert not CheckIn.objects.exists()


def _altered(payload: str) -> str:
    # Change one character of the code part, keeping the format valid.
    i = payload.index(":", 4) + 5
    return payload[:i] + ("A" if payload[i] != "A" else "B") + payload[i + 1 :]


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda t, other: _altered(t.qr_payload), id="changed-character"),
        pytest.param(
            lambda t, other: t.qr_payload.replace(f"EH2:{t.attendee.event_id}:", f"EH2:{other}:"),
            id="code-under-another-event-id",
        ),
        pytest.param(
            lambda t, other: t.qr_payload[:-1] + ("Q" if t.qr_payload[-1] != "Q" else "R"),
            id="changed-signature",
        ),
        pytest.param(lambda t, other: secrets.token_bytes(40).decode("latin-1"), id="random-bytes"),
        pytest.param(lambda t, other: "", id="empty-string"),
        pytest.param(lambda t, other: "A" * 10_240, id="10-kB-string"),
        pytest.param(lambda t, other: "\x00\x07🎫<script>", id="control-and-odd-characters"),
        pytest.param(lambda t, other: "EH1:99999999999:" + "A" * 32 + ":" + "A" * 16, id="bogus"),
    ],
)
def test_forged_or_garbage_payloads_are_invalid_never_an_error(event, volunteer, forge):
    attendee = AttendeeFactory(event=event)
    other = EventFactory()
    payload = forge(attendee.ticket, other.pk)
    response = scan(volunteer, event, payload)
    assert response.status_code == 200
    assert response.json()["result"] == "invalid"
    assert not CheckIn.objects.exists()
    assert ScanLog.objects.filter(result="invalid").count() == 1


def test_every_scan_good_or_bad_is_logged_with_gate_device_and_volunteer(event, staff_client):
    role_user = StaffRole.objects.none()
    client = staff_client(event, Role.VOLUNTEER)
    role_user = StaffRole.objects.get(event=event, role=Role.VOLUNTEER).user
    attendee = AttendeeFactory(event=event)
    for payload in (attendee.ticket.qr_payload, attendee.ticket.qr_payload, "nonsense"):
        scan(client, event, payload, device="phone-7")
    logs = list(ScanLog.objects.order_by("pk"))
    assert [log.result for log in logs] == ["ok", "already_checked_in", "invalid"]
    assert {(log.gate, log.device, log.user_id) for log in logs} == {
        ("North", "phone-7", role_user.pk)
    }
    assert logs[2].payload == "nonsense"


def test_a_retried_scan_with_the_same_nonce_returns_the_first_answer(event, volunteer):
    attendee = AttendeeFactory(event=event)
    first = scan(volunteer, event, attendee.ticket.qr_payload, nonce="n-123").json()
    retry = scan(volunteer, event, attendee.ticket.qr_payload, nonce="n-123").json()
    assert first["result"] == retry["result"] == "ok"
    assert retry["replayed"] is True
    assert retry["checked_in_at"] == first["checked_in_at"]
    another = scan(volunteer, event, attendee.ticket.qr_payload, nonce="n-456").json()
    assert another["result"] == "already_checked_in"
    assert CheckIn.objects.count() == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"payload": ["EH1"]},
        {"payload": {"a": 1}},
        {"payload": None},
        {"payload": "x", "gate": "g" * 61},
        {"payload": "x", "nonce": "n" * 65},
        {"payload": "x" * 70_000},
    ],
)
def test_a_malformed_request_is_400_with_the_error_shape(event, volunteer, body):
    response = volunteer.post(url(event), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_lone_surrogates_and_nul_escaped_in_json_are_invalid(event, volunteer):
    body = '{"payload": "EH1:\\u0000\\ud800:\\udfff", "gate": "N", "nonce": "n1"}'
    response = volunteer.post(url(event), body, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["result"] == "invalid"


def test_a_body_that_is_not_json_is_400(event, volunteer):
    response = volunteer.post(url(event), "{not json", content_type="application/json")
    assert response.status_code == 400


def test_anonymous_call_is_401(event, api_client):
    attendee = AttendeeFactory(event=event)
    response = api_client.post(url(event), {"payload": attendee.ticket.qr_payload}, format="json")
    assert response.status_code == 401
    assert "error" in response.json()
    assert not ScanLog.objects.exists()


def test_a_doctor_token_cannot_check_in(event, staff_client):
    attendee = AttendeeFactory(event=event)
    response = scan(staff_client(event, Role.DOCTOR), event, attendee.ticket.qr_payload)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not CheckIn.objects.exists()


def test_a_volunteer_of_another_event_cannot_check_in(event, staff_client):
    attendee = AttendeeFactory(event=event)
    response = scan(staff_client(EventFactory(), Role.VOLUNTEER), event, attendee.ticket.qr_payload)
    assert response.status_code == 403


@pytest.mark.parametrize("kind", [Kiosk.Kind.STATS, Kiosk.Kind.CHECKIN])
def test_a_kiosk_token_is_refused(event, kind):
    kiosk = KioskFactory(event=event, kind=kind)
    attendee = AttendeeFactory(event=event)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {kiosk.token}")
    response = scan(client, event, attendee.ticket.qr_payload)
    assert response.status_code == 401
    as_query = APIClient().post(
        url(event) + f"?kiosk={kiosk.token}", {"payload": attendee.ticket.qr_payload}, format="json"
    )
    assert as_query.status_code == 401
    assert not CheckIn.objects.exists()


def test_an_organizer_may_check_in(event, staff_client):
    attendee = AttendeeFactory(event=event)
    assert (
        scan(staff_client(event, Role.ORGANIZER), event, attendee.ticket.code).json()["result"]
        == "ok"
    )


def test_unknown_event_is_404(volunteer, event):
    response = volunteer.post(
        reverse("api-checkin-create", args=["no-such-fair"]), {"payload": "x"}, format="json"
    )
    assert response.status_code == 404


def test_scan_answers_in_the_volunteers_language(event, volunteer):
    attendee = AttendeeFactory(event=event)
    body = volunteer.post(
        url(event), {"payload": attendee.ticket.code}, format="json", HTTP_ACCEPT_LANGUAGE="ro"
    ).json()
    assert body["result"] == "ok"
    assert body["message"] != "Welcome!"


def test_token_user_key_is_unrelated_to_kiosk_tokens(event):
    # Guard for the kiosk test above: a kiosk token is never a DRF token.
    kiosk = KioskFactory(event=event)
    assert not Token.objects.filter(key=kiosk.token).exists()


def test_another_tickets_nonce_answers_already_checked_in_and_is_logged(event, volunteer):
    x, y = AttendeeFactory(event=event), AttendeeFactory(event=event)
    assert scan(volunteer, event, y.ticket.qr_payload, nonce="n-y").json()["result"] == "ok"
    assert scan(volunteer, event, x.ticket.qr_payload, nonce="n-x").json()["result"] == "ok"
    body = scan(volunteer, event, y.ticket.qr_payload, nonce="n-x").json()
    assert (body["result"], body["replayed"], body["ticket"]) == (
        "already_checked_in",
        False,
        y.ticket.code,
    )
    assert ScanLog.objects.get(ticket=y.ticket, nonce="n-x").result == "already_checked_in"


def test_a_gate_scan_costs_three_statements_at_most(event, volunteer, django_assert_num_queries):
    # PostgreSQL: the token (with its user), the volunteer's roles and the
    # event's public key are read once per process and cache time, and the
    # admission is one statement (check-in and scan log written by it).
    # SQLite keeps the locking path: SAVEPOINT, ticket lock, check-in read,
    # check-in insert, log insert, RELEASE (a re-scan reads instead of
    # inserting; with a nonce it also reads the nonce's first scan).
    from eventhub.core.authentication import forget_all_tokens
    from eventhub.core.permissions import forget_roles

    fast = connection.vendor == "postgresql"
    warm_up, attendee = AttendeeFactory(event=event), AttendeeFactory(event=event)
    # The event id and its public key are cached per process.
    scan(volunteer, event, warm_up.ticket.qr_payload)
    payload = attendee.ticket.qr_payload  # signing reads the key: not the gate's cost
    other = AttendeeFactory(event=event)
    other_payload = other.ticket.qr_payload
    forget_all_tokens()
    forget_roles()
    with django_assert_num_queries(3 if fast else 8):  # token, roles, admission
        assert scan(volunteer, event, payload).json()["result"] == "ok"
    with django_assert_num_queries(1 if fast else 5):
        body = scan(volunteer, event, payload).json()
        assert body["result"] == "already_checked_in"
    with django_assert_num_queries(1 if fast else 6):
        body = scan(volunteer, event, payload, nonce="n-1").json()
        assert body["result"] == "already_checked_in"
    with django_assert_num_queries(1 if fast else 6):
        assert scan(volunteer, event, other_payload).json()["result"] == "ok"
    assert ScanLog.objects.filter(ticket__in=[attendee.ticket, other.ticket]).count() == 4
