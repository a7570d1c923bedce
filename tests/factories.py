"""factory_boy factories with valid defaults: a published fair open for registration."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from eventhub.core.models import Event, Kiosk, Programme, Region, StaffRole
from registrations.models import Attendee, Ticket


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["code"]

    code = "interreg-ipa-ro-rs"
    name = "Interreg IPA Romania–Serbia"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ["programme", "country", "name"]

    programme = factory.SubFactory(ProgrammeFactory)
    country = "RO"
    name = "Timiș"
    kind = "county"


def _in_days(days, hour=10):
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    slug = factory.Sequence(lambda n: f"fair-{n}")
    name = factory.Sequence(lambda n: f"Cooperation Day {n}")
    programme = factory.SubFactory(ProgrammeFactory)
    venue = "Liberty Square"
    address = "Piața Libertății"
    city = "Timișoara"
    country = "RO"
    starts_at = factory.LazyFunction(lambda: _in_days(14, 10))
    ends_at = factory.LazyFunction(lambda: _in_days(14, 18))
    capacity = 300
    registration_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    registration_closes_at = factory.LazyFunction(lambda: _in_days(14, 16))
    status = Event.Status.PUBLISHED


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    role = StaffRole.Role.VOLUNTEER


class KioskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kiosk

    event = factory.SubFactory(EventFactory)
    kind = Kiosk.Kind.STATS
    name = factory.Sequence(lambda n: f"Kiosk {n}")


class AttendeeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendee
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    first_name = "Ioana"
    last_name = factory.Sequence(lambda n: f"Popescu{n}")
    email = factory.LazyAttribute(lambda a: f"{a.last_name.lower()}@example.org")
    country = "RO"
    category = Attendee.Category.CITIZEN
    language = "ro"
    terms_accepted_at = factory.LazyFunction(timezone.now)
    status = Attendee.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)
    ticket = factory.RelatedFactory(
        "tests.factories.TicketFactory", factory_related_name="attendee"
    )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        attendee = super()._create(model_class, *args, **kwargs)
        if attendee.status == Attendee.Status.CONFIRMED:
            # A confirmed person holds one of the fair's places, as after
            # attendee_register (docs/capacity.md); a test that makes more
            # confirmed people than places gets the places it asked for.
            Event.objects.filter(pk=attendee.event_id).update(
                confirmed_count=F("confirmed_count") + 1,
                capacity=Greatest("capacity", F("confirmed_count") + 1),
            )
        return attendee


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket

    attendee = factory.SubFactory(AttendeeFactory, ticket=None)
