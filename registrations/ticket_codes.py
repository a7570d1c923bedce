"""Ticket secrets and the QR payload format (docs/tickets.md).

A ticket code is 160 random bits in RFC 4648 base32 (32 characters, A–Z and
2–7), so it is unguessable and fits QR alphanumeric mode. It is the
*admission* credential: the QR carries it, never personal data and never
the ticket's manage key (the credential of the holder's own pages, 192
random bits, see ``new_manage_key``). The QR payload is signed::

    EH2:<event id>:<key number>:<code>:<signature>

``EH2`` names format version 2; the signature is the Ed25519 signature by
the event's key number ``<key number>`` over ``EH2:<event id>:<key
number>:<code>`` (ASCII), in base32 without padding (103 characters). The
event's public keys are published to staff devices, so a scanner can tell
a genuine ticket, and its event, without the server; the server checks the
signature, then the database. Tickets printed before Ed25519 carry::

    EH1:<event id>:<code>:<signature>

with the first 80 bits of an HMAC-SHA256 keyed by ``TICKET_SIGNING_KEY``;
they admit until the organizer unticks the event's ``accept_hmac_tickets``.
A payload with a wrong signature, or signed by a retired key, is
``invalid``. Staff may also type the bare code (printed under the QR), with
or without the dashes that group it for reading.
"""

import base64
import binascii
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings

from eventhub.core.ticket_keys import (
    hmac_tickets_accepted,
    ticket_key_active,
    ticket_key_sign,
    ticket_signature_valid,
)

PAYLOAD_VERSION = "EH2"
HMAC_PAYLOAD_VERSION = "EH1"
CODE_BYTES = 20
CODE_LENGTH = 32
SIGNATURE_LENGTH = 16
MAX_PAYLOAD_LENGTH = 200
MANAGE_KEY_BYTES = 24

_CODE_RE = re.compile(r"^[A-Z2-7]{32}$")
_MANAGE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")
_HMAC_PAYLOAD_RE = re.compile(r"^EH1:(\d{1,12}):([A-Z2-7]{32}):([A-Z2-7]{16})$")
_PAYLOAD_RE = re.compile(r"^EH2:(\d{1,12}):(\d{1,5}):([A-Z2-7]{32}):([A-Z2-7]{103})$")


def new_ticket_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")


def new_manage_key() -> str:
    """The key of the holder's own pages: 192 random bits, URL-safe base64.

    Drawn independently of the code: knowing one tells nothing of the other.
    Compared exactly (case matters), unlike a code typed at the gate.
    """
    return secrets.token_urlsafe(MANAGE_KEY_BYTES)


def normalize_manage_key(text: str) -> str | None:
    """A well-formed manage key from a URL (exact, case-sensitive), or None."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    return text if _MANAGE_KEY_RE.match(text) else None


def _hmac_signature(event_id: int, code: str) -> str:
    key = hashlib.sha256(b"eventhub.ticket-qr:" + settings.TICKET_SIGNING_KEY.encode()).digest()
    message = f"{HMAC_PAYLOAD_VERSION}:{event_id}:{code}".encode("ascii")
    digest = hmac.new(key, message, hashlib.sha256).digest()[:10]
    return base64.b32encode(digest).decode("ascii")


def qr_payload_hmac(*, event_id: int, code: str) -> str:
    """The older ``EH1`` payload, as printed on tickets issued before Ed25519."""
    return f"{HMAC_PAYLOAD_VERSION}:{event_id}:{code}:{_hmac_signature(event_id, code)}"


def _signed_part(event_id: int, number: int, code: str) -> bytes:
    return f"{PAYLOAD_VERSION}:{event_id}:{number}:{code}".encode("ascii")


def qr_payload(*, event_id: int, code: str) -> str:
    """The ``EH2`` payload: the code signed by the event's active Ed25519 key."""
    key = ticket_key_active(event_id=event_id)
    signed = _signed_part(event_id, key.number, code)
    text = base64.b32encode(ticket_key_sign(key, signed)).decode("ascii").rstrip("=")
    return f"{signed.decode('ascii')}:{text}"


def _signature_bytes(text: str) -> bytes | None:
    """The 64 bytes of a base32 signature, or None unless ``text`` is their canonical form."""
    try:
        raw = base64.b32decode(text + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        return None
    if base64.b32encode(raw).decode("ascii").rstrip("=") != text:
        return None  # non-zero padding bits: an altered payload, not a reprint
    return raw


def format_code_for_humans(code: str) -> str:
    """``ABCD-EFGH-…``: the code in groups of four, for reading aloud or typing."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class ScannedTicket:
    code: str
    event_id: int | None  # None when a bare code was typed


def parse_scan(text: str) -> ScannedTicket | None:
    """Read what a scanner or a person typed; None when it cannot be a genuine ticket.

    Accepts an ``EH2`` payload (verified with the event's keys that are not
    retired), an ``EH1`` payload (its HMAC, while the event accepts them) or
    a bare code. Never raises, whatever the input.
    """
    if not isinstance(text, str) or len(text) > MAX_PAYLOAD_LENGTH:
        return None
    cleaned = text.strip().upper()
    match = _PAYLOAD_RE.match(cleaned)
    if match:
        event_id, number, code = int(match[1]), int(match[2]), match[3]
        signature = _signature_bytes(match[4])
        if signature is None or not ticket_signature_valid(
            event_id=event_id,
            number=number,
            message=_signed_part(event_id, number, code),
            signature=signature,
        ):
            return None
        return ScannedTicket(code=code, event_id=event_id)
    match = _HMAC_PAYLOAD_RE.match(cleaned)
    if match:
        event_id, code, signature = int(match[1]), match[2], match[3]
        if not hmac.compare_digest(signature, _hmac_signature(event_id, code)):
            return None
        if not hmac_tickets_accepted(event_id=event_id):
            return None
        return ScannedTicket(code=code, event_id=event_id)
    bare = cleaned.replace("-", "").replace(" ", "")
    if _CODE_RE.match(bare):
        return ScannedTicket(code=bare, event_id=None)
    return None


def normalize_code(text: str) -> str | None:
    """A ticket code from a URL or form (any case, dashes allowed), or None."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    bare = text.strip().upper().replace("-", "").replace(" ", "")
    return bare if _CODE_RE.match(bare) else None


OFFLINE_HASH_LENGTH = 16


def offline_ticket_hash(event_id: int, code: str) -> str:
    """The name of a ticket in the gate's offline pack (docs/checkin.md).

    The first 16 hex characters (lowercase) of SHA-256 over the ASCII bytes
    ``"<event id>:<code>"``, ``code`` being the 32-character base32 ticket
    code. A scanner that verified an ``EH2`` payload computes the same hash
    from the payload's event id and code, and looks it up in the pack's
    ``admitted`` list and ``refused`` map: the pack names tickets without
    carrying their codes (a stolen pack admits nobody) or any personal data.
    64 bits keep 5,000 tickets of a fair apart (a collision is ~1 in 10^12).
    """
    text = f"{event_id}:{code}".encode("ascii")
    return hashlib.sha256(text).hexdigest()[:OFFLINE_HASH_LENGTH]
