"""Reads of a person's screening appointments and queue numbers."""

from django.db.models import QuerySet

from screenings.models import Appointment, QueueEntry, format_number


def appointments_for_attendee(*, attendee_id: int, active_only: bool = False) -> QuerySet:
    qs = Appointment.objects.filter(attendee_id=attendee_id).select_related(
        "slot", "service", "service__event"
    )
    if active_only:
        qs = qs.filter(status=Appointment.Status.BOOKED)
    return qs.order_by("slot__starts_at", "pk")


def queue_entries_for_attendee(*, attendee_id: int) -> list[dict]:
    """The attendee's active queue numbers with position and estimated wait."""
    from screenings.selectors.queue import entry_position_and_wait

    entries = (
        QueueEntry.objects.filter(attendee_id=attendee_id, status__in=["waiting", "called"])
        .select_related("queue__service", "station")
        .order_by("joined_at")
    )
    result = []
    for entry in entries:
        position, wait = entry_position_and_wait(entry=entry)
        result.append(
            {
                "entry": entry,
                "number": format_number(entry.queue.service.code, entry.number),
                "service": entry.queue.service,
                "position": position,
                "estimated_wait_minutes": wait,
            }
        )
    return result
