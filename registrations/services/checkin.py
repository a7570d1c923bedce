"""Admitting tickets: scans at the gate and at every other door, undo,
walk-ins and paper check-ins.

Every scan, good or bad, leaves a ``ScanLog`` row. A ticket is admitted once
per *target*: the ticket row is locked (``select_for_update``) for the
decision, and the ``CheckIn`` unique constraint on (ticket, target) has the
last word; an ``IntegrityError`` there reads as ``already_checked_in``.
On PostgreSQL, a target without hooks of its own (the gate) skips the lock:
the whole admission is one statement (``_admit_in_one_statement``), the
unique constraint deciding through ``INSERT … ON CONFLICT DO NOTHING``.

A scanner may send a ``nonce`` per scan: a retried request (the phone lost
the answer, not the question) with the same nonce, for the same ticket and
target, gets the first answer back instead of "already checked in". The
nonce is only looked up when the ticket turns out to be admitted already,
under the lock, so the common path costs no extra query; every other answer
is the same on a retry anyway. A nonce first sent with another ticket proves
nothing: that scan is answered and logged like any other.

One vocabulary for every door (``ScanLog.Result``): ``ok``,
``already_checked_in``, ``invalid``, ``wrong_event``, ``cancelled``,
``waitlisted`` (the fair's waiting list) and ``not_admissible`` (the target
turned the person away; ``reason`` says why).

Extension point, targets: the gate of the fair is ``GATE``. Another place
that admits the same tickets once each (a training session's door, a
screening tent) subclasses ``CheckInTarget`` with its own ``key`` (stored in
``CheckIn.target``, at most 40 characters), its ``stats_part`` and, when
only some attendees may enter, ``refusal()`` (a read-only check) and/or
``admit()`` (writes the place's own record of the admission in the same
transaction, or refuses), and then calls ``ticket_check_in(..., target=...)``:
locking, nonce, logging and the stats broadcast come for free. See
docs/checkin.md; the training door is ``services/training_door.py``.
"""

import dataclasses
import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from eventhub.core.permissions import require_event_role
from eventhub.core.realtime import stats_changed_on_commit
from registrations.exceptions import EventFull, NotCheckedIn
from registrations.models import Attendee, CheckIn, ScanLog, Ticket
from registrations.services.attendees import attendee_register
from registrations.ticket_codes import parse_scan

Result = ScanLog.Result
Method = CheckIn.Method


@dataclass(frozen=True)
class Refusal:
    """A target turning a person away: a ``Result`` code and why (a stable code)."""

    result: str = Result.NOT_ADMISSIBLE
    reason: str = ""


@dataclass(frozen=True)
class CheckInTarget:
    """Where a ticket is admitted once. ``GATE`` is the fair's entrance.

    Subclass to admit the same tickets elsewhere (see the module docstring).
    """

    key: str = "event"
    stats_part: str = "attendance"

    def refusal(self, attendee: Attendee) -> str | None:
        """A result code refusing this (confirmed) attendee here, or None to admit.

        Called with the ticket row locked, before the earlier admission is
        looked up; must not write. Return ``Result.NOT_ADMISSIBLE``.
        """
        return None

    def admit(self, attendee: Attendee, *, at: dt.datetime, user) -> Refusal | None:
        """Record this place's own side of the admission, or refuse it.

        Called in the scan's transaction with the ticket row locked, once no
        earlier admission to this target exists, just before the ``CheckIn``
        row is written. Return None to admit; return a ``Refusal`` (having
        written nothing of the admission) to turn the person away.
        """
        return None


GATE = CheckInTarget()


@dataclass(frozen=True)
class CheckInResult:
    """The answer to one scan.

    ``checked_in_at``/``gate`` describe the admission: this one for ``ok``,
    the first one for ``already_checked_in``; empty otherwise.
    """

    result: str
    ticket_code: str = ""
    attendee_id: int | None = None
    display_name: str = ""
    category: str = ""
    checked_in_at: dt.datetime | None = None
    gate: str = ""
    replayed: bool = False
    reason: str = ""  # why a target answered not_admissible

    @property
    def ok(self) -> bool:
        return self.result == Result.OK


def _answer(result: str, ticket: Ticket | None = None, check_in: CheckIn | None = None):
    if ticket is None:
        return CheckInResult(result=result)
    attendee = ticket.attendee
    return CheckInResult(
        result=result,
        ticket_code=ticket.code,
        attendee_id=attendee.pk,
        display_name=attendee.full_name,
        category=attendee.category,
        checked_in_at=check_in.checked_in_at if check_in else None,
        gate=check_in.gate if check_in else "",
    )


def _loggable(text) -> str:
    """The start of what was read, safe to store (no NUL, no lone surrogates)."""
    if not isinstance(text, str):
        return ""
    text = text[:200].replace("\x00", "\ufffd")
    return text.encode("utf-8", "replace").decode("utf-8")


def logged_payload(payload) -> str:
    """``payload`` as its ``ScanLog`` row stores it (to recognise a scan sent again)."""
    return _loggable(payload)


def _log(
    *,
    event_id,
    result,
    payload,
    gate,
    device,
    user,
    nonce,
    target,
    method,
    local_result="",
    scanned_at=None,
    ticket=None,
    note="",
):
    ScanLog.objects.create(
        event_id=event_id,
        ticket=ticket,
        target=target.key,
        payload=_loggable(payload),
        result=result,
        method=method,
        gate=_loggable(gate)[:60],
        device=_loggable(device)[:60],
        user=user if getattr(user, "is_authenticated", False) else None,
        nonce=nonce,
        note=note,
        local_result=local_result,
        scanned_at=scanned_at or timezone.now(),
    )


def _one(queryset):
    """The only row of a unique look-up, or None: no ORDER BY, unlike ``first()``."""
    rows = list(queryset.order_by()[:1])
    return rows[0] if rows else None


def _admitted_by_nonce(*, event_id: int, nonce: str, target: CheckInTarget, ticket: Ticket) -> bool:
    """True when the first scan of ``ticket`` carrying ``nonce`` admitted it."""
    first = list(
        ScanLog.objects.filter(
            event_id=event_id, nonce=nonce, target=target.key, ticket_id=ticket.pk
        )
        .exclude(result=Result.UNDONE)
        .order_by("pk")
        .values_list("result", flat=True)[:1]
    )
    return first == [Result.OK]


def ticket_check_in(
    *,
    event_id: int,
    payload: str = "",
    gate: str = "",
    device: str = "",
    user=None,
    nonce: str | None = None,
    target: CheckInTarget = GATE,
    method: str = Method.SCAN,
    at: dt.datetime | None = None,
    attendee_id: int | None = None,
    local_result: str = "",
) -> CheckInResult:
    """Admit the ticket read from ``payload`` (a QR payload or a bare code) once.

    ``attendee_id`` instead of a payload admits the person a volunteer found
    by name (the gate search answers ids, never codes); an id of another
    event is ``invalid``. Never raises for bad input: forged, altered or
    unknown payloads answer ``invalid``, a genuine ticket of another event
    ``wrong_event``; the target may answer ``not_admissible`` with a
    ``reason``. ``at`` backdates the admission (paper lists, offline
    scans); an offline scan (``method=offline``) is also logged at ``at``,
    the time the device scanned it, with ``local_result``, what the device
    showed then. Lock: the ticket row, then whatever the target's
    ``admit()`` locks.
    """
    nonce = _loggable(nonce or "")[:64]
    gate, device = (gate or "").strip(), (device or "").strip()
    log = {
        "event_id": event_id,
        "payload": payload,
        "gate": gate,
        "device": device,
        "user": user,
        "nonce": nonce,
        "target": target,
        "method": method,
        "local_result": (local_result or "")[:20],
        "scanned_at": at if method == Method.OFFLINE else None,
    }
    if attendee_id is not None:
        lookup = Q(attendee_id=attendee_id, attendee__event_id=event_id)
        try:
            return _admit(lookup=lookup, at=at, log=log)
        except IntegrityError:
            return _admit(lookup=lookup, at=at, log=log)
    scanned = parse_scan(payload)
    if scanned is None:
        _log(result=Result.INVALID, **log)
        return CheckInResult(result=Result.INVALID)
    if scanned.event_id is not None and scanned.event_id != event_id:
        # The signature is genuine: a real ticket, for another fair.
        _log(result=Result.WRONG_EVENT, **log)
        return CheckInResult(result=Result.WRONG_EVENT)
    if _fast_path_serves(target):
        return _admit_in_one_statement(code=scanned.code, at=at, log=log)
    try:
        return _admit(lookup=Q(code=scanned.code), at=at, log=log)
    except IntegrityError:
        # Another admission got past the lock (the unique constraint caught
        # it); the second pass reads it and answers already_checked_in.
        return _admit(lookup=Q(code=scanned.code), at=at, log=log)


def _fast_path_serves(target: CheckInTarget) -> bool:
    """True when the admission can be one PostgreSQL statement: a target
    without a ``refusal``/``admit`` of its own (the gate). A target with them
    needs its hooks inside the transaction, under the ticket's lock."""
    kind = type(target)
    return (
        connection.vendor == "postgresql"
        and kind.refusal is CheckInTarget.refusal
        and kind.admit is CheckInTarget.admit
    )


# The whole admission in one round trip (PostgreSQL): find the ticket, insert
# the check-in unless one exists (the unique constraint decides, ON CONFLICT
# waits for a concurrent insert of the same row to commit or roll back), read
# the first admission and the nonce's first answer, decide, and write the scan
# log. Every CTE sees the snapshot taken when the statement starts; "retry"
# means a concurrent admission committed meanwhile (the insert lost, but the
# snapshot cannot see the winner): nothing was written, and the statement is
# run again with a fresh snapshot.
_ADMIT_SQL = """
WITH t AS (
    SELECT tk.id AS ticket_id, a.id AS attendee_id, a.event_id, a.status,
           a.first_name, a.last_name, a.category
    FROM {ticket} tk JOIN {attendee} a ON a.id = tk.attendee_id
    WHERE tk.code = %(code)s
), ins AS (
    INSERT INTO {checkin} (event_id, ticket_id, target, gate, device, checked_in_by_id,
                           method, checked_in_at)
    SELECT %(event)s, t.ticket_id, %(target)s, %(gate)s, %(device)s, %(user)s,
           %(method)s, %(at)s
    FROM t WHERE t.event_id = %(event)s AND t.status NOT IN (%(cancelled)s, %(waitlisted)s)
    ON CONFLICT (ticket_id, target) DO NOTHING
    RETURNING checked_in_at, gate
), first AS (
    SELECT c.checked_in_at, c.gate FROM {checkin} c JOIN t ON c.ticket_id = t.ticket_id
    WHERE c.target = %(target)s
), replay AS (
    SELECT (
        SELECT s.result FROM {scanlog} s JOIN t ON s.ticket_id = t.ticket_id
        WHERE %(nonce)s <> '' AND s.event_id = %(event)s AND s.nonce = %(nonce)s
          AND s.target = %(target)s AND s.result <> %(undone)s
        ORDER BY s.id LIMIT 1
    ) = %(ok)s AS yes
), decision AS (
    SELECT CASE
        WHEN t.ticket_id IS NULL THEN %(invalid)s
        WHEN t.event_id <> %(event)s THEN %(wrong_event)s
        WHEN t.status = %(cancelled)s THEN %(cancelled)s
        WHEN t.status = %(waitlisted)s THEN %(waitlisted)s
        WHEN ins.checked_in_at IS NOT NULL THEN %(ok)s
        WHEN first.checked_in_at IS NULL THEN 'retry'
        WHEN replay.yes THEN 'replay'
        ELSE %(already)s
    END AS result,
    t.ticket_id, t.attendee_id, t.event_id, t.first_name, t.last_name, t.category,
    COALESCE(ins.checked_in_at, first.checked_in_at) AS checked_in_at,
    COALESCE(ins.gate, first.gate) AS gate
    FROM (SELECT 1) one
    LEFT JOIN t ON true LEFT JOIN ins ON true LEFT JOIN first ON true CROSS JOIN replay
), log AS (
    INSERT INTO {scanlog} (event_id, ticket_id, target, payload, result, method, gate,
                           device, user_id, nonce, note, local_result, scanned_at)
    SELECT %(event)s,
           CASE WHEN d.result IN (%(invalid)s, %(wrong_event)s) THEN NULL ELSE d.ticket_id END,
           %(target)s, %(payload)s, d.result, %(method)s, %(gate)s, %(device)s, %(user)s,
           %(nonce)s, '', %(local_result)s, %(logged_at)s
    FROM decision d WHERE d.result NOT IN ('retry', 'replay')
)
SELECT result, ticket_id, attendee_id, event_id, first_name, last_name, category,
       checked_in_at, gate
FROM decision
"""


def _admit_sql() -> str:
    return _ADMIT_SQL.format(
        ticket=Ticket._meta.db_table,
        attendee=Attendee._meta.db_table,
        checkin=CheckIn._meta.db_table,
        scanlog=ScanLog._meta.db_table,
    )


def _admit_in_one_statement(*, code: str, at: dt.datetime | None, log: dict) -> CheckInResult:
    """``_admit`` for the gate on PostgreSQL, in one statement (one round trip).

    Same answers, same rows, same guarantees: the unique constraint admits
    once, every answer but a nonce's replay is logged, the nonce replays only
    for the same ticket and target, ``already_checked_in`` carries the first
    admission's time and gate. Outside a transaction the statement commits by
    itself (autocommit): no BEGIN, no COMMIT.
    """
    user = log["user"]
    now = timezone.now()
    params = {
        "code": code,
        "event": log["event_id"],
        "target": log["target"].key,
        "gate": _loggable(log["gate"])[:60],
        "device": _loggable(log["device"])[:60],
        "user": user.pk if getattr(user, "is_authenticated", False) else None,
        "method": log["method"],
        "at": at or now,
        "logged_at": log["scanned_at"] or now,
        "local_result": log["local_result"],
        "nonce": log["nonce"],
        "payload": _loggable(log["payload"]),
        "cancelled": Attendee.Status.CANCELLED,
        "waitlisted": Attendee.Status.WAITLISTED,
        **{name: str(value) for name, value in _RESULT_PARAMS.items()},
    }
    sql = _admit_sql()
    for _attempt in range(3):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        result = row[0]
        if result != "retry":
            break
    else:  # lost three races in a row: the locking path answers
        return _admit(lookup=Q(code=code), at=at, log=log)
    if result in (Result.INVALID, Result.WRONG_EVENT):
        return CheckInResult(result=result)
    person = Attendee(pk=row[2], event_id=row[3], first_name=row[4], last_name=row[5])
    answer = CheckInResult(
        result=Result.OK if result == "replay" else result,
        ticket_code=code,
        attendee_id=person.pk,
        display_name=person.full_name,
        category=row[6],
        checked_in_at=row[7] if result in ("replay", Result.OK, Result.ALREADY) else None,
        gate=(row[8] or "") if result in ("replay", Result.OK, Result.ALREADY) else "",
        replayed=result == "replay",
    )
    if result == Result.OK:
        stats_changed_on_commit(event_id=log["event_id"], part=log["target"].stats_part)
    return answer


_RESULT_PARAMS = {
    "ok": Result.OK,
    "already": Result.ALREADY,
    "invalid": Result.INVALID,
    "wrong_event": Result.WRONG_EVENT,
    "undone": Result.UNDONE,
}


@transaction.atomic
def _admit(*, lookup: Q, at: dt.datetime | None, log: dict) -> CheckInResult:
    event_id, target = log["event_id"], log["target"]
    ticket = _one(
        Ticket.objects.select_for_update(of=("self",)).select_related("attendee").filter(lookup)
    )
    if ticket is None:
        _log(result=Result.INVALID, **log)
        return CheckInResult(result=Result.INVALID)
    if ticket.attendee.event_id != event_id:
        _log(result=Result.WRONG_EVENT, **log)
        return CheckInResult(result=Result.WRONG_EVENT)
    status = ticket.attendee.status
    refusal = {
        Attendee.Status.CANCELLED: Result.CANCELLED,
        Attendee.Status.WAITLISTED: Result.WAITLISTED,
    }.get(status) or target.refusal(ticket.attendee)
    if refusal:
        _log(result=refusal, ticket=ticket, **log)
        return _answer(refusal, ticket)

    first = _one(CheckIn.objects.filter(ticket=ticket, target=target.key))
    if first is not None:
        if log["nonce"] and _admitted_by_nonce(
            event_id=event_id, nonce=log["nonce"], target=target, ticket=ticket
        ):
            # A retry of the scan that admitted the ticket (perhaps one that
            # waited on the lock behind its own first attempt): same answer.
            return dataclasses.replace(_answer(Result.OK, ticket, first), replayed=True)
        _log(result=Result.ALREADY, ticket=ticket, **log)
        return _answer(Result.ALREADY, ticket, first)
    at = at or timezone.now()
    refused = target.admit(ticket.attendee, at=at, user=log["user"])
    if refused is not None:
        _log(result=refused.result, ticket=ticket, note=refused.reason, **log)
        return dataclasses.replace(_answer(refused.result, ticket), reason=refused.reason)
    check_in = CheckIn.objects.create(
        event_id=event_id,
        ticket=ticket,
        target=target.key,
        gate=_loggable(log["gate"])[:60],
        device=_loggable(log["device"])[:60],
        checked_in_by=log["user"] if getattr(log["user"], "is_authenticated", False) else None,
        method=log["method"],
        checked_in_at=at,
    )
    _log(result=Result.OK, ticket=ticket, **log)
    stats_changed_on_commit(event_id=event_id, part=target.stats_part)
    return _answer(Result.OK, ticket, check_in)


@transaction.atomic
def check_in_undo(
    *, event_id: int, ticket_code: str, user, reason: str = "", target: CheckInTarget = GATE
) -> None:
    """Undo a ticket's admission (a volunteer's mistake). Organizers only.

    The undo is logged with the first admission's time (``admitted_at``, and
    in the note with its gate), gate, device and method: a double entry
    found before the undo still lists that admission. Raise
    PermissionDenied, NotCheckedIn. Lock: the ticket row.
    """
    require_event_role(user, event_id)
    ticket = (
        Ticket.objects.select_for_update(of=("self",))
        .filter(code=ticket_code, attendee__event_id=event_id)
        .first()
    )
    check_in = CheckIn.objects.filter(ticket=ticket, target=target.key).first() if ticket else None
    if check_in is None:
        raise NotCheckedIn()
    local = timezone.localtime(check_in.checked_in_at)
    note = f"{local:%Y-%m-%d %H:%M:%S} {check_in.gate}".strip()
    ScanLog.objects.create(
        event_id=event_id,
        ticket=ticket,
        target=target.key,
        result=Result.UNDONE,
        method=check_in.method,
        gate=check_in.gate,
        device=check_in.device,
        user=user,
        note=f"{note} — {reason}"[:200] if reason else note,
        scanned_at=timezone.now(),
        admitted_at=check_in.checked_in_at,
    )
    check_in.delete()
    stats_changed_on_commit(event_id=event_id, part=target.stats_part)


@transaction.atomic
def walk_in_check_in(
    *,
    event_id: int,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    category: str = Attendee.Category.CITIZEN,
    country: str = "",
    region_id: int | None = None,
    language: str = "en",
    gate: str = "",
    device: str = "",
    user=None,
    nonce: str | None = None,
) -> tuple[Attendee, CheckInResult]:
    """Register a person at the gate and admit them, in one transaction.

    An e-mail already registered admits that registration instead. Raise
    RegistrationClosed (event not published), EventFull (no place left: the
    registration is rolled back, nobody is left on the waiting list).
    """
    registration = attendee_register(
        event_id=event_id,
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        category=category,
        country=country,
        region_id=region_id,
        language=language,
        source=Attendee.Source.WALK_IN,
        enforce_window=False,
    )
    attendee = registration.attendee
    if attendee.status == Attendee.Status.WAITLISTED and registration.created:
        raise EventFull()
    result = ticket_check_in(
        event_id=event_id,
        payload=attendee.ticket.code,
        gate=gate,
        device=device,
        user=user,
        nonce=nonce,
        method=Method.WALK_IN,
    )
    return attendee, result


def paper_check_ins_record(
    *,
    event_id: int,
    ticket_codes: list[str],
    user,
    gate: str = "",
    at: dt.datetime | None = None,
) -> list[tuple[str, CheckInResult]]:
    """Enter check-ins ticked on the printed list. Organizers only.

    Each code is admitted like a scan (``method=paper``), backdated to ``at``
    when given; a code already admitted answers ``already_checked_in``.
    Return (code as typed, result) pairs. Raise PermissionDenied.
    """
    require_event_role(user, event_id)
    results = []
    for code in ticket_codes:
        if not code.strip():
            continue
        results.append(
            (
                code.strip(),
                ticket_check_in(
                    event_id=event_id,
                    payload=code,
                    gate=gate,
                    device="paper",
                    user=user,
                    method=Method.PAPER,
                    at=at,
                ),
            )
        )
    return results
