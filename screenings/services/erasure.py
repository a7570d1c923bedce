"""Erasing a person's screening data: the screenings' part of ``attendee_erase``.

Future appointments are cancelled through ``appointment_cancel`` (the slot's
place frees up) and waiting people leave the queue through
``queue_entry_cancel`` (boards update). What stays is what the programme
report counts: service, status, times, region, category and the "referral
recommended" tick; answers, age, sex, flags, notes and first names go.
"""

from django.db import transaction
from django.utils import timezone

from screenings.models import Appointment, QueueEntry
from screenings.services.appointments import appointment_cancel
from screenings.services.queue import queue_entry_cancel


@transaction.atomic
def screening_places_release(*, attendee_id: int, now=None) -> dict:
    """Cancel the attendee's future appointments and leave their queue places.

    Used when a registration is cancelled and before an erasure. Return
    counts: ``{"appointments_cancelled", "queue_entries_cancelled"}``. Lock:
    each slot row, then each queue row, through the cancel services.
    """
    now = now or timezone.now()
    upcoming = list(
        Appointment.objects.filter(
            attendee_id=attendee_id,
            status__in=[Appointment.Status.BOOKED, Appointment.Status.WAITLISTED],
            slot__starts_at__gt=now,
        )
        .order_by("slot_id")
        .values_list("pk", flat=True)
    )
    for appointment_id in upcoming:
        appointment_cancel(appointment_id=appointment_id)
    waiting = list(
        QueueEntry.objects.filter(
            attendee_id=attendee_id,
            status__in=[QueueEntry.Status.WAITING, QueueEntry.Status.CALLED],
        )
        .order_by("queue_id")
        .values_list("pk", flat=True)
    )
    for entry_id in waiting:
        queue_entry_cancel(entry_id=entry_id)
    return {"appointments_cancelled": len(upcoming), "queue_entries_cancelled": len(waiting)}


@transaction.atomic
def screening_data_erase(*, attendee_id: int, now=None) -> dict:
    """Release the attendee's screening places, then anonymise every
    appointment and queue entry of theirs. Return the counts of
    ``screening_places_release``.
    """
    released = screening_places_release(attendee_id=attendee_id, now=now)
    Appointment.objects.filter(attendee_id=attendee_id).update(
        answers={}, flags=[], age=None, sex="", note=""
    )
    QueueEntry.objects.filter(attendee_id=attendee_id).update(first_name="", flags=[], note="")
    return released


def screening_task_rows(*, attendee_id: int) -> dict[str, list[int]]:
    """The screening e-mails about the person that erasure drops, by task path."""
    appointment_ids = list(
        Appointment.objects.filter(attendee_id=attendee_id).values_list("pk", flat=True)
    )
    return {
        "screenings.tasks.appointment_confirmation_send": appointment_ids,
        "screenings.tasks.appointment_reminder_send": appointment_ids,
    }
