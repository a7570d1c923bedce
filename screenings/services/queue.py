"""The day's queues: joining, calling the next person, and the visit itself.

Every change locks the service's ``Queue`` row first (``select_for_update``),
then reads and writes its entries. That one lock makes numbers unique and
gap-free, gives every change its own ``seq``, and means two stations calling
at the same instant are served one after the other: they can never get the
same person. The broadcast of each change is registered with ``on_commit``.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from eventhub.core.realtime import broadcast_many_on_commit, stats_changed_on_commit
from registrations.exceptions import AttendeeCancelled, TicketNotFound
from registrations.models import Attendee, Ticket
from registrations.ticket_codes import parse_scan
from screenings import realtime
from screenings.exceptions import (
    AttendeeNotConfirmed,
    ConsentRequired,
    InvalidTransition,
    QueueEntryNotFound,
    ServiceClosed,
    StationNotFound,
    StationPaused,
)
from screenings.models import (
    FLAG_LABELS,
    Appointment,
    HealthDataAccess,
    Queue,
    QueueEntry,
    Service,
    Station,
)
from screenings.selectors.queue import (
    board_figures,
    entry_position_and_wait,
    next_waiting_entry,
)
from screenings.services.access import health_access_log
from screenings.services.appointments import eligibility_check

# An appointment holder who arrives later than this after their slot ended
# has missed it and joins as a walk-in.
MISSED_GRACE = dt.timedelta(minutes=15)
Status = QueueEntry.Status
Kind = QueueEntry.Kind


@dataclass(frozen=True)
class JoinResult:
    entry: QueueEntry
    created: bool
    position: int | None
    estimated_wait_minutes: int | None

    @property
    def number(self) -> str:
        return self.entry.label


def queue_lock(*, service_id: int) -> Queue:
    """Lock and return the service's queue row, creating it on first use."""
    queue = Queue.objects.select_for_update().filter(service_id=service_id).first()
    if queue is None:
        try:
            with transaction.atomic():
                Queue.objects.create(service_id=service_id)
        except IntegrityError:
            pass  # created by a concurrent request: lock theirs
        queue = Queue.objects.select_for_update().get(service_id=service_id)
    return queue


def _publish(queue: Queue, message_type: str, entry: QueueEntry | None = None, **extra) -> None:
    """Bump the queue's seq (caller holds its lock) and broadcast after commit."""
    queue.seq += 1
    queue.save(update_fields=["seq", "last_number"])
    service = queue.service  # board_figures reads it too: one query
    public, console = dict(extra), dict(extra)
    if entry is not None:
        if not _loaded_for_broadcast(entry):
            entry = QueueEntry.objects.select_related("station", "appointment__slot").get(
                pk=entry.pk
            )
        public["entry"] = realtime.public_entry(entry, service_code=service.code)
        console["entry"] = realtime.console_entry(entry, service_code=service.code)
    figures = board_figures(queue=queue, with_recent=True)
    public.update(figures)
    console.update({k: v for k, v in figures.items() if k != "recent"})  # boards only
    seq = queue.seq
    broadcast_many_on_commit(
        [
            (realtime.queue_group(service.pk), realtime.delta(message_type, seq, **public)),
            (realtime.console_group(service.pk), realtime.delta(message_type, seq, **console)),
        ]
    )
    stats_changed_on_commit(event_id=service.event_id, part="screenings")


def _loaded_for_broadcast(entry: QueueEntry) -> bool:
    """Whether ``entry`` holds what the messages show (its station, its
    appointment's slot) already, as call-next's does: then it is not read again."""
    fields = QueueEntry._meta
    if not (fields.get_field("station").is_cached(entry)):
        return False
    if not fields.get_field("appointment").is_cached(entry):
        return False
    appointment = entry.appointment
    return appointment is None or type(appointment)._meta.get_field("slot").is_cached(appointment)


def _attendee_flags(attendee: Attendee) -> list[str]:
    flags = []
    if attendee.needs_transport:
        flags.append("free_transport")
    if attendee.accessibility_needs:
        flags.append("accessibility")
    return flags


def _ticket_attendee(*, event_id: int, ticket: str) -> Attendee:
    scanned = parse_scan(ticket or "")
    if scanned is None or (scanned.event_id is not None and scanned.event_id != event_id):
        raise TicketNotFound()
    found = (
        Ticket.objects.select_related("attendee")
        .filter(code=scanned.code, attendee__event_id=event_id)
        .first()
    )
    if found is None:
        raise TicketNotFound()
    if found.attendee.status == Attendee.Status.CANCELLED:
        raise AttendeeCancelled()
    return found.attendee


@transaction.atomic
def queue_join(
    *,
    service_id: int,
    ticket: str | None = None,
    walk_in: dict | None = None,
    now: dt.datetime | None = None,
    extra_flags: list[str] | tuple[str, ...] = (),
) -> JoinResult:
    """Give a person a number in the service's queue.

    ``ticket`` (a scanned QR payload or a typed code) for registered people;
    ``walk_in`` ``{"first_name", "region", "category", "flags"}`` for people
    without a ticket. An appointment holder is due at their slot time; one
    who missed their slot, and everyone else, joins as a walk-in. A person
    already in the queue gets their number back (``created=False``).
    ``extra_flags`` (from eligibility answers) are added to a ticket's entry.
    Raise TicketNotFound or AttendeeCancelled. Lock: the queue row.
    """
    now = now or timezone.now()
    service = Service.objects.get(pk=service_id)
    attendee = None
    if ticket is not None:
        attendee = _ticket_attendee(event_id=service.event_id, ticket=ticket)
    queue = queue_lock(service_id=service_id)

    if attendee is not None:
        existing = (
            QueueEntry.objects.filter(queue=queue, attendee=attendee)
            .filter(status__in=[Status.WAITING, Status.CALLED, Status.IN_PROGRESS])
            .first()
        )
        if existing is not None:
            existing.queue = queue
            position, wait = entry_position_and_wait(entry=existing)
            return JoinResult(existing, False, position, wait)

    entry = QueueEntry(queue=queue, kind=Kind.WALK_IN, due_at=now)
    if attendee is not None:
        appointment = (
            Appointment.objects.select_related("slot")
            .filter(service_id=service_id, attendee=attendee, status=Appointment.Status.BOOKED)
            .first()
        )
        flags = _attendee_flags(attendee)
        if appointment is not None:
            entry.appointment = appointment
            flags = list(appointment.flags) + flags
            if now <= appointment.slot.ends_at + MISSED_GRACE:
                entry.kind = Kind.APPOINTMENT
                entry.due_at = appointment.slot.starts_at
            else:
                flags.append("missed_slot")
        entry.attendee = attendee
        entry.first_name = attendee.first_name
        entry.region_id = attendee.region_id
        entry.category = attendee.category
        entry.flags = flags + [f for f in extra_flags if f not in flags]
    else:
        data = walk_in or {}
        entry.first_name = str(data.get("first_name", "")).strip()[:100]
        entry.region_id = data.get("region") or None
        entry.category = str(data.get("category") or Attendee.Category.CITIZEN)[:16]
        entry.flags = [f for f in data.get("flags") or [] if f in FLAG_LABELS]

    queue.last_number += 1
    entry.number = queue.last_number
    entry.save()
    _publish(queue, realtime.ENTRY_ADDED, entry)
    entry.queue = queue
    position, wait = entry_position_and_wait(entry=entry)
    return JoinResult(entry, True, position, wait)


@transaction.atomic
def queue_join_self(
    *,
    service_id: int,
    ticket: str,
    health_consent: bool,
    answers: dict | None = None,
    age: int | None = None,
    sex: str = "",
    now: dt.datetime | None = None,
) -> JoinResult:
    """A visitor joins the queue on their own (self check-in kiosk).

    The same rules as booking online: a confirmed registration, the health
    consent and the service's eligibility answers, unless an active
    appointment for the service already holds them. Only a service with an
    open station takes people this way. Raise ServiceClosed, TicketNotFound,
    AttendeeCancelled, AttendeeNotConfirmed, ConsentRequired,
    AnswersIncomplete or NotEligible. The entry and the consent's row in
    the health-data log commit together. Lock: the queue row.
    """
    service = Service.objects.get(pk=service_id)
    if not service.stations.filter(is_open=True).exists():
        raise ServiceClosed()
    attendee = _ticket_attendee(event_id=service.event_id, ticket=ticket)
    if attendee.status != Attendee.Status.CONFIRMED:
        raise AttendeeNotConfirmed()
    on_record = Appointment.objects.filter(
        service=service, attendee=attendee, status=Appointment.Status.BOOKED
    ).exists()
    flags = []
    if not on_record:
        if health_consent is not True:
            raise ConsentRequired()
        sex = sex or (attendee.gender if attendee.gender in ("female", "male") else "")
        _answers, flags = eligibility_check(
            service=service, answers=answers or {}, age=age, sex=sex
        )
    result = queue_join(service_id=service_id, ticket=ticket, now=now, extra_flags=flags)
    if result.created and not on_record:
        health_access_log(
            event_id=service.event_id,
            actor="ticket holder",
            action=HealthDataAccess.Action.BOOK,
            what=f"queue entry {result.entry.pk} ({service.code}), consent at a kiosk",
            attendee_id=attendee.pk,
            service_id=service.pk,
        )
    return result


def _station(station_id: int) -> Station:
    station = Station.objects.filter(pk=station_id).first()
    if station is None:
        raise StationNotFound()
    return station


@transaction.atomic
def queue_call_next(*, station_id: int, now: dt.datetime | None = None) -> QueueEntry | None:
    """Call the next person in serving order to the station; None when nobody waits.

    Raise StationNotFound or StationPaused. Lock: the queue row. The entry
    returned has its station and appointment slot loaded (the console shows
    them).
    """
    # Lock the queue through the station: one query on the doctor's path.
    queue = (
        Queue.objects.select_for_update(of=("self",))
        .filter(service__stations__pk=station_id)
        .order_by()
        .first()
    )
    if queue is None:  # no such station, or its queue was never created
        queue = queue_lock(service_id=_station(station_id).service_id)
    # Read under the lock: a pause committed just before is seen.
    station = Station.objects.select_related("service").get(pk=station_id)
    if not station.is_open:
        raise StationPaused()
    queue.service = station.service  # _publish reads it
    entry = next_waiting_entry(queue_id=queue.pk, station_id=station.pk, now=now)
    if entry is None:
        return None
    entry.status = Status.CALLED
    entry.station = station
    entry.called_at = timezone.now()
    entry.save(update_fields=["status", "station", "called_at"])
    _publish(queue, realtime.ENTRY_CALLED, entry)
    return entry


def _locked_entry(entry_id: int) -> tuple[Queue, QueueEntry]:
    service_id = (
        QueueEntry.objects.filter(pk=entry_id).values_list("queue__service_id", flat=True).first()
    )
    if service_id is None:
        raise QueueEntryNotFound()
    queue = queue_lock(service_id=service_id)
    entry = QueueEntry.objects.select_related("appointment", "station").get(pk=entry_id)
    return queue, entry


def _require(entry: QueueEntry, *statuses: str) -> None:
    if entry.status not in statuses:
        raise InvalidTransition(status=entry.status)


@transaction.atomic
def queue_entry_start(*, entry_id: int) -> QueueEntry:
    """The called person sits down: the examination starts. Lock: the queue row."""
    queue, entry = _locked_entry(entry_id)
    _require(entry, Status.CALLED)
    entry.status = Status.IN_PROGRESS
    entry.started_at = timezone.now()
    entry.save(update_fields=["status", "started_at"])
    _publish(queue, realtime.ENTRY_UPDATED, entry)
    return entry


@transaction.atomic
def queue_entry_complete(
    *, entry_id: int, referral_recommended: bool = False, note: str = ""
) -> QueueEntry:
    """Finish the visit, with the doctor's optional referral tick and short note.

    No diagnosis is stored. Lock: the queue row.
    """
    queue, entry = _locked_entry(entry_id)
    _require(entry, Status.CALLED, Status.IN_PROGRESS)
    now = timezone.now()
    entry.status = Status.DONE
    entry.started_at = entry.started_at or entry.called_at or now
    entry.finished_at = now
    entry.referral_recommended = bool(referral_recommended)
    entry.note = (note or "").strip()[:500]
    entry.save(
        update_fields=["status", "started_at", "finished_at", "referral_recommended", "note"]
    )
    if entry.appointment_id:
        Appointment.objects.filter(pk=entry.appointment_id).update(
            status=Appointment.Status.ATTENDED,
            referral_recommended=entry.referral_recommended,
            note=entry.note,
        )
    _publish(queue, realtime.ENTRY_REMOVED, entry)
    return entry


@transaction.atomic
def queue_entry_no_show(*, entry_id: int) -> QueueEntry:
    """The person did not come when called. Lock: the queue row."""
    queue, entry = _locked_entry(entry_id)
    _require(entry, Status.WAITING, Status.CALLED)
    entry.status = Status.NO_SHOW
    entry.finished_at = timezone.now()
    entry.save(update_fields=["status", "finished_at"])
    if entry.appointment_id and entry.kind == Kind.APPOINTMENT:
        Appointment.objects.filter(
            pk=entry.appointment_id, status=Appointment.Status.BOOKED
        ).update(status=Appointment.Status.NO_SHOW)
    _publish(queue, realtime.ENTRY_REMOVED, entry)
    return entry


@transaction.atomic
def queue_entry_recall(*, entry_id: int) -> QueueEntry:
    """Call the same person again (boards announce the number anew). Lock: the queue row."""
    queue, entry = _locked_entry(entry_id)
    _require(entry, Status.CALLED)
    entry.recalls += 1
    entry.called_at = timezone.now()
    entry.save(update_fields=["recalls", "called_at"])
    _publish(queue, realtime.ENTRY_CALLED, entry)
    return entry


@transaction.atomic
def queue_entry_hand_over(*, entry_id: int, station_id: int) -> QueueEntry:
    """Send the person to another station of the service: they wait for it next.

    Raise StationNotFound for a station of another service. Lock: the queue row.
    """
    queue, entry = _locked_entry(entry_id)
    target = Station.objects.filter(pk=station_id, service_id=queue.service_id).first()
    if target is None:
        raise StationNotFound()
    _require(entry, Status.WAITING, Status.CALLED, Status.IN_PROGRESS)
    entry.status = Status.WAITING
    entry.station = target
    entry.called_at = None
    entry.started_at = None
    entry.save(update_fields=["status", "station", "called_at", "started_at"])
    _publish(queue, realtime.ENTRY_UPDATED, entry)
    return entry


@transaction.atomic
def queue_entry_cancel(*, entry_id: int) -> QueueEntry:
    """Take the person out of the queue (they left). Lock: the queue row."""
    queue, entry = _locked_entry(entry_id)
    _require(entry, Status.WAITING, Status.CALLED)
    entry.status = Status.CANCELLED
    entry.finished_at = timezone.now()
    entry.save(update_fields=["status", "finished_at"])
    _publish(queue, realtime.ENTRY_REMOVED, entry)
    return entry


@transaction.atomic
def station_set_open(*, station_id: int, is_open: bool) -> Station:
    """Pause or reopen a station. Lock: the queue row."""
    service_id = _station(station_id).service_id
    queue = queue_lock(service_id=service_id)
    station = Station.objects.get(pk=station_id)
    if station.is_open != is_open:
        station.is_open = is_open
        station.save(update_fields=["is_open"])
        _publish(queue, realtime.STATION_UPDATED, station=realtime.station_payload(station))
    return station
