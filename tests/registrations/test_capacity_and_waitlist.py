"""Registering fills the event to capacity, then the waiting list; a cancellation
promotes the first person waiting."""

import datetime as dt

import pytest
from django.utils import timezone

from eventhub.core.exceptions import RegistrationClosed
from eventhub.core.models import Event
from registrations.exceptions import AttendeeCancelled
from registrations.models import Attendee
from registrations.services.attendees import attendee_cancel, attendee_register
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db
Status = Attendee.Status


def register(event, n, **extra):
    return attendee_register(
        event_id=event.pk,
        first_name="Person",
        last_name=f"No{n}",
        email=f"person{n}@example.org",
        **extra,
    )


def test_registrations_beyond_capacity_are_waitlisted():
    event = EventFactory(capacity=2)
    statuses = [register(event, n).attendee.status for n in range(4)]
    assert statuses == [Status.CONFIRMED, Status.CONFIRMED, Status.WAITLISTED, Status.WAITLISTED]
    assert all(a.ticket.code for a in Attendee.objects.all())


def test_the_same_email_twice_returns_the_first_registration():
    event = EventFactory()
    first = register(event, 1)
    again = attendee_register(
        event_id=event.pk, first_name="Other", last_name="Name", email="PERSON1@example.org"
    )
    assert again.created is False
    assert again.attendee.pk == first.attendee.pk
    assert Attendee.objects.count() == 1


def test_a_cancelled_person_may_register_again():
    event = EventFactory()
    first = register(event, 1).attendee
    attendee_cancel(attendee_id=first.pk)
    again = register(event, 1)
    assert again.created is True
    assert again.attendee.status == Status.CONFIRMED


def test_cancelling_promotes_exactly_the_first_person_waiting():
    event = EventFactory(capacity=1)
    holder = register(event, 0).attendee
    first_waiting = register(event, 1).attendee
    register(event, 2)
    promoted = attendee_cancel(attendee_id=holder.pk)
    assert [a.pk for a in promoted] == [first_waiting.pk]
    assert dict(Attendee.objects.values_list("last_name", "status")) == {
        "No0": Status.CANCELLED,
        "No1": Status.CONFIRMED,
        "No2": Status.WAITLISTED,
    }


def test_cancelling_a_waitlisted_person_promotes_nobody():
    event = EventFactory(capacity=1)
    register(event, 0)
    waiting = register(event, 1).attendee
    assert attendee_cancel(attendee_id=waiting.pk) == []


def test_cancelling_twice_is_refused():
    attendee = register(EventFactory(), 0).attendee
    attendee_cancel(attendee_id=attendee.pk)
    with pytest.raises(AttendeeCancelled) as exc:
        attendee_cancel(attendee_id=attendee.pk)
    assert exc.value.code == "cancelled"


@pytest.mark.parametrize(
    "change",
    [
        {"status": Event.Status.DRAFT},
        {"status": Event.Status.CLOSED},
        {"registration_opens_at": timezone.now() + dt.timedelta(hours=1)},
        {"registration_closes_at": timezone.now() - dt.timedelta(minutes=1)},
    ],
)
def test_registration_outside_the_window_or_unpublished_is_refused(change):
    event = EventFactory()
    if "registration_closes_at" in change:
        event.registration_opens_at = timezone.now() - dt.timedelta(days=2)
    for field, value in change.items():
        setattr(event, field, value)
    event.save()
    with pytest.raises(RegistrationClosed) as exc:
        register(event, 0)
    assert exc.value.code == "registration_closed"
    assert not Attendee.objects.exists()


def test_staff_may_register_a_walk_in_after_online_registration_closed():
    event = EventFactory(
        registration_opens_at=timezone.now() - dt.timedelta(days=2),
        registration_closes_at=timezone.now() - dt.timedelta(minutes=1),
    )
    result = register(event, 0, source=Attendee.Source.WALK_IN, enforce_window=False)
    assert result.attendee.status == Status.CONFIRMED
