"""Builders for screening tests: a service with stations, slots and questions."""

import datetime as dt

from django.utils import timezone

from eventhub.core.models import StaffRole
from screenings.models import EligibilityQuestion, Queue, Service, Slot, Station
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory

YES = EligibilityQuestion.Answer.YES


def make_service(event=None, *, code="T", stations=2, questions=(), **fields) -> Service:
    event = event or EventFactory()
    service = Service.objects.create(
        event=event, code=code, name=fields.pop("name", f"Service {code}"), **fields
    )
    Queue.objects.create(service=service)
    for n in range(stations):
        Station.objects.create(service=service, name=f"Station {n + 1}", position=n)
    for position, question in enumerate(questions):
        EligibilityQuestion.objects.create(service=service, position=position, **question)
    return service


def make_slot(service, *, in_hours=24, capacity=2, minutes=15) -> Slot:
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(hours=in_hours)
    return Slot.objects.create(
        service=service,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=minutes),
        capacity=capacity,
    )


def make_attendee(event, **fields):
    return AttendeeFactory(event=event, **fields)


def doctor_of(service, station=None):
    """A user with the doctor role at the event, on duty at ``station`` (or the first)."""
    role = StaffRoleFactory(event=service.event, role=StaffRole.Role.DOCTOR)
    (station or service.stations.first()).doctors.add(role.user)
    return role.user
