"""Ticket secrets are unguessable and their QR payload cannot be forged."""

import base64
import math

import pytest
import qrcode
import qrcode.constants
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from eventhub.core.ticket_keys import (
    ticket_key_active,
    ticket_key_retire,
    ticket_key_rotate,
    ticket_key_sign,
)
from registrations.ticket_codes import (
    format_code_for_humans,
    new_manage_key,
    new_ticket_code,
    normalize_code,
    parse_scan,
    qr_payload,
    qr_payload_hmac,
)
from tests.factories import EventFactory

B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def test_codes_carry_at_least_128_bits_and_never_repeat():
    codes = {new_ticket_code() for _ in range(2000)}
    assert len(codes) == 2000
    sample = next(iter(codes))
    assert len(sample) * math.log2(32) >= 128


def test_manage_keys_carry_at_least_128_bits_and_never_repeat():
    keys = {new_manage_key() for _ in range(2000)}
    assert len(keys) == 2000
    sample = next(iter(keys))
    assert len(sample) * math.log2(64) >= 128


@pytest.fixture
def event(db):
    return EventFactory()


def test_a_signed_payload_reads_back_to_its_event_and_code(event):
    code = new_ticket_code()
    payload = qr_payload(event_id=event.pk, code=code)
    assert payload.startswith(f"EH2:{event.pk}:1:{code}:")
    scanned = parse_scan(payload)
    assert (scanned.code, scanned.event_id) == (code, event.pk)


def test_the_payload_fits_a_version_6_qr_at_level_m(event):
    # Alphanumeric mode (upper case, digits, ":"): 41 × 41 modules, easy from a phone.
    event_id = 999_999
    payload = qr_payload(event_id=event.pk, code=new_ticket_code()).replace(
        f"EH2:{event.pk}:", f"EH2:{event_id}:"
    )
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M)
    qr.add_data(payload)
    qr.make(fit=True)
    assert len(payload) <= 150 and qr.version == 6


def test_a_payload_read_in_lower_case_or_with_spaces_still_reads(event):
    code = new_ticket_code()
    assert parse_scan("  " + qr_payload(event_id=event.pk, code=code).lower() + "\n").code == code


def test_a_bare_code_typed_with_dashes_reads_without_event():
    code = new_ticket_code()
    scanned = parse_scan(format_code_for_humans(code).lower())
    assert (scanned.code, scanned.event_id) == (code, None)
    assert normalize_code(format_code_for_humans(code)) == code


def _flip(char: str) -> str:
    return "B" if char != "B" else "C"


@pytest.mark.parametrize("position", [2, 4, 7, 10, 40, 60, -1])
def test_any_altered_character_makes_the_payload_invalid(event, position):
    payload = qr_payload(event_id=event.pk, code=new_ticket_code())
    chars = list(payload)
    if chars[position].isdigit():
        chars[position] = "9" if chars[position] != "9" else "8"
    elif chars[position] == ":":
        chars[position] = "A"
    else:
        chars[position] = _flip(chars[position])
    assert parse_scan("".join(chars)) is None


def test_a_signature_spelled_with_other_padding_bits_is_invalid(event):
    # 64 bytes take 102.4 base32 characters: the last one's low 3 bits are zero.
    payload = qr_payload(event_id=event.pk, code=new_ticket_code())
    value = B32.index(payload[-1])
    assert parse_scan(payload[:-1] + B32[value | 1]) is None


def test_moving_a_payload_to_another_event_breaks_the_signature(event):
    other = EventFactory()
    ticket_key_active(event_id=other.pk)
    payload = qr_payload(event_id=event.pk, code=new_ticket_code())
    assert parse_scan(payload.replace(f"EH2:{event.pk}:", f"EH2:{other.pk}:")) is None


def test_a_payload_signed_by_another_events_key_is_invalid(event):
    other = EventFactory()
    code = new_ticket_code()
    ticket_key_active(event_id=event.pk)
    signed = f"EH2:{event.pk}:1:{code}"
    signature = ticket_key_sign(ticket_key_active(event_id=other.pk), signed.encode())
    text = base64.b32encode(signature).decode().rstrip("=")
    assert parse_scan(f"{signed}:{text}") is None


def test_a_payload_signed_by_a_key_of_our_own_making_is_invalid(event):
    code = new_ticket_code()
    ticket_key_active(event_id=event.pk)
    signed = f"EH2:{event.pk}:1:{code}"
    signature = Ed25519PrivateKey.generate().sign(signed.encode())
    forged = f"{signed}:{base64.b32encode(signature).decode().rstrip('=')}"
    assert parse_scan(forged) is None
    assert parse_scan(forged.replace(f"EH2:{event.pk}:1:", f"EH2:{event.pk}:2:")) is None


def test_after_a_rotation_old_and_new_payloads_scan_until_the_old_key_is_retired(event):
    code = new_ticket_code()
    old = qr_payload(event_id=event.pk, code=code)
    assert ticket_key_rotate(event_id=event.pk).number == 2
    new = qr_payload(event_id=event.pk, code=code)
    assert new.startswith(f"EH2:{event.pk}:2:") and new != old
    assert parse_scan(old).code == parse_scan(new).code == code
    ticket_key_retire(event_id=event.pk, number=1)
    assert parse_scan(old) is None and parse_scan(new).code == code
    with pytest.raises(ValueError):
        ticket_key_retire(event_id=event.pk, number=2)


def test_an_hmac_payload_reads_until_the_event_retires_the_form(event):
    code = new_ticket_code()
    old = qr_payload_hmac(event_id=event.pk, code=code)
    assert (parse_scan(old).code, parse_scan(old).event_id) == (code, event.pk)
    other = EventFactory()
    assert parse_scan(old.replace(f"EH1:{event.pk}:", f"EH1:{other.pk}:")) is None
    event.accept_hmac_tickets = False
    event.save(update_fields=["accept_hmac_tickets"])
    assert parse_scan(old) is None
    assert parse_scan(qr_payload(event_id=event.pk, code=code)).code == code


@pytest.mark.django_db
@pytest.mark.parametrize(
    "garbage",
    [
        "",
        " ",
        "EH1",
        "EH1:::",
        "EH2:::::",
        "x" * 10_000,
        "\x00\xff\u202e",
        "EH2:1:" + "A" * 32 + ":" + "A" * 16,
        "EH2:1:1:" + "A" * 32 + ":" + "A" * 103,
        "EH2:99999999999:1:" + "A" * 32 + ":" + "A" * 103,
        None,
        42,
    ],
)
def test_garbage_is_rejected_without_raising(garbage):
    assert parse_scan(garbage) is None
    assert normalize_code(garbage) is None
