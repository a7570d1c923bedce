"""Ticket secrets and the QR payload format.

A ticket code is 160 random bits in RFC 4648 base32 (32 characters, A–Z and
2–7), so it is unguessable and fits QR alphanumeric mode. The QR carries
only the code, never personal data, in a versioned, signed form::

    EH1:<event id>:<code>:<signature>

``EH1`` names format version 1; the signature is the first 80 bits of an
HMAC-SHA256 over ``EH1:<event id>:<code>`` keyed by ``TICKET_SIGNING_KEY``.
A scanner that holds the key can therefore tell a genuine ticket, and its
event, without the database (the offline mode); the server still checks the
database. A payload with a wrong signature is ``invalid`` before any query.
Staff may also type the bare code (printed under the QR), with or without
the dashes that group it for reading.
"""

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from django.conf import settings

PAYLOAD_VERSION = "EH1"
CODE_BYTES = 20
CODE_LENGTH = 32
SIGNATURE_LENGTH = 16
MAX_PAYLOAD_LENGTH = 120
MANAGE_KEY_BYTES = 24

_CODE_RE = re.compile(r"^[A-Z2-7]{32}$")
_MANAGE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]{32}$")
_PAYLOAD_RE = re.compile(r"^EH1:(\d{1,12}):([A-Z2-7]{32}):([A-Z2-7]{16})$")


def new_ticket_code() -> str:
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")


def new_manage_key() -> str:
    """The key of the holder's own pages: 192 random bits, URL-safe base64.

    Its alphabet (lower case, ``-``, ``_``) never reads as a ticket code,
    so neither credential can stand in for the other.
    """
    return secrets.token_urlsafe(MANAGE_KEY_BYTES)


def normalize_manage_key(text: str) -> str | None:
    """A well-formed manage key from a URL (exact, case-sensitive), or None."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    return text if _MANAGE_KEY_RE.match(text) else None


def _signature(event_id: int, code: str) -> str:
    key = hashlib.sha256(b"eventhub.ticket-qr:" + settings.TICKET_SIGNING_KEY.encode()).digest()
    message = f"{PAYLOAD_VERSION}:{event_id}:{code}".encode("ascii")
    digest = hmac.new(key, message, hashlib.sha256).digest()[:10]
    return base64.b32encode(digest).decode("ascii")


def qr_payload(*, event_id: int, code: str) -> str:
    return f"{PAYLOAD_VERSION}:{event_id}:{code}:{_signature(event_id, code)}"


def format_code_for_humans(code: str) -> str:
    """``ABCD-EFGH-…``: the code in groups of four, for reading aloud or typing."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


@dataclass(frozen=True)
class ScannedTicket:
    code: str
    event_id: int | None  # None when a bare code was typed


def parse_scan(text: str) -> ScannedTicket | None:
    """Read what a scanner or a person typed; None when it cannot be a genuine ticket.

    Accepts a signed payload (checked against its signature) or a bare code.
    Never raises, whatever the input.
    """
    if not isinstance(text, str) or len(text) > MAX_PAYLOAD_LENGTH:
        return None
    cleaned = text.strip().upper()
    match = _PAYLOAD_RE.match(cleaned)
    if match:
        event_id, code, signature = int(match[1]), match[2], match[3]
        if not hmac.compare_digest(signature, _signature(event_id, code)):
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
