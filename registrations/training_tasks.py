"""Background work of training bookings: e-mails and certificates.

Kept out of ``registrations/tasks.py`` so the training work merges without
conflicts. Tasks take primary keys and are enqueued after commit; the e-mail
of a cancelled session also takes the session's texts, its row being gone.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django_tasks import task

from eventhub.core.mail import Attachment, send_templated_email
from registrations.models import (
    Attendee,
    Certificate,
    TrainingBooking,
    TrainingModule,
    TrainingSession,
)


@task()
def send_training_promoted_email(booking_id: int) -> None:
    """Tell a waitlisted person that a seat freed up and is now theirs."""
    booking = (
        TrainingBooking.objects.select_related(
            "attendee", "attendee__ticket", "session", "session__module", "session__module__event"
        )
        .filter(pk=booking_id, status=TrainingBooking.Status.CONFIRMED)
        .first()
    )
    if booking is None or not booking.attendee.email:
        return
    attendee = booking.attendee
    send_templated_email(
        to=attendee.email,
        template_base="emails/training/promoted",
        context={
            "attendee": attendee,
            "booking": booking,
            "session": booking.session,
            "module": booking.session.module,
            "event": booking.session.module.event,
            "training_path": reverse("training-page", args=[attendee.ticket.manage_key]),
        },
        language=attendee.language,
    )


@task()
def send_training_session_cancelled_email(attendee_id: int, session: dict, status: str) -> None:
    """Tell a person booked on a session (``status``: their seat, or their
    place on its waiting list) that the session was cancelled.

    The session is gone by now (``training_session_cancel``): ``session``
    carries what the e-mail shows of it (``_session_snapshot``), rebuilt
    here into unsaved rows so the texts read in the person's language.
    """
    attendee = (
        Attendee.objects.select_related("ticket", "event")
        .filter(pk=attendee_id, event_id=session["event_id"])
        .first()
    )
    if attendee is None or not attendee.email:
        return
    module = TrainingModule(event=attendee.event, **session["module"])
    cancelled = TrainingSession(
        module=module,
        starts_at=parse_datetime(session["starts_at"]),
        ends_at=parse_datetime(session["ends_at"]),
        **session["room"],
    )
    ticket = getattr(attendee, "ticket", None)
    send_templated_email(
        to=attendee.email,
        template_base="emails/training/session_cancelled",
        context={
            "attendee": attendee,
            "session": cancelled,
            "module": module,
            "event": attendee.event,
            "waitlisted": status == TrainingBooking.Status.WAITLISTED,
            "training_path": (reverse("training-page", args=[ticket.manage_key]) if ticket else ""),
        },
        language=attendee.language,
    )


@task()
def send_certificate_email(certificate_id: int) -> None:
    """E-mail the certificate PDF to its holder and note when it was sent."""
    from registrations.certificate_pdf import (
        certificate_filename,
        render_certificate_pdf,
        verification_url,
    )

    certificate = (
        Certificate.objects.select_related("booking__attendee", "booking__session__module__event")
        .filter(pk=certificate_id)
        .first()
    )
    if certificate is None or not certificate.booking.attendee.email:
        return
    attendee = certificate.booking.attendee
    send_templated_email(
        to=attendee.email,
        template_base="emails/training/certificate",
        context={
            "attendee": attendee,
            "certificate": certificate,
            "module": certificate.booking.session.module,
            "session": certificate.booking.session,
            "event": certificate.booking.session.module.event,
            "verification_url": verification_url(certificate),
        },
        language=attendee.language,
        attachments=[
            Attachment(
                certificate_filename(certificate),
                render_certificate_pdf(certificate),
                "application/pdf",
            )
        ],
    )
    Certificate.objects.filter(pk=certificate_id).update(emailed_at=timezone.now())


@task()
def issue_session_certificates(session_id: int) -> int:
    """Issue (and e-mail) the certificates of everyone checked in to a session."""
    from registrations.services.training import certificates_issue_bulk

    return certificates_issue_bulk(session_id=session_id)
