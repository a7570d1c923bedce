"""Reads of the queues: the serving order, positions, waits and snapshots.

Serving order (``serving_order``), for a station:

0. people handed over to a station by another one (for a station, only
   those handed to it; people handed to another station are not its to call);
1. appointment holders whose slot has come (from ``EARLY`` before its start),
   earliest slot first;
2. walk-ins, including people who missed their slot, first come first served:
   they fill the gaps between appointments and the free stations;
3. appointment holders who came early, earliest slot first.

Boards, consoles and the attendee's page all read this one order, and
``queue_call_next`` takes its first entry that the calling station may take,
so a board's NEXT is exactly who the stations will call.

The estimated wait (``wait_minutes``, the one place it is computed) is
``ceil(ahead × m / open stations)``, where ``m`` is a smoothed service time:
an exponentially weighted mean of the last ``RECENT_SERVICE_SAMPLE``
examinations, oldest first, starting from the service's planned duration,

    m₀ = planned;  mₖ = mₖ₋₁ + SMOOTHING × (clamp(xₖ) − mₖ₋₁)

with each time ``xₖ`` clamped to [planned / 4, planned × 3], so one very
short or very long visit moves the figure by at most a fifth of the gap.
"""

import datetime as dt
import math

from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.utils import timezone

from screenings import realtime
from screenings.models import Queue, QueueEntry, Service, Station

EARLY = dt.timedelta(minutes=5)
RECENT_SERVICE_SAMPLE = 20
SMOOTHING = 0.2
BOARD_ORDER_LIMIT = 30
RECENT_CALLED_LIMIT = 6
Status = QueueEntry.Status


def _rank(entry: QueueEntry, now: dt.datetime, station_id: int | None) -> tuple:
    if entry.station_id is not None and station_id in (None, entry.station_id):
        group = 0
    elif entry.kind == QueueEntry.Kind.APPOINTMENT and entry.due_at <= now + EARLY:
        group = 1
    elif entry.kind == QueueEntry.Kind.WALK_IN:
        group = 2
    else:
        group = 3
    return (group, entry.due_at, entry.number)


def serving_order(
    entries, *, now: dt.datetime | None = None, station_id: int | None = None
) -> list[QueueEntry]:
    """Waiting entries in the order they will be called (see module docstring).

    With ``station_id``, entries handed over to another station are left out.
    """
    now = now or timezone.now()
    eligible = [
        e
        for e in entries
        if e.station_id is None or station_id is None or e.station_id == station_id
    ]
    return sorted(eligible, key=lambda e: _rank(e, now, station_id))


def _ranked_waiting(*, queue_id: int, now: dt.datetime, station_id: int | None = None):
    """The queue's waiting entries in ``serving_order``, ranked in SQL.

    The same rules as ``_rank``, so reading the head of a long queue costs a
    few rows, not all of them.
    """
    whens = [
        When(kind=QueueEntry.Kind.APPOINTMENT, due_at__lte=now + EARLY, then=Value(1)),
        When(kind=QueueEntry.Kind.WALK_IN, then=Value(2)),
    ]
    entries = QueueEntry.objects.filter(queue_id=queue_id, status=Status.WAITING)
    if station_id is not None:
        whens.insert(0, When(station_id=station_id, then=Value(0)))
        entries = entries.filter(Q(station__isnull=True) | Q(station_id=station_id))
    else:
        whens.insert(0, When(station__isnull=False, then=Value(0)))
    rank = Case(*whens, default=Value(3), output_field=IntegerField())
    return entries.annotate(rank=rank).order_by("rank", "due_at", "number")


def next_waiting_entry(
    *, queue_id: int, station_id: int, now: dt.datetime | None = None
) -> QueueEntry | None:
    """The first entry of ``serving_order`` for the station, with its
    appointment's slot (the console shows the slot time)."""
    now = now or timezone.now()
    entries = _ranked_waiting(queue_id=queue_id, now=now, station_id=station_id)
    return entries.select_related("appointment__slot").first()


def waiting_entries(*, queue_id: int) -> list[QueueEntry]:
    return list(
        QueueEntry.objects.filter(queue_id=queue_id, status=Status.WAITING).select_related(
            "station", "appointment__slot"
        )
    )


def _recent_visits(*, queue: Queue) -> list[QueueEntry]:
    """The last ``RECENT_SERVICE_SAMPLE`` visits that ended at a station (done
    or not come), newest first: one read for the smoothed service time and
    the board's recently called strip."""
    return list(
        QueueEntry.objects.filter(
            queue=queue,
            status__in=[Status.DONE, Status.NO_SHOW],
            station__isnull=False,
            finished_at__isnull=False,
        )
        .select_related("station")
        .order_by("-finished_at", "-pk")[:RECENT_SERVICE_SAMPLE]
    )


def _smoothed_minutes(*, service: Service, visits: list[QueueEntry]) -> float:
    planned = float(max(service.duration_minutes or 1, 1))
    smoothed = planned
    for visit in reversed(visits):  # oldest first
        if visit.status != Status.DONE or visit.started_at is None:
            continue
        minutes = (visit.finished_at - visit.started_at).total_seconds() / 60
        smoothed += SMOOTHING * (min(max(minutes, planned / 4), planned * 3) - smoothed)
    return smoothed


def average_service_minutes(*, queue: Queue, service: Service) -> float:
    """The smoothed service time in minutes (module docstring): the planned
    duration, moved a fifth of the way towards each recent examination."""
    return _smoothed_minutes(service=service, visits=_recent_visits(queue=queue))


def open_station_count(*, service_id: int) -> int:
    return Station.objects.filter(service_id=service_id, is_open=True).count()


def estimate_wait(*, ahead: int, open_stations: int, average_minutes: float) -> int:
    """Minutes until a person with ``ahead`` people before them is called."""
    return int(math.ceil(round(ahead * average_minutes / max(open_stations, 1), 6)))


def wait_minutes(*, queue: Queue, ahead: int, visits: list[QueueEntry] | None = None) -> dict:
    """The estimated wait of a person with ``ahead`` people before them, and
    the smoothed service time it rests on: the one computation every board,
    console and attendee page shows."""
    if visits is None:
        visits = _recent_visits(queue=queue)
    average = _smoothed_minutes(service=queue.service, visits=visits)
    return {
        "average_service_minutes": round(average, 1),
        "estimated_wait_minutes": estimate_wait(
            ahead=ahead,
            open_stations=open_station_count(service_id=queue.service_id),
            average_minutes=average,
        ),
    }


def entry_position_and_wait(*, entry: QueueEntry) -> tuple[int | None, int | None]:
    """1-based position among the waiting and the estimated wait in minutes.

    (0, 0) once called; (None, None) when no longer in the queue.
    """
    if entry.status == Status.CALLED:
        return 0, 0
    if entry.status != Status.WAITING:
        return None, None
    queue = entry.queue
    order = serving_order(waiting_entries(queue_id=queue.pk))
    ids = [e.pk for e in order]
    position = ids.index(entry.pk) + 1 if entry.pk in ids else len(ids)
    wait = wait_minutes(queue=queue, ahead=position - 1)["estimated_wait_minutes"]
    return position, wait


def _queue_for_service(service_id: int) -> Queue:
    queue = Queue.objects.select_related("service").filter(service_id=service_id).first()
    if queue is None:
        queue, _ = Queue.objects.get_or_create(service_id=service_id)
        queue = Queue.objects.select_related("service").get(pk=queue.pk)
    return queue


def _order_changes_at(*, queue_id: int, now: dt.datetime) -> str | None:
    """When the serving order next changes by itself: the earliest moment an
    early appointment holder's slot comes (``EARLY`` before its start).
    Boards and consoles ask for a fresh snapshot then."""
    due = (
        QueueEntry.objects.filter(
            queue_id=queue_id,
            status=Status.WAITING,
            kind=QueueEntry.Kind.APPOINTMENT,
            station__isnull=True,
            due_at__gt=now + EARLY,
        )
        .order_by("due_at")
        .values_list("due_at", flat=True)
        .first()
    )
    return (due - EARLY).isoformat() if due else None


def recently_called(*, queue: Queue, visits: list[QueueEntry] | None = None) -> list[dict]:
    """The last few numbers whose visit ended (done or not come), newest first,
    with the station that called them: a number does not vanish unseen."""
    if visits is None:
        visits = _recent_visits(queue=queue)
    code = queue.service.code
    return [realtime.public_entry(e, service_code=code) for e in visits[:RECENT_CALLED_LIMIT]]


def board_figures(*, queue: Queue, with_recent: bool = False) -> dict:
    """The waiting order and the estimated wait for a newcomer, as boards and
    consoles show them (and, ``with_recent``, the recently called strip).

    Sent with the snapshot and with every delta, so a board never has to
    guess the serving order (appointments first) from arrival numbers.
    ``waiting_order`` holds the ids of the first ``BOARD_ORDER_LIMIT`` people
    (a board shows the next few); ``waiting_count`` counts everyone.
    """
    now = timezone.now()
    ranked = _ranked_waiting(queue_id=queue.pk, now=now)
    order = list(ranked.values_list("pk", flat=True)[:BOARD_ORDER_LIMIT])
    waiting_count = len(order) if len(order) < BOARD_ORDER_LIMIT else ranked.count()
    visits = _recent_visits(queue=queue)
    figures = {
        "waiting_order": order,
        "waiting_count": waiting_count,
        "order_changes_at": _order_changes_at(queue_id=queue.pk, now=now),
        **wait_minutes(queue=queue, ahead=waiting_count, visits=visits),
    }
    if with_recent:
        figures["recent"] = recently_called(queue=queue, visits=visits)
    return figures


def board_snapshot(*, service_id: int) -> dict:
    """What a public board shows: numbers and stations only, never names."""
    queue = _queue_for_service(service_id)
    code = queue.service.code
    entries = QueueEntry.objects.filter(
        queue=queue, status__in=[Status.WAITING, Status.CALLED, Status.IN_PROGRESS]
    ).select_related("station")
    active = list(entries)
    waiting = serving_order([e for e in active if e.status == Status.WAITING])
    serving = sorted(
        (e for e in active if e.status != Status.WAITING),
        key=lambda e: e.called_at or e.joined_at,
        reverse=True,
    )
    stations = Station.objects.filter(service_id=service_id).order_by("position", "pk")
    return {
        "type": "snapshot",
        "seq": queue.seq,
        "service": {"id": queue.service.pk, "code": code, "name": queue.service.name},
        "stations": [realtime.station_payload(s) for s in stations],
        "serving": [realtime.public_entry(e, service_code=code) for e in serving],
        "waiting": [realtime.public_entry(e, service_code=code) for e in waiting],
        **board_figures(queue=queue, with_recent=True),
    }


def screening_live_totals(*, event_id: int) -> list[dict]:
    """People waiting and served per screening service, for the stats board (no names)."""
    services = (
        Service.objects.filter(event_id=event_id)
        .order_by("position", "code")
        .annotate(
            waiting=Count("queue__entries", filter=Q(queue__entries__status=Status.WAITING)),
            served=Count("queue__entries", filter=Q(queue__entries__status=Status.DONE)),
        )
    )
    return [
        {"code": s.code, "name": s.name, "waiting": s.waiting, "served": s.served} for s in services
    ]


def station_console_snapshot(*, station_id: int) -> dict:
    """What a station's doctor sees: its own people and the waiting list.

    Names are first names only, with flags; the caller logs the access.
    """
    station = Station.objects.select_related("service").get(pk=station_id)
    service = station.service
    queue = _queue_for_service(service.pk)
    active = list(
        QueueEntry.objects.filter(
            queue=queue, status__in=[Status.WAITING, Status.CALLED, Status.IN_PROGRESS]
        ).select_related("station", "appointment__slot")
    )
    waiting = serving_order([e for e in active if e.status == Status.WAITING])
    mine = [e for e in active if e.status != Status.WAITING and e.station_id == station.pk]
    stations = Station.objects.filter(service=service).order_by("position", "pk")
    code = service.code
    return {
        "type": "snapshot",
        "seq": queue.seq,
        "service": {"id": service.pk, "code": code, "name": service.name},
        "station": realtime.station_payload(station),
        "stations": [realtime.station_payload(s) for s in stations],
        "current": [realtime.console_entry(e, service_code=code) for e in mine],
        "waiting": [realtime.console_entry(e, service_code=code) for e in waiting],
        **board_figures(queue=queue),
    }
