"""Factories for training modules and sessions (beside tests/factories.py so
the training work merges without conflicts)."""

import datetime as dt

import factory
from django.utils import timezone

from registrations.models import TrainingModule, TrainingSession
from tests.factories import EventFactory


class TrainingModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingModule

    event = factory.SubFactory(EventFactory)
    title = "We can all save lives — basic life support"
    description = "Chest compressions, rescue breaths and the AED."
    trainers = (
        "“AUREL MOGOȘANU” Non-Profit Association for Anaesthesia and Intensive Care\n"
        "Emergency Department, “Pius Brînzeu” County Emergency Clinical Hospital Timișoara"
    )
    audience = "Everyone"
    language = "Romanian"
    booking_closes_minutes = 30
    no_show_release_minutes = 10


def _in_days(days, hour, minute=0):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class TrainingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingSession

    module = factory.SubFactory(TrainingModuleFactory)
    starts_at = factory.LazyFunction(lambda: _in_days(14, 11))
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(minutes=90))
    room = "Training tent"
    capacity = 15
