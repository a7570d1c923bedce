"""Offline scans sent back by a gate device once the network is back.

A scanner without network verifies the ``EH2`` signature itself, decides
from the offline pack (``selectors.checkin.offline_pack``) and its own scans,
and queues them. Synced, every scan goes through ``ticket_check_in``, the one
admission engine, as ``method=offline`` at the time it was scanned (clamped
to the last 24 hours: a device clock may be wrong), with what the device
showed (``local_result``) kept on its ``ScanLog`` row.

Idempotent per device: a scan whose nonce (with the same payload) the event
already logged from this device is answered from that row, not admitted
again, so a sync retried after a lost answer writes nothing; so is a nonce
repeated within one batch. A scan the device let in (``ok``) that
the server answers ``already_checked_in`` is a *double entry*: the holder
got in twice; it is reported to both devices (``double_entries``), never
merged silently. docs/checkin.md has the rules.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from eventhub.core.models import StaffRole
from eventhub.core.permissions import require_event_role
from registrations.models import CheckIn, ScanLog
from registrations.services.checkin import GATE, CheckInResult, logged_payload, ticket_check_in

Result = ScanLog.Result
MAX_SCANS = 500
CLOCK_WINDOW = dt.timedelta(hours=24)


@dataclass(frozen=True)
class OfflineScan:
    nonce: str
    payload: str
    gate: str
    scanned_at: dt.datetime
    local_result: str


@dataclass(frozen=True)
class SyncedScan:
    nonce: str
    answer: CheckInResult
    double_entry: bool
    payload: str = ""  # as logged: a nonce replays only with the payload it came with


def _is_double_entry(local_result: str, result: str) -> bool:
    return local_result == Result.OK and result == Result.ALREADY


def _stored_answers(*, event_id: int, device: str, nonces: list[str]) -> dict[str, SyncedScan]:
    """The first logged outcome of each nonce this device already synced (two queries)."""
    rows = {}
    for row in (
        ScanLog.objects.filter(
            event_id=event_id, target=GATE.key, device=device, nonce__in=set(nonces)
        )
        .exclude(result=Result.UNDONE)
        .select_related("ticket__attendee")
        .order_by("pk")
    ):
        rows.setdefault(row.nonce, row)
    first_admissions = {
        c.ticket_id: c
        for c in CheckIn.objects.filter(
            ticket_id__in=[r.ticket_id for r in rows.values() if r.ticket_id], target=GATE.key
        )
    }
    answers = {}
    for nonce, row in rows.items():
        ticket = row.ticket
        first = first_admissions.get(row.ticket_id)
        admitted = row.result in (Result.OK, Result.ALREADY)
        answer = CheckInResult(
            result=row.result,
            ticket_code=ticket.code if ticket else "",
            attendee_id=ticket.attendee_id if ticket else None,
            display_name=ticket.attendee.full_name if ticket else "",
            category=ticket.attendee.category if ticket else "",
            checked_in_at=(first.checked_in_at if first else row.scanned_at) if admitted else None,
            gate=(first.gate if first else row.gate) if admitted else "",
            replayed=True,
        )
        answers[nonce] = SyncedScan(
            nonce=nonce,
            answer=answer,
            double_entry=_is_double_entry(row.local_result, row.result),
            payload=row.payload,
        )
    return answers


def offline_scans_sync(
    *, event_id: int, device: str, scans: list[OfflineScan], user
) -> list[SyncedScan]:
    """Admit a device's queued offline scans, in order; answers in input order.

    Volunteers and organizers. Raise PermissionDenied.
    """
    require_event_role(user, event_id, StaffRole.Role.VOLUNTEER)
    device = device.strip()[:60]
    answers = _stored_answers(event_id=event_id, device=device, nonces=[s.nonce for s in scans])
    now = timezone.now()
    results = []
    for scan in scans:
        known = answers.get(scan.nonce)
        if known is None or known.payload != logged_payload(scan.payload):
            # New, or a nonce reused with another payload: that proves
            # nothing (as in ticket_check_in), the scan is decided and logged.
            at = min(max(scan.scanned_at, now - CLOCK_WINDOW), now)
            answer = ticket_check_in(
                event_id=event_id,
                payload=scan.payload,
                gate=scan.gate,
                device=device,
                user=user,
                nonce=scan.nonce,
                method=CheckIn.Method.OFFLINE,
                at=at,
                local_result=scan.local_result,
            )
            known = answers[scan.nonce] = SyncedScan(
                nonce=scan.nonce,
                answer=answer,
                double_entry=not answer.replayed
                and _is_double_entry(scan.local_result, answer.result),
                payload=logged_payload(scan.payload),
            )
        results.append(known)
    return results
