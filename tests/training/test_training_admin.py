"""Organizers manage modules and sessions in the admin: scoped to their
events, a roster inline, a capacity increase promotes people waiting, and a
bulk action issues certificates."""

import pytest
from django.urls import reverse
from django.utils import timezone

from eventhub.core.models import StaffRole
from eventhub.core.services import staff_add
from registrations.models import Certificate, TrainingBooking
from registrations.services.training import training_booking_create
from tests.factories import EventFactory, UserFactory
from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organizer_client(client, event):
    staff_add(event_id=event.pk, role=StaffRole.Role.ORGANIZER, username="org")
    client.force_login(UserFactory(username="org"))
    return client


def test_organizers_see_only_their_events_sessions_with_the_roster(
    organizer_client, session, make_attendee
):
    other = TrainingSessionFactory(module=TrainingModuleFactory(event=EventFactory()))
    attendee = make_attendee(first_name="Đorđe", last_name="Petrović")
    training_booking_create(attendee_id=attendee.pk, session_id=session.pk)
    changelist = organizer_client.get(reverse("admin:registrations_trainingsession_changelist"))
    assert changelist.status_code == 200
    assert f"/{session.pk}/change/" in changelist.text
    assert f"/{other.pk}/change/" not in changelist.text
    change = organizer_client.get(
        reverse("admin:registrations_trainingsession_change", args=[session.pk])
    )
    assert "Đorđe Petrović" in change.text


def test_raising_capacity_in_the_admin_promotes_people_waiting(
    organizer_client, module, make_attendee
):
    session = TrainingSessionFactory(module=module, capacity=1)
    training_booking_create(attendee_id=make_attendee().pk, session_id=session.pk)
    waiting = training_booking_create(attendee_id=make_attendee().pk, session_id=session.pk)
    local = timezone.localtime(session.starts_at)
    local_end = timezone.localtime(session.ends_at)
    response = organizer_client.post(
        reverse("admin:registrations_trainingsession_change", args=[session.pk]),
        {
            "module": module.pk,
            "starts_at_0": local.strftime("%Y-%m-%d"),
            "starts_at_1": local.strftime("%H:%M:%S"),
            "ends_at_0": local_end.strftime("%Y-%m-%d"),
            "ends_at_1": local_end.strftime("%H:%M:%S"),
            "room": "Training tent",
            "capacity": 2,
            "booking_closes_minutes": "",
            "no_show_release_minutes": "",
            "bookings-TOTAL_FORMS": 0,
            "bookings-INITIAL_FORMS": 2,
            "bookings-MIN_NUM_FORMS": 0,
            "bookings-MAX_NUM_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    waiting.booking.refresh_from_db()
    assert waiting.booking.status == TrainingBooking.Status.CONFIRMED


def test_lowering_capacity_below_the_seats_taken_is_refused(organizer_client, session):
    session.booked_count = 3
    session.save()
    local = timezone.localtime(session.starts_at)
    local_end = timezone.localtime(session.ends_at)
    response = organizer_client.post(
        reverse("admin:registrations_trainingsession_change", args=[session.pk]),
        {
            "module": session.module_id,
            "starts_at_0": local.strftime("%Y-%m-%d"),
            "starts_at_1": local.strftime("%H:%M:%S"),
            "ends_at_0": local_end.strftime("%Y-%m-%d"),
            "ends_at_1": local_end.strftime("%H:%M:%S"),
            "room": "Training tent",
            "capacity": 2,
            "bookings-TOTAL_FORMS": 0,
            "bookings-INITIAL_FORMS": 0,
            "bookings-MIN_NUM_FORMS": 0,
            "bookings-MAX_NUM_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "3 places are taken already; the capacity cannot go below 3." in response.text


def test_the_admin_action_issues_certificates_for_the_selected_sessions(
    organizer_client, session, make_attendee, django_capture_on_commit_callbacks
):
    booking = training_booking_create(attendee_id=make_attendee().pk, session_id=session.pk)
    TrainingBooking.objects.filter(pk=booking.booking.pk).update(checked_in_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            reverse("admin:registrations_trainingsession_changelist"),
            {"action": "issue_certificates", "_selected_action": [session.pk]},
            follow=True,
        )
    assert "Follow the progress" in response.content.decode()
    assert Certificate.objects.filter(booking=booking.booking).exists()
