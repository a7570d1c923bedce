"""Ed25519-signed tickets at the gate: published keys, rotation, the older HMAC form."""

import base64
import io

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.core.management import CommandError, call_command
from django.urls import reverse

from eventhub.core.models import StaffRole, TicketSigningKey
from eventhub.core.ticket_keys import ticket_key_active, ticket_key_sign
from registrations.models import CheckIn, Ticket
from registrations.ticket_codes import qr_payload_hmac
from tests.factories import AttendeeFactory, EventFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


@pytest.fixture
def volunteer(event, staff_client):
    return staff_client(event, Role.VOLUNTEER)


def scan(client, event, payload):
    return client.post(
        reverse("api-checkin-create", args=[event.slug]),
        {"payload": payload, "gate": "North"},
        format="json",
    ).json()["result"]


def keys(client, event):
    return client.get(reverse("api-checkin-keys", args=[event.slug]))


def verify_offline(published: dict, payload: str) -> bool:
    """What an offline scanner does with the published keys: no server involved."""
    _, _, number, _, signature = payload.split(":")
    key = next((k for k in published["keys"] if k["id"] == int(number)), None)
    if key is None:
        return False
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(key["public_key"]))
    try:
        public.verify(
            base64.b32decode(signature + "=" * (-len(signature) % 8)),
            payload.rsplit(":", 1)[0].encode(),
        )
    except InvalidSignature:
        return False
    return True


def test_staff_devices_get_the_public_keys_and_verify_a_ticket_with_them(
    event, volunteer, api_client, staff_client
):
    attendee = AttendeeFactory(event=event)
    payload = attendee.ticket.qr_payload
    response = keys(volunteer, event)
    assert response.status_code == 200
    body = response.json()
    assert [(k["id"], k["active"]) for k in body["keys"]] == [(1, True)]
    assert len(base64.b64decode(body["keys"][0]["public_key"])) == 32
    assert body["accepts_hmac"] is True
    assert verify_offline(body, payload)
    assert not verify_offline(
        body, payload[:20] + ("A" if payload[20] != "A" else "B") + payload[21:]
    )
    # Nothing private is published.
    assert set(body["keys"][0]) == {"id", "public_key", "active"}

    assert keys(api_client, event).status_code == 401
    stranger = staff_client(EventFactory(), Role.ORGANIZER)
    assert keys(stranger, event).status_code == 403
    assert keys(staff_client(event, Role.ORGANIZER), event).status_code == 200
    assert keys(staff_client(event, Role.DOCTOR), event).status_code == 403  # not the gate


def test_forged_altered_and_foreign_signatures_do_not_admit(event, volunteer):
    attendee = AttendeeFactory(event=event)
    code = attendee.ticket.code
    genuine = attendee.ticket.qr_payload
    signed_part, signature = genuine.rsplit(":", 1)

    other_code = AttendeeFactory(event=event).ticket.code
    altered_code = genuine.replace(code, other_code)
    other_event = EventFactory()
    foreign = ticket_key_sign(ticket_key_active(event_id=other_event.pk), signed_part.encode())
    foreign_payload = f"{signed_part}:{base64.b32encode(foreign).decode().rstrip('=')}"
    forged_signature = f"{signed_part}:{'A' * len(signature)}"

    for payload in (altered_code, foreign_payload, forged_signature):
        assert scan(volunteer, event, payload) == "invalid"
    assert not CheckIn.objects.exists()
    elsewhere = AttendeeFactory(event=other_event).ticket.qr_payload
    assert scan(volunteer, event, elsewhere) == "wrong_event"
    assert scan(volunteer, event, genuine) == "ok"


def test_an_old_hmac_ticket_scans_until_the_organizer_retires_the_form(event, volunteer):
    first, second = AttendeeFactory(event=event), AttendeeFactory(event=event)
    old = qr_payload_hmac(event_id=event.pk, code=first.ticket.code)
    assert scan(volunteer, event, old) == "ok"
    call_command("rotate_ticket_key", event.slug, "--retire-hmac", stdout=io.StringIO())
    assert keys(volunteer, event).json()["accepts_hmac"] is False
    assert scan(volunteer, event, qr_payload_hmac(event_id=event.pk, code=second.ticket.code)) == (
        "invalid"
    )
    assert scan(volunteer, event, second.ticket.qr_payload) == "ok"


def test_after_rotate_ticket_key_tickets_signed_before_and_after_both_scan(event, volunteer):
    before, after = AttendeeFactory(event=event), AttendeeFactory(event=event)
    old_payload = before.ticket.qr_payload
    out = io.StringIO()
    call_command("rotate_ticket_key", event.slug, stdout=out)
    published = keys(volunteer, event).json()
    assert [(k["id"], k["active"]) for k in published["keys"]] == [(2, True), (1, False)]
    assert published["keys"][0]["public_key"] in out.getvalue()
    new_payload = Ticket.objects.get(pk=after.ticket.pk).qr_payload
    assert new_payload.startswith(f"EH2:{event.pk}:2:") and old_payload.startswith(
        f"EH2:{event.pk}:1:"
    )
    assert verify_offline(published, old_payload) and verify_offline(published, new_payload)
    assert scan(volunteer, event, old_payload) == "ok"
    assert scan(volunteer, event, new_payload) == "ok"

    # Retiring key 1: what it signed stops admitting, and it is no longer published.
    late = AttendeeFactory(event=event)
    key_1 = TicketSigningKey.objects.get(event=event, number=1)
    signed = f"EH2:{event.pk}:1:{late.ticket.code}"
    signature = base64.b32encode(ticket_key_sign(key_1, signed.encode())).decode().rstrip("=")
    call_command("rotate_ticket_key", event.slug, "--retire-key", "1", stdout=io.StringIO())
    assert [k["id"] for k in keys(volunteer, event).json()["keys"]] == [2]
    assert scan(volunteer, event, f"{signed}:{signature}") == "invalid"
    assert scan(volunteer, event, late.ticket.qr_payload) == "ok"
    with pytest.raises(CommandError):
        call_command("rotate_ticket_key", event.slug, "--retire-key", "2", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("rotate_ticket_key", "no-such-fair", stdout=io.StringIO())
