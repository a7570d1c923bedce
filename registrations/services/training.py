"""Training seats: booking, waiting lists, no-show release and certificates
of participation (the door check-in is ``services/training_door.py``).

Capacity is owned by the ``TrainingSession`` row (STYLE.md §6) and kept by
the sessions' pool of the capacity engine (``SESSIONS``,
eventhub/core/capacity.py, docs/capacity.md): every change that may alter
the number of confirmed seats locks that row (``select_for_update``),
re-checks on the locked data and updates ``booked_count`` on it. The
database has the last word: a check constraint keeps
``booked_count <= capacity`` and partial unique constraints allow one
active booking per attendee and session, and per attendee and module.

Lock order, to stay free of deadlocks: the attendee row first (it guards the
attendee's own rules, overlap and one booking per module, across sessions),
then the session row. Cancellation and no-show release lock the session row,
then booking rows.

Seats freed before a session starts go to its waiting list, first come first
served, and the promoted people are e-mailed. Seats freed after the start
(cancellations, released no-shows) go to whoever is at the door: the door
check-in (``training_door``) gives them to a scanned ticket, walk-in or
waitlisted.

A session that will not take place is cancelled (``training_session_cancel``,
also what the admin's "Delete" of a session or module runs): everyone booked
is e-mailed, then the session goes. More in docs/training.md.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from modeltranslation.utils import get_translation_fields

from eventhub.core import capacity
from eventhub.core.exceptions import PermissionDenied
from eventhub.core.models import AuditLog, StaffRole
from eventhub.core.permissions import has_event_role
from eventhub.core.realtime import stats_changed_on_commit
from eventhub.core.services import personal_data_access_log
from registrations.models import (
    Attendee,
    Certificate,
    TrainingBooking,
    TrainingModule,
    TrainingSession,
)
from registrations.selectors.training import waitlist_position
from registrations.training_exceptions import (
    AlreadyBooked,
    AttendeeNotConfirmed,
    BookingClosed,
    BookingNotActive,
    BookingOverlap,
    CertificateNotAllowed,
    NoFreeSeat,
    SessionStarted,
    TrainingBookingNotFound,
    TrainingModuleNotFound,
    TrainingSessionNotFound,
)

Status = TrainingBooking.Status
ACTIVE = (Status.CONFIRMED, Status.WAITLISTED)


@dataclass(frozen=True)
class BookingResult:
    booking: TrainingBooking
    waitlist_position: int | None  # 1 = next to be promoted; None when confirmed


def _enqueue_on_commit(task, *args) -> None:
    transaction.on_commit(lambda: task.enqueue(*args))


class SessionPool(capacity.Pool):
    """A training session's seats, then its waiting list.

    Seats freed before the session starts go to the waiting list; after the
    start they go to whoever is at the door (``training_session_check_in``).
    """

    model = TrainingSession
    related = ("module",)  # joined in, not locked

    def waiting(self, row):
        return TrainingBooking.objects.filter(session_id=row.pk, status=Status.WAITLISTED).order_by(
            "created_at", "pk"
        )

    def may_promote(self, row, now):
        return now < row.starts_at

    def confirm(self, row, booking, now):
        from registrations import training_tasks

        booking.status = Status.CONFIRMED
        booking.confirmed_at = now
        booking.save(update_fields=["status", "confirmed_at"])
        _enqueue_on_commit(training_tasks.send_training_promoted_email, booking.pk)

    def announce(self, row):
        stats_changed_on_commit(event_id=row.module.event_id, part="training")


SESSIONS = capacity.register(SessionPool())


def _lock_session(session_id: int) -> TrainingSession:
    return SESSIONS.lock(session_id)


def _overlapping(attendee_id: int, session: TrainingSession, exclude_session_id=None):
    qs = TrainingBooking.objects.filter(
        attendee_id=attendee_id,
        status__in=ACTIVE,
        session__starts_at__lt=session.ends_at,
        session__ends_at__gt=session.starts_at,
    )
    if exclude_session_id:
        qs = qs.exclude(session_id=exclude_session_id)
    return qs.exists()


def _check_booking_rules(
    attendee: Attendee, session: TrainingSession, *, walk_in: bool, now: dt.datetime
) -> None:
    if walk_in:
        if now >= session.ends_at:
            raise BookingClosed()
    elif not session.booking_is_open(now):
        raise BookingClosed()
    if TrainingBooking.objects.filter(
        attendee_id=attendee.pk, module_id=session.module_id, status__in=ACTIVE
    ).exists():
        raise AlreadyBooked()
    if _overlapping(attendee.pk, session):
        raise BookingOverlap()


def _pick_session(attendee: Attendee, module_id: int, now: dt.datetime) -> int:
    """The session a ``{"module": id}`` booking goes to.

    The earliest session still open for booking that does not overlap the
    attendee's other bookings and has a free seat; when all of those are
    full, the earliest of them (its waiting list). Raise AlreadyBooked,
    BookingClosed or BookingOverlap when none qualifies.
    """
    sessions = list(
        TrainingSession.objects.filter(
            module_id=module_id, module__event_id=attendee.event_id
        ).select_related("module")
    )
    if not sessions:
        raise TrainingModuleNotFound()
    if TrainingBooking.objects.filter(
        attendee_id=attendee.pk, module_id=module_id, status__in=ACTIVE
    ).exists():
        raise AlreadyBooked()
    open_sessions = [s for s in sessions if s.booking_is_open(now)]
    if not open_sessions:
        raise BookingClosed()
    candidates = [s for s in open_sessions if not _overlapping(attendee.pk, s)]
    if not candidates:
        raise BookingOverlap()
    with_room = [s for s in candidates if s.free_seats > 0]
    return (with_room or candidates)[0].pk


@transaction.atomic
def training_booking_create(
    *,
    attendee_id: int,
    session_id: int | None = None,
    module_id: int | None = None,
    walk_in: bool = False,
    now: dt.datetime | None = None,
) -> BookingResult:
    """Book a seat in a session, or a place on its waiting list when full.

    Give ``session_id``, or ``module_id`` to let ``_pick_session`` choose.
    ``walk_in`` (staff at the door) books past the online closing time, until
    the session ends. Raise AttendeeNotConfirmed, TrainingSessionNotFound,
    TrainingModuleNotFound, BookingClosed, AlreadyBooked or BookingOverlap.
    Lock: the attendee row, then the session row.
    """
    now = now or timezone.now()
    attendee = Attendee.objects.select_for_update().get(pk=attendee_id)
    if attendee.status != Attendee.Status.CONFIRMED:
        raise AttendeeNotConfirmed()
    if session_id is None:
        if module_id is None:
            raise TrainingSessionNotFound()
        session_id = _pick_session(attendee, module_id, now)
    try:
        session = _lock_session(session_id)
    except TrainingSession.DoesNotExist:
        raise TrainingSessionNotFound() from None
    if session.module.event_id != attendee.event_id:
        raise TrainingSessionNotFound()
    _check_booking_rules(attendee, session, walk_in=walk_in, now=now)

    confirmed = SESSIONS.take(session)
    try:
        with transaction.atomic():
            booking = TrainingBooking.objects.create(
                session=session,
                module_id=session.module_id,
                attendee=attendee,
                status=Status.CONFIRMED if confirmed else Status.WAITLISTED,
                confirmed_at=now if confirmed else None,
                walk_in=walk_in,
            )
    except IntegrityError:
        raise AlreadyBooked() from None  # the whole booking, seat included, rolls back
    if not confirmed:
        SESSIONS.announce(session)  # the waiting list grew
    return BookingResult(booking=booking, waitlist_position=waitlist_position(booking))


@transaction.atomic
def training_booking_cancel(
    *, booking_id: int, attendee_id: int | None = None, now: dt.datetime | None = None
) -> list[TrainingBooking]:
    """Cancel a booking; promote and e-mail the first waitlisted people into a freed seat.

    ``attendee_id`` restricts the booking to that attendee's (the ticket
    holder cancelling their own). Return the promoted bookings. Raise
    TrainingBookingNotFound or BookingNotActive. Lock: the session row, then
    the booking.
    """
    now = now or timezone.now()
    lookup = TrainingBooking.objects.filter(pk=booking_id)
    if attendee_id is not None:
        lookup = lookup.filter(attendee_id=attendee_id)
    session_id = lookup.values_list("session_id", flat=True).first()
    if session_id is None:
        raise TrainingBookingNotFound()
    session = _lock_session(session_id)
    booking = TrainingBooking.objects.select_for_update().get(pk=booking_id)
    if not booking.is_active:
        raise BookingNotActive()
    was_confirmed = booking.status == Status.CONFIRMED
    booking.status = Status.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    promoted = SESSIONS.release(session, 1 if was_confirmed else 0, now=now)
    if not (was_confirmed or promoted):
        SESSIONS.announce(session)  # the waiting list shrank
    return promoted


@transaction.atomic
def training_booking_switch(
    *, booking_id: int, attendee_id: int, session_id: int, now: dt.datetime | None = None
) -> BookingResult:
    """Move a waiting-list place to another session of the module that has a
    free seat: the seat is taken and the old place given up, together.

    Raise TrainingBookingNotFound, BookingNotActive (not on a waiting list),
    TrainingSessionNotFound (another module's), NoFreeSeat, and what
    ``training_booking_create`` raises; nothing changes then. Lock: both
    session rows in id order, then as ``training_booking_create``.
    """
    now = now or timezone.now()
    booking = TrainingBooking.objects.filter(pk=booking_id, attendee_id=attendee_id).first()
    if booking is None:
        raise TrainingBookingNotFound()
    for locked in sorted({booking.session_id, session_id}):  # one order: no deadlock
        try:
            _lock_session(locked)
        except TrainingSession.DoesNotExist:
            raise TrainingSessionNotFound() from None
    booking.refresh_from_db()
    if booking.status != Status.WAITLISTED:
        raise BookingNotActive()
    target = TrainingSession.objects.get(pk=session_id)
    if target.module_id != booking.module_id or target.pk == booking.session_id:
        raise TrainingSessionNotFound()
    if target.free_seats <= 0:
        raise NoFreeSeat()
    training_booking_cancel(booking_id=booking.pk, attendee_id=attendee_id, now=now)
    return training_booking_create(attendee_id=attendee_id, session_id=session_id, now=now)


@transaction.atomic
def training_bookings_cancel_for_attendee(*, attendee_id: int) -> int:
    """Cancel every active booking of an attendee (their registration was cancelled).

    Return how many were cancelled. Lock: each session row in primary-key
    order, through ``training_booking_cancel``.
    """
    bookings = list(
        TrainingBooking.objects.filter(attendee_id=attendee_id, status__in=ACTIVE)
        .order_by("session_id")
        .values_list("pk", flat=True)
    )
    for booking_id in bookings:
        training_booking_cancel(booking_id=booking_id)
    return len(bookings)


@transaction.atomic
def training_waitlist_promote(*, session_id: int) -> list[TrainingBooking]:
    """Promote waitlisted people into free seats (after a capacity increase).

    Lock: the session row.
    """
    session = _lock_session(session_id)
    promoted = SESSIONS.promote(session)
    if promoted:
        SESSIONS.announce(session)
    return promoted


def training_session_update(
    *, session_id: int, capacity: int, **changes
) -> tuple[TrainingSession, list[TrainingBooking]]:
    """Change a session's seats, times or other settings (the organizer's edit).

    Raising the seats promotes waitlisted people (before the start); the
    live totals are told after the commit. Raise CapacityBelowTaken when
    ``capacity`` is below the seats taken. Return the session and the
    promoted bookings. Lock: the session row.
    """
    return SESSIONS.resize(session_id, capacity, **changes)


def _session_snapshot(session: TrainingSession) -> dict:
    """What the e-mails need of a session that goes with this transaction:
    the module's title and the room in every language, the times, the fair.

    The e-mail tasks run after the commit, when the rows are gone, so they
    are given these values instead of the usual primary keys (STYLE.md §2).
    """
    module = session.module
    return {
        "event_id": module.event_id,
        "module": {name: getattr(module, name) for name in get_translation_fields("title")},
        "room": {name: getattr(session, name) for name in get_translation_fields("room")},
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
    }


def _require_organizer(user, event_id: int) -> None:
    if user is not None and not has_event_role(user, event_id, StaffRole.Role.ORGANIZER):
        raise PermissionDenied()


@transaction.atomic
def training_session_cancel(*, session_id: int, user=None, now: dt.datetime | None = None) -> int:
    """Cancel a session that will not take place: its bookings are cancelled,
    everyone booked is told, and the session is deleted.

    Every active booking, seat or waiting list, is cancelled; after the
    commit each person is e-mailed in their own language, and the live
    totals drop the session. One ``training_cancel`` audit row counts them
    (ids and counts, no names). Then the session goes, with its bookings: a
    session is never kept as "cancelled", it would stay open for booking.
    A session without people booked is simply deleted.

    ``user`` must organize the fair (the admin); None for the code itself.
    Return how many people were booked. Raise TrainingSessionNotFound,
    PermissionDenied, or SessionStarted when the session has started with
    people booked (its roster, check-ins and certificates are its record).
    Lock: the session row, then its bookings.
    """
    from registrations import training_tasks

    now = now or timezone.now()
    event_id = (
        TrainingSession.objects.filter(pk=session_id)
        .values_list("module__event_id", flat=True)
        .first()
    )
    if event_id is None:
        raise TrainingSessionNotFound()
    _require_organizer(user, event_id)
    try:
        session = _lock_session(session_id)
    except TrainingSession.DoesNotExist:
        raise TrainingSessionNotFound() from None
    bookings = list(
        TrainingBooking.objects.select_for_update()
        .filter(session_id=session.pk, status__in=ACTIVE)
        .order_by("status", "created_at", "pk")
    )
    if bookings and now >= session.starts_at:
        raise SessionStarted()
    if bookings:
        snapshot = _session_snapshot(session)
        for booking in bookings:
            _enqueue_on_commit(
                training_tasks.send_training_session_cancelled_email,
                booking.attendee_id,
                snapshot,
                booking.status,
            )
        TrainingBooking.objects.filter(pk__in=[b.pk for b in bookings]).update(
            status=Status.CANCELLED, cancelled_at=now
        )
        confirmed = sum(b.status == Status.CONFIRMED for b in bookings)
        start = timezone.localtime(session.starts_at)
        personal_data_access_log(
            user=user,
            event_id=event_id,
            action=AuditLog.Action.TRAINING_CANCEL,
            detail=(
                f"training session {session.pk} of module {session.module_id} "
                f"({start:%Y-%m-%d %H:%M}) cancelled and deleted: {confirmed} with a seat "
                f"and {len(bookings) - confirmed} waiting told by e-mail"
            ),
        )
    SESSIONS.announce(session)
    session.delete()
    return len(bookings)


@transaction.atomic
def training_module_delete(*, module_id: int, user=None, now: dt.datetime | None = None) -> int:
    """Delete a training module, cancelling each of its sessions first
    (``training_session_cancel``: everyone booked is told).

    ``user`` must organize the fair. Return how many people were booked.
    Raise TrainingModuleNotFound, PermissionDenied or SessionStarted (then
    nothing changes). Lock: each session row in primary-key order, then its
    bookings.
    """
    event_id = (
        TrainingModule.objects.filter(pk=module_id).values_list("event_id", flat=True).first()
    )
    if event_id is None:
        raise TrainingModuleNotFound()
    _require_organizer(user, event_id)
    sessions = TrainingSession.objects.filter(module_id=module_id).order_by("pk")
    told = sum(
        training_session_cancel(session_id=pk, user=user, now=now)
        for pk in sessions.values_list("pk", flat=True)
    )
    TrainingModule.objects.filter(pk=module_id).delete()
    return told


def _release_session(session_id: int, now: dt.datetime) -> int:
    with transaction.atomic():
        session = _lock_session(session_id)
        if not (session.no_show_release_at <= now < session.ends_at):
            return 0
        no_shows = list(
            TrainingBooking.objects.select_for_update().filter(
                session_id=session.pk, status=Status.CONFIRMED, checked_in_at__isnull=True
            )
        )
        for booking in no_shows:
            booking.status = Status.RELEASED
            booking.cancelled_at = now
            booking.save(update_fields=["status", "cancelled_at"])
        # After the start nobody is promoted: the seats go to the door.
        SESSIONS.release(session, len(no_shows), now=now)
        return len(no_shows)


def training_no_shows_release(
    *, session_id: int | None = None, now: dt.datetime | None = None
) -> int:
    """Free the seats of confirmed people not checked in by the release time.

    Acts on running sessions past their no-show release time (one session
    when ``session_id`` is given); idempotent, so cron may call it every
    minute and the door check-in calls it before seating a walk-in. Each
    session is released in its own transaction. Return the seats freed.
    Lock: each session row, then its bookings.
    """
    now = now or timezone.now()
    sessions = TrainingSession.objects.filter(starts_at__lte=now, ends_at__gt=now)
    if session_id is not None:
        sessions = sessions.filter(pk=session_id)
    return sum(
        _release_session(pk, now) for pk in sessions.order_by("pk").values_list("pk", flat=True)
    )


# --- Certificates -------------------------------------------------------------


@transaction.atomic
def certificate_issue(*, booking_id: int, send_email: bool = True) -> Certificate:
    """Issue (once) the certificate of a checked-in booking; e-mail it after commit.

    Issuing again returns the existing certificate and sends nothing. Raise
    CertificateNotAllowed unless the booking is confirmed and checked in.
    Lock: the booking row.
    """
    from registrations import training_tasks

    try:
        booking = (
            TrainingBooking.objects.select_for_update(of=("self",))
            .select_related("attendee")
            .get(pk=booking_id)
        )
    except TrainingBooking.DoesNotExist:
        raise TrainingBookingNotFound() from None
    if booking.status != Status.CONFIRMED or booking.checked_in_at is None:
        raise CertificateNotAllowed()
    certificate, created = Certificate.objects.get_or_create(booking=booking)
    if created and send_email and booking.attendee.email:
        _enqueue_on_commit(training_tasks.send_certificate_email, certificate.pk)
    return certificate


def certificates_issue_bulk(*, session_id: int, send_email: bool = True) -> int:
    """Issue the certificates of everyone checked in to a session.

    Each certificate commits on its own, so a progress page (see
    ``selectors.training.certificate_progress``) sees them arrive. Return how
    many were issued now.
    """
    pending = list(
        TrainingBooking.objects.filter(
            session_id=session_id,
            status=Status.CONFIRMED,
            checked_in_at__isnull=False,
            certificate__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for booking_id in pending:
        certificate_issue(booking_id=booking_id, send_email=send_email)
    return len(pending)
