"""Reads of a person's screening appointments and queue numbers."""

from django.db.models import QuerySet

from screenings.models import Appointment, HealthDataAccess, QueueEntry, format_number


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


def screening_data_export(*, attendee_id: int) -> dict:
    """The screenings' part of a person's "download everything" file."""

    def iso(value):
        return value.isoformat() if value else None

    return {
        "screening_appointments": [
            {
                "service": appointment.service.name,
                "slot_starts_at": iso(appointment.slot.starts_at),
                "status": appointment.status,
                "health_consent_at": iso(appointment.health_consent_at),
                "answers": appointment.answers,
                "age": appointment.age,
                "sex": appointment.sex,
                "flags": appointment.flags,
                "referral_recommended": appointment.referral_recommended,
                "note": appointment.note,
                "booked_at": iso(appointment.created_at),
                "cancelled_at": iso(appointment.cancelled_at),
            }
            for appointment in appointments_for_attendee(attendee_id=attendee_id)
        ],
        "screening_queue": [
            {
                "service": entry.queue.service.name,
                "number": entry.label,
                "kind": entry.kind,
                "first_name": entry.first_name,
                "status": entry.status,
                "flags": entry.flags,
                "station": entry.station.name if entry.station else None,
                "joined_at": iso(entry.joined_at),
                "called_at": iso(entry.called_at),
                "started_at": iso(entry.started_at),
                "finished_at": iso(entry.finished_at),
                "referral_recommended": entry.referral_recommended,
                "note": entry.note,
            }
            for entry in QueueEntry.objects.filter(attendee_id=attendee_id)
            .select_related("queue__service", "station")
            .order_by("joined_at", "pk")
        ],
        "health_data_access": [
            {"at": iso(row.at), "by": row.actor, "action": row.action, "what": row.what}
            for row in HealthDataAccess.objects.filter(attendee_id=attendee_id).order_by("at")
        ],
    }
