"""Booking and cancelling screening appointments.

Capacity is owned by the ``Slot`` row (STYLE.md §6) and kept by the slots'
pool of the capacity engine (``SLOTS``, eventhub/core/capacity.py,
docs/capacity.md): booking and cancelling lock it (``select_for_update``)
before reading ``booked_count``, so a slot never holds more people than its
capacity; the ``slot_not_overbooked`` check constraint is the database's
last word. The one-active-appointment-per-service rule is checked under the
same lock and held by a partial unique constraint, which also catches one
person booking two different slots at the same instant (two different slot
locks).

When the organizer enables the service's waiting list, a booking into a
full slot waits (``waitlisted``) and is promoted, first come first served,
when a place frees before the slot starts; the promoted person gets the
booking confirmation e-mail. Without it a full slot answers ``slot_full``.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eventhub.core import capacity
from eventhub.core.exceptions import PermissionDenied
from eventhub.core.models import StaffRole
from eventhub.core.permissions import has_event_role
from eventhub.core.realtime import stats_changed_on_commit
from registrations.models import Attendee
from screenings.exceptions import (
    AlreadyBooked,
    AnswersIncomplete,
    AppointmentNotActive,
    AppointmentNotFound,
    AttendeeNotConfirmed,
    ConsentRequired,
    NotEligible,
    SlotFull,
    SlotNotFound,
    SlotPast,
)
from screenings.models import Appointment, EligibilityQuestion, HealthDataAccess, Service, Slot
from screenings.services.access import health_access_log

Status = Appointment.Status
YES = EligibilityQuestion.Answer.YES
NO = EligibilityQuestion.Answer.NO


def _confirmation_on_commit(appointment_id: int) -> None:
    from screenings import tasks

    transaction.on_commit(lambda: tasks.appointment_confirmation_send.enqueue(appointment_id))


class SlotPool(capacity.Pool):
    """A slot's places, then (if the service has one) its waiting list."""

    model = Slot
    seq_field = "seq"
    related = ("service",)  # joined in, not locked

    def waiting(self, row):
        return Appointment.objects.filter(
            slot_id=row.pk,
            status=Status.WAITLISTED,
            attendee__status=Attendee.Status.CONFIRMED,
        ).order_by("created_at", "pk")

    def may_promote(self, row, now):
        return now < row.starts_at

    def confirm(self, row, appointment, now):
        appointment.status = Status.BOOKED
        appointment.save(update_fields=["status"])
        _confirmation_on_commit(appointment.pk)

    def announce(self, row):
        stats_changed_on_commit(event_id=row.service.event_id, part="screenings")


SLOTS = capacity.register(SlotPool())


def _as_answer(value) -> str | None:
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, str) and value.strip().lower() in (YES, NO):
        return value.strip().lower()
    return None


def eligibility_check(
    *,
    service: Service,
    answers: dict,
    age: int | None = None,
    sex: str = "",
) -> tuple[dict, list[str]]:
    """Check a person against the service's rules.

    Return the normalised answers ({key: "yes"|"no"}) and the flags they
    raise. Raise AnswersIncomplete when a required answer is missing and
    NotEligible, with the reason in the active language, when excluded.
    """
    answers = answers if isinstance(answers, dict) else {}
    missing = {}
    if service.needs_age and (age is None or not 0 < age < 130):
        missing["age"] = [_("Please give your age.")]
    if service.sex and sex not in ("female", "male"):
        missing["sex"] = [_("Please choose an option.")]
    normalised = {}
    questions = list(service.questions.all())
    for question in questions:
        answer = _as_answer(answers.get(question.key))
        if answer is None:
            missing.setdefault("answers", {})[question.key] = [_("Please answer this question.")]
        else:
            normalised[question.key] = answer
    if missing:
        raise AnswersIncomplete(fields=missing)

    if service.min_age is not None and age < service.min_age:
        raise NotEligible(
            _("This screening is for people aged %(age)d or over.") % {"age": service.min_age},
            reason="age",
        )
    if service.max_age is not None and age > service.max_age:
        raise NotEligible(
            _("This screening is for people aged up to %(age)d.") % {"age": service.max_age},
            reason="age",
        )
    if service.sex and sex != service.sex:
        message = (
            _("This screening is offered to women only.")
            if service.sex == "female"
            else _("This screening is offered to men only.")
        )
        raise NotEligible(message, reason="sex")
    flags = []
    for question in questions:
        answer = normalised[question.key]
        if question.exclude_if and answer == question.exclude_if:
            raise NotEligible(
                question.exclusion_reason
                or _(
                    "From your answers, this screening is not suitable for you today. "
                    "The doctors at the fair can advise you."
                ),
                reason=question.key,
            )
        if question.flag_if and answer == question.flag_if and question.flag:
            flags.append(question.flag_code)
    return normalised, flags


@transaction.atomic
def appointment_book(
    *,
    slot_id: int,
    attendee_id: int,
    health_consent: bool,
    answers: dict | None = None,
    age: int | None = None,
    sex: str = "",
) -> Appointment:
    """Book the attendee into the slot after consent and eligibility checks.

    A full slot of a service with a waiting list gives a ``waitlisted``
    appointment instead of SlotFull. Raise ConsentRequired,
    AnswersIncomplete, NotEligible, SlotNotFound, SlotPast,
    AttendeeNotConfirmed, AlreadyBooked or SlotFull. Lock: the slot row.
    """
    if health_consent is not True:
        raise ConsentRequired()
    slot_row = Slot.objects.select_related("service").filter(pk=slot_id).first()
    if slot_row is None:
        raise SlotNotFound()
    attendee = Attendee.objects.filter(pk=attendee_id).first()
    if attendee is None or attendee.event_id != slot_row.service.event_id:
        raise SlotNotFound()
    if attendee.status != Attendee.Status.CONFIRMED:
        raise AttendeeNotConfirmed()
    if slot_row.booked_count >= slot_row.capacity and not slot_row.service.waitlist:
        # An unlocked early answer for the common case of a full slot; the
        # locked re-check below is the one that guarantees capacity.
        raise SlotFull(slot_id=slot_row.pk)
    service = slot_row.service
    sex = sex or (attendee.gender if attendee.gender in ("female", "male") else "")
    normalised, flags = eligibility_check(service=service, answers=answers or {}, age=age, sex=sex)

    slot = SLOTS.lock(slot_id)
    if slot.starts_at <= timezone.now():
        raise SlotPast()
    if Appointment.objects.filter(
        service=service, attendee_id=attendee_id, status__in=[Status.BOOKED, Status.WAITLISTED]
    ).exists():
        raise AlreadyBooked()
    if not SLOTS.has_room(slot) and not slot.service.waitlist:
        raise SlotFull(slot_id=slot.pk)
    booked = SLOTS.take(slot)
    try:
        with transaction.atomic():
            appointment = Appointment.objects.create(
                slot=slot,
                service=service,
                attendee_id=attendee_id,
                status=Status.BOOKED if booked else Status.WAITLISTED,
                health_consent_at=timezone.now(),
                answers=normalised,
                age=age,
                sex=sex,
                flags=flags,
            )
    except IntegrityError as exc:
        raise AlreadyBooked() from exc  # the whole booking, place included, rolls back
    health_access_log(
        event_id=service.event_id,
        actor="ticket holder",
        action=HealthDataAccess.Action.BOOK,
        what=f"appointment {appointment.pk} ({service.code} {slot.starts_at:%Y-%m-%d %H:%M})",
        attendee_id=attendee_id,
        service_id=service.pk,
    )
    if booked:
        _confirmation_on_commit(appointment.pk)
    else:
        SLOTS.announce(slot)  # the waiting list grew; the ticket page shows it
    return appointment


@transaction.atomic
def appointment_cancel(
    *, appointment_id: int, attendee_id: int | None = None, user=None
) -> Appointment:
    """Cancel an active (or waiting) appointment, free its place and erase its answers.

    A freed place goes to the first person on the slot's waiting list. With
    ``attendee_id`` the appointment must be that attendee's (the ticket
    holder cancels). ``user``: an organizer of the event cancels it (the
    admin); the health log names them. Raise AppointmentNotFound,
    AppointmentNotActive or PermissionDenied. Lock: the slot row, then the
    appointment.
    """
    found = Appointment.objects.filter(pk=appointment_id)
    if attendee_id is not None:
        found = found.filter(attendee_id=attendee_id)
    row = found.values_list("slot_id", "service__event_id").first()
    if row is None:
        raise AppointmentNotFound()
    slot_id, event_id = row
    if user is not None and not has_event_role(user, event_id, StaffRole.Role.ORGANIZER):
        raise PermissionDenied()
    slot = SLOTS.lock(slot_id)
    appointment = (
        Appointment.objects.select_for_update().select_related("service").get(pk=appointment_id)
    )
    if not appointment.is_active:
        raise AppointmentNotActive()
    had_place = appointment.status == Status.BOOKED
    appointment.status = Status.CANCELLED
    appointment.cancelled_at = timezone.now()
    # The consent text promises erasure on cancelling: keep only the fact and
    # the times, drop the answers.
    appointment.answers, appointment.flags, appointment.age, appointment.sex = {}, [], None, ""
    appointment.save(update_fields=["status", "cancelled_at", "answers", "flags", "age", "sex"])
    promoted = SLOTS.release(slot, 1 if had_place else 0)
    if not (had_place or promoted):
        SLOTS.announce(slot)  # the waiting list shrank
    health_access_log(
        event_id=appointment.service.event_id,
        user=user,
        actor="ticket holder" if user is None else "organizer",
        action=HealthDataAccess.Action.CANCEL,
        what=f"appointment {appointment.pk}",
        attendee_id=appointment.attendee_id,
        service_id=appointment.service_id,
    )
    return appointment


def appointments_due_for_reminder(*, within_hours: int = 24):
    """Active appointments starting within ``within_hours`` not yet reminded."""
    now = timezone.now()
    return Appointment.objects.filter(
        status=Status.BOOKED,
        reminder_sent_at__isnull=True,
        slot__starts_at__gt=now,
        slot__starts_at__lte=now + dt.timedelta(hours=within_hours),
    )


@transaction.atomic
def appointment_reminders_send(*, within_hours: int = 24) -> int:
    """Mark due appointments as reminded and enqueue their e-mails; return how many."""
    from screenings import tasks

    ids = list(
        appointments_due_for_reminder(within_hours=within_hours)
        .select_for_update(skip_locked=True, of=("self",))
        .values_list("pk", flat=True)
    )
    Appointment.objects.filter(pk__in=ids).update(reminder_sent_at=timezone.now())
    for pk in ids:
        transaction.on_commit(lambda pk=pk: tasks.appointment_reminder_send.enqueue(pk))
    return len(ids)
