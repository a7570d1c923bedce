"""Reads of training modules, sessions, bookings and certificates."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from registrations.models import (
    Certificate,
    TrainingBooking,
    TrainingModule,
    TrainingSession,
)
from registrations.ticket_codes import normalize_code

Status = TrainingBooking.Status


def waitlist_position(booking: TrainingBooking) -> int | None:
    """1-based place of a waitlisted booking in its session's queue, else None."""
    if booking.status != Status.WAITLISTED:
        return None
    ahead = TrainingBooking.objects.filter(
        Q(created_at__lt=booking.created_at) | Q(created_at=booking.created_at, pk__lt=booking.pk),
        session_id=booking.session_id,
        status=Status.WAITLISTED,
    ).count()
    return ahead + 1


def _sessions_with_counts() -> QuerySet[TrainingSession]:
    return TrainingSession.objects.annotate(
        waitlisted_count=Count("bookings", filter=Q(bookings__status=Status.WAITLISTED)),
        checked_in_count=Count("bookings", filter=Q(bookings__checked_in_at__isnull=False)),
    ).order_by("starts_at", "pk")


def training_modules_for_event(*, event_id: int) -> list[TrainingModule]:
    """The event's modules, each with ``sessions`` (seat counts annotated)."""
    return list(
        TrainingModule.objects.filter(event_id=event_id)
        .prefetch_related(
            Prefetch("sessions", queryset=_sessions_with_counts().select_related("module"))
        )
        .order_by("title", "pk")
    )


def training_session_get(*, session_id: int, event_id: int | None = None) -> TrainingSession | None:
    qs = _sessions_with_counts().select_related("module", "module__event")
    if event_id is not None:
        qs = qs.filter(module__event_id=event_id)
    return qs.filter(pk=session_id).first()


@dataclass(frozen=True)
class BookingView:
    booking: TrainingBooking
    waitlist_position: int | None

    @property
    def session(self) -> TrainingSession:
        return self.booking.session

    @property
    def certificate(self) -> Certificate | None:
        return getattr(self.booking, "certificate", None)


def training_bookings_for_attendee(
    *, attendee_id: int, include_inactive: bool = False
) -> list[BookingView]:
    """The attendee's bookings (active ones unless asked), earliest session first."""
    qs = TrainingBooking.objects.filter(attendee_id=attendee_id).select_related(
        "session", "session__module", "certificate"
    )
    if not include_inactive:
        qs = qs.filter(status__in=[Status.CONFIRMED, Status.WAITLISTED])
    return [
        BookingView(booking=b, waitlist_position=waitlist_position(b))
        for b in qs.order_by("session__starts_at", "pk")
    ]


def training_session_roster(*, session_id: int) -> list[TrainingBooking]:
    """Everyone booked, waiting, cancelled or released, for the door list."""
    order = {Status.CONFIRMED: 0, Status.WAITLISTED: 1, Status.RELEASED: 2, Status.CANCELLED: 3}
    bookings = list(
        TrainingBooking.objects.filter(session_id=session_id)
        .select_related("attendee", "attendee__ticket", "certificate")
        .order_by("created_at", "pk")
    )
    return sorted(bookings, key=lambda b: order.get(b.status, 9))


def training_bookings_active(
    *, session_ids: Iterable[int] = (), module_ids: Iterable[int] = ()
) -> list[TrainingBooking]:
    """The active bookings (seats, then waiting lists) of the sessions, or of
    every session of the modules, with their people: whom cancelling those
    sessions tells (``training_session_cancel``)."""
    lookup = Q(session_id__in=list(session_ids)) | Q(module_id__in=list(module_ids))
    return list(
        TrainingBooking.objects.filter(lookup, status__in=[Status.CONFIRMED, Status.WAITLISTED])
        .select_related("attendee", "session", "session__module")
        .order_by("session__starts_at", "session_id", "status", "created_at", "pk")
    )


def training_sessions_not_cancellable(
    *,
    session_ids: Iterable[int] = (),
    module_ids: Iterable[int] = (),
    now: dt.datetime | None = None,
) -> list[tuple[TrainingSession, int]]:
    """The sessions (given, or of the modules) that have started with people
    still booked, each with how many: ``training_session_cancel`` refuses
    them (SessionStarted), so the admin does not offer to delete them."""
    now = now or timezone.now()
    lookup = Q(pk__in=list(session_ids)) | Q(module_id__in=list(module_ids))
    sessions = (
        TrainingSession.objects.filter(lookup, starts_at__lte=now)
        .annotate(
            active=Count(
                "bookings", filter=Q(bookings__status__in=[Status.CONFIRMED, Status.WAITLISTED])
            )
        )
        .filter(active__gt=0)
        .select_related("module")
        .order_by("starts_at", "pk")
    )
    return [(session, session.active) for session in sessions]


def certificate_get(*, code: str) -> Certificate | None:
    """The certificate with this verification code, or None (also for a malformed code)."""
    normalized = normalize_code(code)
    if normalized is None:
        return None
    return (
        Certificate.objects.select_related("booking__attendee", "booking__session__module__event")
        .filter(code=normalized)
        .first()
    )


def certificate_for_attendee(*, attendee_id: int, code: str) -> Certificate | None:
    certificate = certificate_get(code=code)
    if certificate is None or certificate.booking.attendee_id != attendee_id:
        return None
    return certificate


def certificate_progress(*, session_id: int) -> dict:
    """How far the certificates of a session are: eligible, issued, e-mailed."""
    checked_in = TrainingBooking.objects.filter(
        session_id=session_id, status=Status.CONFIRMED, checked_in_at__isnull=False
    )
    issued = Certificate.objects.filter(booking__session_id=session_id)
    eligible = checked_in.count()
    done = issued.count()
    return {
        "eligible": eligible,
        "issued": done,
        "emailed": issued.filter(emailed_at__isnull=False).count(),
        "percent": 100 if eligible == 0 else round(100 * min(done, eligible) / eligible),
    }


def training_stats(*, event_id: int) -> dict:
    """Live seat figures of every session of the event (stats socket, part "training")."""
    sessions = _sessions_with_counts().filter(module__event_id=event_id).select_related("module")
    return {
        "sessions": [
            {
                "id": s.pk,
                "module": s.module.title,
                "starts_at": s.starts_at.isoformat(),
                "capacity": s.capacity,
                "booked": s.booked_count,
                "free": s.free_seats,
                "waitlisted": s.waitlisted_count,
                "checked_in": s.checked_in_count,
            }
            for s in sessions
        ]
    }
