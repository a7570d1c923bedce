"""The event set-up wizard: a new fair copied from a previous one."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from modeltranslation.utils import build_localized_fieldname

from eventhub.consultation.models import Question, Survey
from eventhub.core.models import Event, StaffRole
from eventhub.core.services import staff_add
from eventhub.projects.models import Partner, Project, new_stamp_code
from registrations.models import TrainingModule, TrainingSession
from screenings.models import EligibilityQuestion, Service, Slot, Station


def shift_to_day(moment: dt.datetime, *, days: int, tz: ZoneInfo) -> dt.datetime:
    """``moment`` moved ``days`` calendar days on, at the same wall-clock time in ``tz``.

    Adding 24-hour days would move every time by an hour across a change to
    or from summer time; the fair's programme is printed in local time.
    """
    local = moment.astimezone(tz)
    day = local.date() + dt.timedelta(days=days)
    return dt.datetime.combine(day, local.time().replace(tzinfo=None), tzinfo=tz)


def _copy(instance, **changes):
    """An unsaved copy of ``instance`` with a new primary key and ``changes``."""
    fields = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key
    }
    for name, value in changes.items():
        # A text kept in every language (docs/i18n.md) gets the new value in each.
        for code, _label in settings.LANGUAGES:
            localized = build_localized_fieldname(name, code)
            if localized in fields:
                fields[localized] = value
    fields.update(changes)
    return type(instance)(**fields)


@transaction.atomic
def event_copy(*, source_event_id: int, name: str, slug: str, starts_on: dt.date, user) -> Event:
    """Create a draft fair from ``source`` on ``starts_on``, with its programme.

    Training modules and sessions, screening services with their stations,
    eligibility questions and slot schedules are copied, every time moved to
    the new date at the same time of day in the event's time zone; so are the
    programme's projects at their stands (with their partners; each stand
    gets a new stamp code, so last fair's sign collects nothing) and the
    consultation questionnaires with their questions. No attendee, booking,
    appointment, queue, stamp, answer, kiosk or staff role is copied, except
    that ``user`` organizes the new fair. Seat counters start at zero.
    """
    source = Event.objects.get(pk=source_event_id)
    tz = ZoneInfo(source.timezone)
    days = (starts_on - source.starts_at.astimezone(tz).date()).days

    def shift(moment):
        return shift_to_day(moment, days=days, tz=tz)

    event = _copy(
        source,
        name=name,
        slug=slug,
        status=Event.Status.DRAFT,
        starts_at=shift(source.starts_at),
        ends_at=shift(source.ends_at),
        registration_opens_at=shift(source.registration_opens_at),
        registration_closes_at=shift(source.registration_closes_at),
        languages=list(source.languages),
        confirmed_count=0,
        created_at=None,
    )
    event.save()

    for module in TrainingModule.objects.filter(event=source).order_by("pk"):
        new_module = _copy(module, event_id=event.pk, created_at=None)
        new_module.save()
        TrainingSession.objects.bulk_create(
            _copy(
                session,
                module_id=new_module.pk,
                starts_at=shift(session.starts_at),
                ends_at=shift(session.ends_at),
                booked_count=0,
            )
            for session in module.sessions.order_by("starts_at", "pk")
        )

    for service in Service.objects.filter(event=source).order_by("position", "pk"):
        new_service = _copy(service, event_id=event.pk)
        new_service.save()
        Station.objects.bulk_create(
            _copy(station, service_id=new_service.pk, is_open=True)
            for station in service.stations.order_by("position", "pk")
        )
        EligibilityQuestion.objects.bulk_create(
            _copy(question, service_id=new_service.pk)
            for question in service.questions.order_by("position", "pk")
        )
        Slot.objects.bulk_create(
            _copy(
                slot,
                service_id=new_service.pk,
                starts_at=shift(slot.starts_at),
                ends_at=shift(slot.ends_at),
                booked_count=0,
                seq=0,
            )
            for slot in service.slots.order_by("starts_at")
        )

    for project in Project.objects.filter(event=source).order_by("pk"):
        new_project = _copy(project, event_id=event.pk, stamp_code=new_stamp_code())
        new_project.save()
        Partner.objects.bulk_create(
            _copy(partner, project_id=new_project.pk)
            for partner in project.partners.order_by("position", "pk")
        )

    for survey in Survey.objects.filter(event=source).order_by("pk"):
        new_survey = _copy(survey, event_id=event.pk)
        new_survey.save()
        Question.objects.bulk_create(
            _copy(question, survey_id=new_survey.pk)
            for question in survey.questions.order_by("position", "pk")
        )

    if user is not None and not user.is_superuser:
        staff_add(event_id=event.pk, role=StaffRole.Role.ORGANIZER, username=user.get_username())
    return event
