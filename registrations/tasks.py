"""Background work of registrations: the ticket e-mail with its PDF and .ics.

Enqueued with ``transaction.on_commit`` by the services, so a registration
request never waits for WeasyPrint or SMTP and a rolled-back registration
sends nothing. ``make run`` starts ``manage.py db_worker`` beside the web
server; the tests run tasks immediately (TASKS_IMMEDIATE=1).
"""

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from eventhub.core.links import absolute_url
from eventhub.core.mail import Attachment, send_templated_email
from registrations import hooks
from registrations.models import Attendee, Ticket, TrainingModule

# Why the ticket is (re-)sent; each reason has its own subject and opening line.
REASONS = ("registered", "promoted", "resent")


def ticket_calendar(ticket: Ticket) -> bytes:
    """The event as a calendar file, linking back to the ticket page."""
    from eventhub.core.ics import calendar_bytes

    event = ticket.attendee.event
    place = ", ".join(p for p in (event.venue, event.address, event.city) if p)
    return calendar_bytes(
        uid=f"ticket-{ticket.code}",
        summary=event.name,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        location=place,
        description=event.description,
        url=absolute_url(reverse("ticket", args=[ticket.manage_key])),
    )


def ticket_booking_links(attendee: Attendee) -> list[tuple[str, str]]:
    """What the ticket e-mail invites a confirmed person to book: (label, URL).

    Screenings come from the apps above (``hooks.TICKET_LINKS``); training is
    this app's own. Labels are in the active language.
    """
    if attendee.status != Attendee.Status.CONFIRMED:
        return []
    links = [link for fn in hooks.TICKET_LINKS for link in fn(attendee=attendee)]
    if TrainingModule.objects.filter(event_id=attendee.event_id).exists():
        path = reverse("training-page", args=[attendee.ticket.manage_key])
        links.append((_("Book or manage training seats"), path))
    return [(label, absolute_url(path)) for label, path in links]


def ticket_email_send(*, attendee_id: int, reason: str) -> None:
    """Render and send the ticket e-mail now, in the attendee's language.

    Confirmed attendees get the PDF ticket and the .ics attached; people on
    the waiting list get their place and the link to their page only.
    """
    from registrations.ticket_pdf import ticket_pdf, ticket_pdf_filename

    attendee = Attendee.objects.select_related("event__programme", "ticket").get(pk=attendee_id)
    if not attendee.email or attendee.status == Attendee.Status.CANCELLED:
        return
    ticket = attendee.ticket
    # The organizer's texts in the .ics too speak the attendee's language.
    with translation.override(attendee.language):
        attachments = []
        if attendee.status == Attendee.Status.CONFIRMED:
            attachments = [
                Attachment(ticket_pdf_filename(ticket), ticket_pdf(ticket), "application/pdf"),
                Attachment("event.ics", ticket_calendar(ticket), "text/calendar"),
            ]
        send_templated_email(
            to=attendee.email,
            template_base="emails/registrations/ticket",
            context={
                "attendee": attendee,
                "event": attendee.event,
                "ticket": ticket,
                "reason": reason if reason in REASONS else "resent",
                "manage_url": absolute_url(reverse("ticket", args=[ticket.manage_key])),
                "booking_links": ticket_booking_links(attendee),
            },
            language=attendee.language,
            attachments=attachments,
        )


@task()
def send_ticket_email(attendee_id: int, reason: str) -> None:
    ticket_email_send(attendee_id=attendee_id, reason=reason)
