"""Registering, cancelling and promoting attendees.

Capacity is owned by the ``Event`` row and kept by the fair's pool of the
capacity engine (``FAIR``, eventhub/core/capacity.py, docs/capacity.md):
every change that may alter the number of confirmed attendees locks the
event row first (``select_for_update``), then moves ``confirmed_count``,
which a check constraint keeps within ``capacity``. PostgreSQL serialises
those transactions on the row lock; SQLite (the embedded default) allows a
single writer, and its IMMEDIATE transactions wait for it. Lock order: the
event, then the attendee (registration, cancel and erasure alike).

Every change that the person should hear about (registration, promotion
from the waiting list, a re-sent ticket) enqueues the ticket e-mail with
``transaction.on_commit``: it is rendered and sent by the task worker after
the commit, never on the request path, and never for a rolled-back change.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from eventhub.core import capacity
from eventhub.core.exceptions import RegistrationClosed
from eventhub.core.models import Event
from eventhub.core.realtime import stats_changed_on_commit
from eventhub.core.services import admin_history_blank
from registrations import hooks
from registrations.exceptions import AttendeeCancelled, EmailTaken, InvalidLanguage
from registrations.models import Attendee, CheckIn, ScanLog, Ticket, TrainingBooking
from registrations.services.training import (
    training_booking_cancel,
    training_bookings_cancel_for_attendee,
)
from registrations.tasks import send_ticket_email
from registrations.ticket_codes import format_code_for_humans, new_manage_key, new_ticket_code

Status = Attendee.Status


@dataclass(frozen=True)
class RegistrationResult:
    attendee: Attendee
    created: bool  # False: this e-mail already held a registration, returned as is


def _ticket_email_on_commit(attendee_id: int, reason: str) -> None:
    """Send the ticket e-mail in the background once the transaction commits."""
    transaction.on_commit(
        lambda: send_ticket_email.enqueue(attendee_id=attendee_id, reason=reason), robust=True
    )


class FairPool(capacity.Pool):
    """The fair's places: confirmed attendees of an event, then its waiting list."""

    model = Event
    count_field = "confirmed_count"

    def waiting(self, row):
        return Attendee.objects.filter(event_id=row.pk, status=Status.WAITLISTED).order_by(
            "created_at", "pk"
        )

    def confirm(self, row, attendee, now):
        attendee.status = Status.CONFIRMED
        attendee.confirmed_at = now
        attendee.save(update_fields=["status", "confirmed_at"])
        if attendee.email:
            _ticket_email_on_commit(attendee.pk, "promoted")

    def announce(self, row):
        stats_changed_on_commit(event_id=row.pk, part="attendance")

    def take_in_turn(self, row, places: int = 1) -> bool:
        """Take ``places`` for newcomers, unless people wait ahead of them.

        Free places with people waiting happen only when a group at the head
        of the waiting list does not fit (docs/groups.md): newcomers queue
        behind it instead of overtaking. A group has at most GROUP_MAX
        people, so with that many places free nobody can be waiting for
        them and the waiting list is not read (the busy hot path).
        """
        if not self.has_room(row, places):
            return False
        if self.free(row) < GROUP_MAX and self.waiting(row).exists():
            return False
        return self.take(row, places)

    def promote(self, row, *, now=None) -> list:
        """Confirm waiting people, first come first served; a group only whole.

        A group at the head of the waiting list that does not fit in the free
        places waits, and nobody behind it overtakes; unless the event allows
        splitting groups, then its first members take the free places.
        Reading ``free + GROUP_MAX`` waiting rows is enough to find every
        unit that fits and the first that does not. Lock: the waiting rows.
        """
        now = now or timezone.now()
        free = self.free(row)
        if free <= 0 or not self.may_promote(row, now):
            return []
        waiting = list(self.waiting(row).select_for_update(of=("self",))[: free + GROUP_MAX])
        promoted: list[Attendee] = []
        i = 0
        while i < len(waiting) and free > 0:
            j = i + 1
            if waiting[i].group_id is not None:
                while j < len(waiting) and waiting[j].group_id == waiting[i].group_id:
                    j += 1
            unit, i = waiting[i:j], j
            if len(unit) > free:
                if not row.allow_group_split:
                    break
                unit = unit[:free]
            for attendee in unit:
                self.confirm(row, attendee, now)
            promoted += unit
            free -= len(unit)
        if promoted:
            setattr(row, self.count_field, self.taken(row) + len(promoted))
            self._save(row, [self.count_field])
        return promoted


# The largest group: a contact person and ten companions (docs/groups.md).
GROUP_MAX = 11

FAIR = capacity.register(FairPool())


def _lock_event(event_id: int) -> Event:
    return FAIR.lock(event_id)


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
    confirmed = FAIR.take_in_turn(event)
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
    if not confirmed:
        FAIR.announce(event)  # the waiting list grew: the totals change too
    if email:
        _ticket_email_on_commit(attendee.pk, "registered")
    return RegistrationResult(attendee=attendee, created=True)


@transaction.atomic
def attendee_place(*, attendee: Attendee) -> Attendee:
    """Save a person added by hand (the admin): confirmed while there is room.

    Like ``attendee_register`` without its checks: the fair's place is taken
    under the event lock, or the person joins the waiting list; a ticket is
    issued. Lock: the event row.
    """
    event = _lock_event(attendee.event_id)
    now = timezone.now()
    confirmed = FAIR.take(event)
    attendee.status = Status.CONFIRMED if confirmed else Status.WAITLISTED
    attendee.confirmed_at = now if confirmed else None
    attendee.terms_accepted_at = attendee.terms_accepted_at or now
    attendee.save()
    Ticket.objects.get_or_create(attendee=attendee)
    if not confirmed:
        FAIR.announce(event)
    return attendee


@transaction.atomic
def attendee_cancel(*, attendee_id: int) -> list[Attendee]:
    """Cancel a registration and promote waitlisted people into the freed place.

    Return the promoted attendees (first come, first served), who are
    e-mailed their ticket after the commit. Raise
    AttendeeCancelled when it was cancelled already. Lock: the event row,
    then the attendee.
    """
    event_id = Attendee.objects.values_list("event_id", flat=True).get(pk=attendee_id)
    event = _lock_event(event_id)
    attendee = Attendee.objects.select_for_update().get(pk=attendee_id)
    if attendee.status == Status.CANCELLED:
        raise AttendeeCancelled()
    was_confirmed = attendee.status == Status.CONFIRMED
    attendee.status = Status.CANCELLED
    attendee.cancelled_at = timezone.now()
    attendee.save(update_fields=["status", "cancelled_at"])
    # Their training seats go to the next people waiting for them; the
    # features above (screening slots, queue places) free theirs.
    training_bookings_cancel_for_attendee(attendee_id=attendee_id)
    for release in hooks.ON_CANCEL:
        release(attendee_id=attendee_id)
    return FAIR.release(event, 1 if was_confirmed else 0)


@transaction.atomic
def attendees_promote(*, event_id: int) -> list[Attendee]:
    """Confirm waitlisted attendees, oldest first, while the event has room.

    Each promoted person is e-mailed their ticket after the commit. Lock:
    the event row.
    """
    event = _lock_event(event_id)
    promoted = FAIR.promote(event)
    if promoted:
        FAIR.announce(event)
    return promoted


def event_capacity_set(*, event_id: int, capacity: int) -> list[Attendee]:
    """Change the fair's capacity; promote waitlisted people into new places.

    Raise CapacityBelowTaken below the number of confirmed attendees.
    Return the promoted attendees. Lock: the event row.
    """
    return FAIR.resize(event_id, capacity)[1]


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


# What erasure writes over the personal fields; category, region, country,
# gender, language, transport, source, status and dates stay for the counts.
ERASED_NAME = "—"


@transaction.atomic
def attendee_erase(*, attendee_id: int, now=None) -> Attendee:
    """Anonymise everything stored about one person; keep what the report counts.

    Before the event has ended the person's place, future training seats and
    future screening appointments are cancelled first, through the usual
    cancel services, so waitlisted people are promoted and told. A person
    already admitted at the gate keeps their status (they came). Then names,
    e-mail, phone, accessibility notes, eligibility answers, queue first
    names and the scan-log payloads of their ticket are wiped, queued
    e-mails about them are dropped, and the ticket gets a new code and a new
    manage key nobody knows: the old page, PDF and QR stop working. Idempotent: an
    erased person is returned as is. Lock: the event row, the attendee row,
    then (through the cancel services) session, slot and queue rows.
    """
    now = now or timezone.now()
    event_id = Attendee.objects.values_list("event_id", flat=True).get(pk=attendee_id)
    _lock_event(event_id)
    attendee = (
        Attendee.objects.select_for_update(of=("self",))
        .select_related("event", "ticket")
        .get(pk=attendee_id)
    )
    if attendee.erased_at is not None:
        return attendee
    ticket = attendee.ticket
    if now < attendee.event.ends_at:
        admitted = CheckIn.objects.filter(ticket=ticket, target="event").exists()
        if attendee.status != Status.CANCELLED and not admitted:
            attendee_cancel(attendee_id=attendee_id)
        upcoming = TrainingBooking.objects.filter(
            attendee_id=attendee_id,
            status__in=[TrainingBooking.Status.CONFIRMED, TrainingBooking.Status.WAITLISTED],
            session__starts_at__gt=now,
        ).order_by("session_id")
        for booking_id in list(upcoming.values_list("pk", flat=True)):
            training_booking_cancel(booking_id=booking_id, now=now)
    for erase in hooks.ON_ERASE:
        erase(attendee_id=attendee_id, now=now)

    attendee = Attendee.objects.select_for_update().get(pk=attendee_id)
    attendee.first_name, attendee.last_name = ERASED_NAME, ""
    attendee.email, attendee.phone, attendee.accessibility_needs = "", "", ""
    attendee.erased_at = now
    attendee.save(
        update_fields=[
            "first_name",
            "last_name",
            "email",
            "phone",
            "accessibility_needs",
            "erased_at",
        ]
    )
    old_code = ticket.code
    ScanLog.objects.filter(
        Q(ticket=ticket)
        | Q(payload__icontains=old_code)
        | Q(payload__icontains=format_code_for_humans(old_code))
    ).update(payload="", note="")
    # Both credentials are replaced: old links open nothing, old QR codes admit nobody.
    Ticket.objects.filter(pk=ticket.pk).update(code=new_ticket_code(), manage_key=new_manage_key())
    _queued_tasks_delete(attendee_id)
    _admin_history_scrub(attendee_id, ticket.pk)
    return attendee


def _admin_history_scrub(attendee_id: int, ticket_id: int) -> int:
    """Blank the names the admin's change history wrote about the person:
    the attendee's full name, the ticket's code, "name — session" of a booking."""
    rows = {
        Attendee: [attendee_id],
        Ticket: [ticket_id],
        TrainingBooking: list(
            TrainingBooking.objects.filter(attendee_id=attendee_id).values_list("pk", flat=True)
        ),
    }
    return admin_history_blank(rows, ERASED_NAME)


def _queued_tasks_delete(attendee_id: int) -> int:
    """Drop background-task rows (queued or done e-mails) about the person.

    Tasks take primary keys (STYLE.md §2): the ticket e-mail the attendee's,
    training e-mails a booking's or certificate's (a cancelled session's
    the attendee's), screening e-mails an appointment's. Return how many rows went.
    """
    if not apps.is_installed("django_tasks_db"):
        return 0
    from django_tasks_db.models import DBTaskResult

    booking_ids = list(
        TrainingBooking.objects.filter(attendee_id=attendee_id).values_list("pk", flat=True)
    )
    certificate_ids = list(
        TrainingBooking.objects.filter(
            attendee_id=attendee_id, certificate__isnull=False
        ).values_list("certificate__pk", flat=True)
    )
    by_id = {
        "registrations.tasks.send_ticket_email": [attendee_id],
        "registrations.training_tasks.send_training_promoted_email": booking_ids,
        "registrations.training_tasks.send_training_session_cancelled_email": [attendee_id],
        "registrations.training_tasks.send_certificate_email": certificate_ids,
    }
    for task_rows in hooks.TASK_ROWS:
        by_id.update(task_rows(attendee_id=attendee_id))
    deleted = 0
    for task_path, ids in by_id.items():
        if not ids:
            continue
        wanted = set(ids)
        rows = DBTaskResult.objects.filter(task_path=task_path).only("id", "args_kwargs")
        doomed = [row.pk for row in rows.iterator() if wanted & set(_task_ids(row.args_kwargs))]
        deleted += DBTaskResult.objects.filter(pk__in=doomed).delete()[0]
    return deleted


def _task_ids(args_kwargs) -> list:
    """The primary keys a task row was given, positionally or by keyword."""
    args_kwargs = args_kwargs or {}
    values = list(args_kwargs.get("args") or []) + list((args_kwargs.get("kwargs") or {}).values())
    return [value for value in values if isinstance(value, int)]


@dataclass(frozen=True)
class PurgeResult:
    event: Event
    people: int  # how many people were (or, in a dry run, would be) anonymised


def attendees_purge_expired(*, now=None, dry_run: bool = False) -> list[PurgeResult]:
    """Anonymise every person of the events whose retention period is over.

    An event's personal data expires ``personal_data_retention_days`` after
    it ends. People erased before are skipped, so a second run does nothing:
    safe to run from cron. Each event is purged in its own transaction and
    logged in the audit log. Return one result per expired event that still
    held personal data.
    """
    from eventhub.core.models import AuditLog
    from eventhub.core.services import personal_data_access_log

    now = now or timezone.now()
    results = []
    for event in Event.objects.filter(ends_at__lt=now).order_by("ends_at", "pk"):
        if event.personal_data_expires_at > now:
            continue
        pending = list(
            Attendee.objects.filter(event=event, erased_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not pending:
            continue
        results.append(PurgeResult(event=event, people=len(pending)))
        if dry_run:
            continue
        with transaction.atomic():
            for attendee_id in pending:
                attendee_erase(attendee_id=attendee_id, now=now)
            personal_data_access_log(
                user=None,
                event_id=event.pk,
                action=AuditLog.Action.PURGE,
                detail=f"{len(pending)} people anonymised after "
                f"{event.personal_data_retention_days} days",
            )
    return results
