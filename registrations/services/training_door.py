"""The door of a training session: scans go through the one admission engine.

A training session is a ``CheckInTarget`` (key ``training:<session id>``):
``ticket_check_in`` locks the ticket, answers in the gate's vocabulary,
writes the ``CheckIn`` and ``ScanLog`` rows, honours nonces and broadcasts
the stats. What the door adds, inside the same transaction
(``TrainingSessionTarget.admit``): only a person with a confirmed seat in
the session is admitted, and their booking is marked checked in (for the
certificate and the no-show release). Someone without a seat (waitlisted in
the session, or not booked at all) takes a free seat on the spot; past the
no-show release time the seats of absent people are freed first. Otherwise
the answer is ``not_admissible`` with a ``reason``: ``session_full``,
``already_booked`` (in another session of the module),
``overlapping_booking`` or ``booking_closed`` (the session has ended).

Lock order: the ticket row (the engine), then the attendee row, then the
session row, then booking rows; the same order as booking (attendee, then
session) once the ticket is held. See docs/training.md.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from registrations.models import Attendee, TrainingBooking, TrainingSession
from registrations.services.checkin import (
    CheckInResult,
    CheckInTarget,
    Refusal,
    ticket_check_in,
)
from registrations.services.training import (
    ACTIVE,
    SESSIONS,
    _check_booking_rules,
    _lock_session,
    training_no_shows_release,
)
from registrations.training_exceptions import (
    AlreadyBooked,
    BookingClosed,
    BookingOverlap,
    TrainingSessionNotFound,
)

Status = TrainingBooking.Status
SESSION_FULL = "session_full"


@dataclass(frozen=True)
class TrainingSessionTarget(CheckInTarget):
    """The door of one training session."""

    session_id: int = 0
    stats_part: str = "training"

    @classmethod
    def for_session(cls, session_id: int) -> "TrainingSessionTarget":
        return cls(key=f"training:{session_id}", session_id=session_id)

    def admit(self, attendee: Attendee, *, at: dt.datetime, user) -> Refusal | None:
        """Mark the attendee's confirmed seat checked in, seating them if one is free.

        Lock: the attendee row, then the session row (the caller holds the
        ticket row).
        """
        Attendee.objects.select_for_update().filter(pk=attendee.pk).first()
        session = _lock_session(self.session_id)
        released = at >= session.no_show_release_at and training_no_shows_release(
            session_id=session.pk, now=at
        )
        if released:  # the release saved its own copy of the session row
            session = _lock_session(self.session_id)
        booking = (
            TrainingBooking.objects.select_for_update()
            .filter(attendee_id=attendee.pk, session_id=session.pk, status__in=ACTIVE)
            .first()
        )
        staff_id = user.pk if getattr(user, "is_authenticated", False) else None
        if booking is not None and booking.status == Status.CONFIRMED:
            if booking.checked_in_at is None:
                booking.checked_in_at = at
                booking.checked_in_by_id = staff_id
                booking.save(update_fields=["checked_in_at", "checked_in_by"])
            return None

        if not SESSIONS.has_room(session):
            return Refusal(reason=SESSION_FULL)
        if booking is not None:  # waitlisted and present: the free seat is theirs
            booking.status = Status.CONFIRMED
            booking.confirmed_at = at
            booking.walk_in = True
        else:
            try:
                _check_booking_rules(attendee, session, walk_in=True, now=at)
            except (AlreadyBooked, BookingOverlap, BookingClosed) as exc:
                return Refusal(reason=exc.code)
            booking = TrainingBooking(
                session=session,
                module_id=session.module_id,
                attendee=attendee,
                status=Status.CONFIRMED,
                confirmed_at=at,
                walk_in=True,
            )
        booking.checked_in_at = at
        booking.checked_in_by_id = staff_id
        booking.save()
        SESSIONS.take(session)  # the seat checked free above, under the same lock
        return None


@dataclass(frozen=True)
class SessionCheckInResult:
    """The engine's answer plus what the door shows: the session and the seat."""

    scan: CheckInResult
    session: TrainingSession
    booking: TrainingBooking | None = None

    @property
    def result(self) -> str:
        return self.scan.result

    @property
    def reason(self) -> str:
        return self.scan.reason

    @property
    def display_name(self) -> str:
        return self.scan.display_name

    @property
    def checked_in_at(self):
        return self.scan.checked_in_at

    @property
    def walk_in(self) -> bool:
        """True when the admitted person's seat was given at the door."""
        return bool(self.scan.ok and self.booking and self.booking.walk_in)


def training_session_check_in(
    *,
    session_id: int,
    payload: str,
    user=None,
    nonce: str = "",
    device: str = "",
    now: dt.datetime | None = None,
) -> SessionCheckInResult:
    """Admit the ticket read at the door of a training session, once.

    ``payload`` is what the scanner read (a signed QR payload or a typed
    code). Answers as the gate does (``ticket_check_in``), plus
    ``not_admissible`` with a ``reason`` when no seat can be had. Raise
    TrainingSessionNotFound only; every other outcome is a result code.
    Lock: the ticket row, the attendee row, then the session row.
    """
    session = TrainingSession.objects.select_related("module").filter(pk=session_id).first()
    if session is None:
        raise TrainingSessionNotFound()
    scan = ticket_check_in(
        event_id=session.module.event_id,
        payload=payload,
        gate=session.room,
        device=device,
        user=user,
        nonce=nonce,
        target=TrainingSessionTarget.for_session(session.pk),
        at=now or timezone.now(),
    )
    booking = None
    if scan.attendee_id is not None:
        booking = TrainingBooking.objects.filter(
            attendee_id=scan.attendee_id, session_id=session.pk, status=Status.CONFIRMED
        ).first()
    session.refresh_from_db(fields=["booked_count", "capacity"])
    return SessionCheckInResult(scan=scan, session=session, booking=booking)
