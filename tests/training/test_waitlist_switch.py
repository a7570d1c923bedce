"""A person on one session's waiting list takes a free seat in another
session of the same module from their training page, in one step."""

import datetime as dt

import pytest
from django.urls import reverse

from registrations.models import TrainingBooking
from registrations.services.training import training_booking_create
from tests.factories import AttendeeFactory
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db
SWITCH = "Take a free seat here instead"


@pytest.fixture
def waitlisted(module):
    """Vera waits for the full morning session; the afternoon one has a seat."""
    morning = TrainingSessionFactory(module=module, capacity=1)
    afternoon = TrainingSessionFactory(
        module=module, capacity=1, starts_at=morning.starts_at + dt.timedelta(hours=4)
    )
    training_booking_create(
        attendee_id=AttendeeFactory(event=module.event).pk, session_id=morning.pk
    )
    vera = AttendeeFactory(event=module.event, first_name="Vera", language="en")
    booking = training_booking_create(attendee_id=vera.pk, session_id=morning.pk).booking
    assert booking.status == TrainingBooking.Status.WAITLISTED
    return vera, booking, morning, afternoon


def page_of(client, attendee):
    return client.get(reverse("training-page", args=[attendee.ticket.manage_key])).content.decode()


def test_a_waitlisted_person_switches_to_a_session_with_a_free_seat(client, waitlisted):
    vera, booking, morning, afternoon = waitlisted
    html = page_of(client, vera)
    assert html.count(SWITCH) == 2  # the button and its label, on the afternoon only
    afternoon_item = html.split(f'data-session="{afternoon.pk}"')[1].split("</li>")[0]
    assert SWITCH in afternoon_item
    url = reverse("training-switch", args=[vera.ticket.manage_key, booking.pk])
    response = client.post(url, {"session": afternoon.pk}, follow=True)
    assert "Your seat is booked." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == TrainingBooking.Status.CANCELLED
    seat = TrainingBooking.objects.get(attendee=vera, session=afternoon)
    assert seat.status == TrainingBooking.Status.CONFIRMED
    assert SWITCH not in page_of(client, vera)


def test_no_switch_to_a_full_session_and_the_waiting_place_is_kept(client, waitlisted):
    vera, booking, morning, afternoon = waitlisted
    training_booking_create(
        attendee_id=AttendeeFactory(event=vera.event).pk, session_id=afternoon.pk
    )
    assert SWITCH not in page_of(client, vera)
    url = reverse("training-switch", args=[vera.ticket.manage_key, booking.pk])
    response = client.post(url, {"session": afternoon.pk}, follow=True)
    assert "no free seat" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == TrainingBooking.Status.WAITLISTED
    assert not TrainingBooking.objects.filter(attendee=vera, session=afternoon).exists()
