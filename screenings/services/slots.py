"""Generating a service's bookable slots from a day's schedule, and editing one."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction

from screenings.models import Appointment, Service, Slot
from screenings.services.appointments import SLOTS


@transaction.atomic
def slots_generate(
    *,
    service_id: int,
    day: dt.date,
    start: dt.time,
    end: dt.time,
    duration_minutes: int,
    stations: int,
) -> list[Slot]:
    """Create slots every ``duration_minutes`` from ``start`` until ``end``.

    Each slot holds ``stations`` people (one per station working in
    parallel); a slot that would run past ``end`` is not made. Times are in the
    event's time zone. A slot overlapping an existing one is not made, so
    running it twice changes nothing. Return the new slots.
    """
    if duration_minutes <= 0 or stations <= 0:
        raise ValueError("duration and stations must be positive")
    service = Service.objects.select_related("event").get(pk=service_id)
    tz = ZoneInfo(service.event.timezone)
    step = dt.timedelta(minutes=duration_minutes)
    current = dt.datetime.combine(day, start, tzinfo=tz)
    stop = dt.datetime.combine(day, end, tzinfo=tz)
    existing = list(
        Slot.objects.filter(service=service, starts_at__lt=stop, ends_at__gt=current).values_list(
            "starts_at", "ends_at"
        )
    )
    new = []
    while current + step <= stop:
        end_at = current + step
        if not any(start_at < end_at and current < ends for start_at, ends in existing):
            new.append(Slot(service=service, starts_at=current, ends_at=end_at, capacity=stations))
        current += step
    return Slot.objects.bulk_create(new)


def slot_update(*, slot_id: int, capacity: int, **changes) -> tuple[Slot, list[Appointment]]:
    """Change a slot's capacity (and times); promote people waiting into new places.

    Goes through the slots' capacity pool: the slot row is locked, its
    ``seq`` bumped and the live totals told after the commit. Raise
    CapacityBelowTaken when ``capacity`` is below the places booked. Return
    the slot and the promoted appointments. Lock: the slot row.
    """
    return SLOTS.resize(slot_id, capacity, **changes)
