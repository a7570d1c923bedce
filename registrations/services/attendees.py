"""Registering, cancelling and promoting attendees.

Capacity is owned by the ``Event`` row: every change that may alter the
number of confirmed attendees locks it first (``select_for_update``), then
counts and writes. PostgreSQL serialises those transactions on the row lock;
SQLite (the embedded default) allows a single writer, and its IMMEDIATE
transactions wait for it.

Every change that the person should hear about (registration, promotion
from the waiting list, a re-sent ticket) enqueues the ticket e-mail with
``transaction.on_commit``: it is rendered and sent by the task worker after
the commit, never on the request path, and never for a rolled-back change.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from eventhub.exceptions import RegistrationClosed
from eventhub.models import Event
from registrations.exceptions import AttendeeCancelled, EmailTaken, InvalidLanguage
from registrations.models import Attendee, Ticket
from registrations.services.training import training_bookings_cancel_for_attendee
from registrations.tasks import send_ticket_email

Status = Attendee.Status


@dataclass(frozen=True)
class RegistrationResult:
    attendee: Attendee
    created: bool  # False: this e-mail already held a registration, returned as is


def _lock_event(event_id: int) -> Event:
    return Event.objects.select_for_update().get(pk=event_id)


def _ticket_email_on_commit(attendee_id: int, reason: str) -> None:
    """Send the ticket e-mail in the background once the transaction commits."""
    transaction.on_commit(
        lambda: send_ticket_email.enqueue(attendee_id=attendee_id, reason=reason), robust=True
    )


def _confirmed_count(event_id: int) -> int:
    return Attendee.objects.filter(event_id=event_id, status=Status.CONFIRMED).count()


@transaction.atomic
def attendee_register(
    *,
    event_id: int,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    country: str = "",
    region_id: int | None = None,
    category: str = Attendee.Category.CITIZEN,
    gender: str = "",
    language: str = "en",
    accessibility_needs: str = "",
    needs_transport: bool = False,
    source: str = Attendee.Source.ONLINE,
    enforce_window: bool = True,
) -> RegistrationResult:
    """Register a person: confirmed while there is room, waitlisted after.

    An e-mail that already holds an active registration for the event gets
    that registration back (``created=False``) and its ticket e-mailed again
    to that address; nothing is duplicated. New registrations with an
    e-mail get their ticket e-mail after the commit.
    ``enforce_window=False`` (walk-ins at the gate, staff) skips the opening
    and closing times but not the event's status. Raise RegistrationClosed.
    Lock: the event row.
    """
    event = _lock_event(event_id)
    if event.status != Event.Status.PUBLISHED or (
        enforce_window and not event.registration_is_open()
    ):
        raise RegistrationClosed()
    email = email.strip()
    if email:
        existing = (
            Attendee.objects.filter(event_id=event_id, email__iexact=email)
            .exclude(status=Status.CANCELLED)
            .select_related("ticket")
            .first()
        )
        if existing is not None:
            # The answer to the caller must not reveal this ticket (anyone
            # may type someone else's e-mail): the ticket goes to the
            # registered address instead.
            _ticket_email_on_commit(existing.pk, "resent")
            return RegistrationResult(attendee=existing, created=False)

    now = timezone.now()
    confirmed = _confirmed_count(event_id) < event.capacity
    attendee = Attendee.objects.create(
        event=event,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        phone=phone,
        country=country,
        region_id=region_id,
        category=category,
        gender=gender,
        language=language,
        accessibility_needs=accessibility_needs,
        needs_transport=needs_transport,
        terms_accepted_at=now,
        source=source,
        status=Status.CONFIRMED if confirmed else Status.WAITLISTED,
        confirmed_at=now if confirmed else None,
    )
    Ticket.objects.create(attendee=attendee)
    if email:
        _ticket_email_on_commit(attendee.pk, "registered")
    return RegistrationResult(attendee=attendee, created=True)


@transaction.atomic
def attendee_cancel(*, attendee_id: int) -> list[Attendee]:
    """Cancel a registration and promote waitlisted people into the freed place.

    Return the promoted attendees (first come, first served), who are
    e-mailed their ticket after the commit. Raise
    AttendeeCancelled when it was cancelled already. Lock: the event row,
    then the attendee.
    """
    event_id = Attendee.objects.values_list("event_id", flat=True).get(pk=attendee_id)
    _lock_event(event_id)
    attendee = Attendee.objects.select_for_update().get(pk=attendee_id)
    if attendee.status == Status.CANCELLED:
        raise AttendeeCancelled()
    attendee.status = Status.CANCELLED
    attendee.cancelled_at = timezone.now()
    attendee.save(update_fields=["status", "cancelled_at"])
    # Their training seats go to the next people waiting for them.
    training_bookings_cancel_for_attendee(attendee_id=attendee_id)
    return attendees_promote(event_id=event_id)


@transaction.atomic
def attendees_promote(*, event_id: int) -> list[Attendee]:
    """Confirm waitlisted attendees, oldest first, while the event has room.

    Called after a cancellation or a capacity increase; each promoted person
    is e-mailed their ticket after the commit. Lock: the event row.
    """
    event = _lock_event(event_id)
    free = event.capacity - _confirmed_count(event_id)
    if free <= 0:
        return []
    waiting = list(
        Attendee.objects.select_for_update()
        .filter(event_id=event_id, status=Status.WAITLISTED)
        .order_by("created_at", "pk")[:free]
    )
    now = timezone.now()
    for attendee in waiting:
        attendee.status = Status.CONFIRMED
        attendee.confirmed_at = now
        attendee.save(update_fields=["status", "confirmed_at"])
        if attendee.email:
            _ticket_email_on_commit(attendee.pk, "promoted")
    return waiting


@transaction.atomic
def attendee_ticket_resend(*, event_id: int, email: str) -> bool:
    """E-mail the ticket again to the registered address, if there is one.

    Return whether a registration was found; callers must not tell the
    person either way ("lost my ticket" must not reveal who registered).
    """
    email = email.strip()
    attendee = (
        Attendee.objects.filter(event_id=event_id, email__iexact=email)
        .exclude(status=Status.CANCELLED)
        .only("pk")
        .first()
        if email
        else None
    )
    if attendee is None:
        return False
    _ticket_email_on_commit(attendee.pk, "resent")
    return True


@transaction.atomic
def attendee_update_contact(
    *,
    attendee_id: int,
    first_name: str,
    last_name: str,
    email: str,
    phone: str = "",
) -> Attendee:
    """Change the person's name, e-mail and phone. Raise EmailTaken, AttendeeCancelled.

    Lock: the attendee row.
    """
    attendee = Attendee.objects.select_for_update().get(pk=attendee_id)
    if attendee.status == Status.CANCELLED:
        raise AttendeeCancelled()
    email = email.strip()
    taken = (
        Attendee.objects.filter(event_id=attendee.event_id, email__iexact=email)
        .exclude(status=Status.CANCELLED)
        .exclude(pk=attendee.pk)
        .exists()
    )
    if taken:
        raise EmailTaken(fields={"email": [str(EmailTaken.default_message)]})
    attendee.first_name = first_name.strip()
    attendee.last_name = last_name.strip()
    attendee.email = email
    attendee.phone = phone
    try:
        with transaction.atomic():
            attendee.save(update_fields=["first_name", "last_name", "email", "phone"])
    except IntegrityError as exc:  # a concurrent registration took the address
        raise EmailTaken(fields={"email": [str(EmailTaken.default_message)]}) from exc
    return attendee


@transaction.atomic
def attendee_set_language(*, attendee_id: int, language: str) -> Attendee:
    """Change the language of the person's e-mails and PDF. Raise InvalidLanguage."""
    if language not in dict(settings.LANGUAGES):
        raise InvalidLanguage()
    attendee = Attendee.objects.select_for_update().get(pk=attendee_id)
    attendee.language = language
    attendee.save(update_fields=["language"])
    return attendee
