"""Ed25519 key pairs that sign an event's ticket QR payloads.

Each event has one *active* key, which signs, and may keep older keys that
still verify until retired: a rotation (``manage.py rotate_ticket_key``)
adds a new active key and leaves the tickets already out scanning. Public
keys are published to staff devices (``GET /api/v1/events/{event}/
checkin-keys/``) so a scanner can verify a ticket without the server.

Private keys never leave the server and are stored sealed: AES-256-GCM
under a key derived from ``TICKET_SIGNING_KEY``, bound to the event and key
number (a sealed key copied to another row does not open).
"""

import base64
import hashlib
import secrets
import time

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from eventhub.core.models import Event, TicketSigningKey

SIGNATURE_BYTES = 64
NONCE_BYTES = 12


def _sealing_key() -> bytes:
    return hashlib.sha256(
        b"eventhub.ticket-key-seal:" + settings.TICKET_SIGNING_KEY.encode()
    ).digest()


def _binding(event_id: int, number: int) -> bytes:
    return f"eventhub.ticket-key:{event_id}:{number}".encode("ascii")


def _seal(private_key: Ed25519PrivateKey, *, event_id: int, number: int) -> bytes:
    raw = private_key.private_bytes_raw()
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce + AESGCM(_sealing_key()).encrypt(nonce, raw, _binding(event_id, number))


def _unseal(key: TicketSigningKey) -> Ed25519PrivateKey:
    sealed = bytes(key.sealed_private_key)
    raw = AESGCM(_sealing_key()).decrypt(
        sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], _binding(key.event_id, key.number)
    )
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_base64(key: TicketSigningKey) -> str:
    """The raw 32-byte public key in standard base64 (44 characters)."""
    return base64.b64encode(bytes(key.public_key)).decode("ascii")


# --- Writes ------------------------------------------------------------------


def _lock_event(event_id: int) -> None:
    Event.objects.select_for_update().filter(pk=event_id).values_list("pk").get()


def _key_create(event_id: int) -> TicketSigningKey:
    """A new active key (the caller holds the event row lock)."""
    number = (
        TicketSigningKey.objects.filter(event_id=event_id).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    TicketSigningKey.objects.filter(event_id=event_id, active=True).update(active=False)
    private_key = Ed25519PrivateKey.generate()
    public = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return TicketSigningKey.objects.create(
        event_id=event_id,
        number=number,
        public_key=public,
        sealed_private_key=_seal(private_key, event_id=event_id, number=number),
        active=True,
    )


@transaction.atomic
def ticket_key_rotate(*, event_id: int) -> TicketSigningKey:
    """Add a new active key to the event; the previous one keeps verifying.

    Lock: the event row (two rotations never race to the same number).
    """
    _lock_event(event_id)
    return _key_create(event_id)


@transaction.atomic
def ticket_key_retire(*, event_id: int, number: int) -> TicketSigningKey:
    """Stop accepting tickets signed by this key. The active key cannot be retired:
    rotate first. Raise TicketSigningKey.DoesNotExist, ValueError (active key)."""
    key = TicketSigningKey.objects.select_for_update().get(event_id=event_id, number=number)
    if key.active:
        raise ValueError("the active key signs new tickets: rotate before retiring it")
    if key.retired_at is None:
        key.retired_at = timezone.now()
        key.save(update_fields=["retired_at"])
    _public_keys.pop((event_id, number), None)
    return key


def event_hmac_tickets_retire(*, event_id: int) -> None:
    """Stop admitting the older HMAC-signed QR form (EH1) at this event."""
    Event.objects.filter(pk=event_id).update(accept_hmac_tickets=False)


def ticket_key_active(*, event_id: int) -> TicketSigningKey:
    """The event's signing key; an event without one gets its first key now.

    Lock (only for that first key): the event row.
    """
    key = TicketSigningKey.objects.filter(event_id=event_id, active=True).first()
    if key is not None:
        return key
    with transaction.atomic():
        _lock_event(event_id)
        key = TicketSigningKey.objects.filter(event_id=event_id, active=True).first()
        return key or _key_create(event_id)


# --- Reads -------------------------------------------------------------------


def ticket_keys_accepted(*, event_id: int) -> list[TicketSigningKey]:
    """The keys whose signatures the event still accepts, the active one first.

    Creates the first key of an event that has none, so a staff device can
    fetch it before the first ticket is issued.
    """
    ticket_key_active(event_id=event_id)
    return list(
        TicketSigningKey.objects.filter(event_id=event_id, retired_at__isnull=True).order_by(
            "-active", "-number"
        )
    )


# --- Signing and verifying ---------------------------------------------------


def ticket_key_sign(key: TicketSigningKey, message: bytes) -> bytes:
    """The 64-byte Ed25519 signature of ``message`` by ``key``."""
    return _unseal(key).sign(message)


# Public keys read at the gate, per process: every scan checks a signature,
# and a key changes only when an organizer retires it. A retirement takes
# effect at once in the process that made it and within this many seconds in
# the others (the staff credentials' cache time, settings.py).
_public_keys: dict[tuple[int, int], tuple[bytes, float]] = {}


def _public_key(event_id: int, number: int) -> bytes | None:
    ttl = float(getattr(settings, "STAFF_AUTH_CACHE_SECONDS", 30.0))
    cached = _public_keys.get((event_id, number))
    if cached is not None and time.monotonic() - cached[1] < ttl:
        return cached[0]
    public = (
        TicketSigningKey.objects.filter(event_id=event_id, number=number, retired_at__isnull=True)
        .values_list("public_key", flat=True)
        .first()
    )
    if public is None:
        _public_keys.pop((event_id, number), None)
        return None
    _public_keys[(event_id, number)] = (bytes(public), time.monotonic())
    return bytes(public)


def forget_public_keys() -> None:
    """Drop the cached public keys of this process (tests, key retirement)."""
    _public_keys.clear()


def ticket_signature_valid(*, event_id: int, number: int, message: bytes, signature: bytes) -> bool:
    """True when key ``number`` of the event, not retired, signed ``message``."""
    public = _public_key(event_id, number)
    if public is None or len(signature) != SIGNATURE_BYTES:
        return False
    try:
        Ed25519PublicKey.from_public_bytes(bytes(public)).verify(signature, message)
    except InvalidSignature:
        return False
    return True


def hmac_tickets_accepted(*, event_id: int) -> bool:
    """Whether the event still admits the older HMAC-signed QR form (EH1)."""
    return Event.objects.filter(pk=event_id, accept_hmac_tickets=True).exists()
