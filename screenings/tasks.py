"""Background work of screenings: confirmation and reminder e-mails with .ics."""

from django.utils import translation
from django_tasks import task

from eventhub.core.ics import calendar_bytes
from eventhub.core.links import absolute_url
from eventhub.core.mail import Attachment, send_templated_email
from screenings.models import Appointment


def _send(appointment_id: int, template_base: str) -> bool:
    appointment = (
        Appointment.objects.select_related("slot", "service__event", "attendee__ticket")
        .filter(pk=appointment_id, status=Appointment.Status.BOOKED)
        .first()
    )
    if appointment is None or not appointment.attendee.email:
        return False
    service, slot, attendee = appointment.service, appointment.slot, appointment.attendee
    event = service.event
    manage_url = absolute_url(f"/t/{attendee.ticket.manage_key}/screenings/")
    # The organizer's texts in the .ics speak the attendee's language.
    with translation.override(attendee.language or "en"):
        ics = calendar_bytes(
            uid=f"screening-appointment-{appointment.pk}",
            summary=f"{service.name} — {event.name}",
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            location=", ".join(p for p in (event.venue, event.city) if p),
            description=service.preparation,
            url=manage_url,
        )
    send_templated_email(
        to=attendee.email,
        template_base=template_base,
        context={
            "appointment": appointment,
            "service": service,
            "slot": slot,
            "event": event,
            "attendee": attendee,
            "manage_url": manage_url,
            "tz": event.timezone,
        },
        language=attendee.language or "en",
        attachments=[Attachment("screening.ics", ics, "text/calendar")],
    )
    return True


@task()
def appointment_confirmation_send(appointment_id: int) -> bool:
    """E-mail the booking confirmation with a calendar file."""
    return _send(appointment_id, "screenings/email/appointment_confirmed")


@task()
def appointment_reminder_send(appointment_id: int) -> bool:
    """E-mail a reminder before the slot, with the preparation instructions."""
    return _send(appointment_id, "screenings/email/appointment_reminder")
