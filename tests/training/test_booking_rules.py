"""Booking a training seat: seats until full, then the waiting list with a
position; no overlapping sessions, no module twice, closed before the start."""

import datetime as dt

import pytest
from django.utils import timezone

from eventhub.core.exceptions import DomainError
from registrations.models import Attendee, TrainingBooking
from registrations.services.training import training_booking_create
from tests.factories import AttendeeFactory, EventFactory
from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db
Status = TrainingBooking.Status


def book(attendee, session=None, **kwargs):
    if session is not None:
        kwargs["session_id"] = session.pk
    return training_booking_create(attendee_id=attendee.pk, **kwargs)


def test_a_confirmed_attendee_gets_a_seat_and_the_seat_count_moves(session, make_attendee):
    result = book(make_attendee(), session)
    session.refresh_from_db()
    assert result.booking.status == Status.CONFIRMED
    assert result.waitlist_position is None
    assert session.booked_count == 1
    assert session.free_seats == 14


def test_a_full_session_puts_people_on_its_waiting_list_in_order(module, make_attendee):
    session = TrainingSessionFactory(module=module, capacity=2)
    results = [book(make_attendee(), session) for _ in range(5)]
    assert [r.booking.status for r in results] == [Status.CONFIRMED] * 2 + [Status.WAITLISTED] * 3
    assert [r.waitlist_position for r in results] == [None, None, 1, 2, 3]
    session.refresh_from_db()
    assert session.booked_count == 2


def test_booking_the_same_module_twice_is_refused(module, make_attendee):
    first = TrainingSessionFactory(module=module)
    second = TrainingSessionFactory(
        module=module, starts_at=first.starts_at + dt.timedelta(hours=3)
    )
    attendee = make_attendee()
    book(attendee, first)
    with pytest.raises(DomainError) as exc:
        book(attendee, second)
    assert exc.value.code == "already_booked"
    with pytest.raises(DomainError) as exc:
        book(attendee, first)
    assert exc.value.code == "already_booked"
    assert TrainingBooking.objects.filter(attendee=attendee).count() == 1


def test_a_waitlisted_booking_also_counts_as_holding_the_module(module, make_attendee):
    full = TrainingSessionFactory(module=module, capacity=1)
    later = TrainingSessionFactory(module=module, starts_at=full.starts_at + dt.timedelta(hours=3))
    book(make_attendee(), full)
    attendee = make_attendee()
    assert book(attendee, full).booking.status == Status.WAITLISTED
    with pytest.raises(DomainError) as exc:
        book(attendee, later)
    assert exc.value.code == "already_booked"


def test_overlapping_sessions_of_two_modules_cannot_both_be_booked(event, session, make_attendee):
    other_module = TrainingModuleFactory(event=event, title="First aid for children")
    overlapping = TrainingSessionFactory(
        module=other_module, starts_at=session.starts_at + dt.timedelta(minutes=60)
    )
    back_to_back = TrainingSessionFactory(
        module=TrainingModuleFactory(event=event, title="Stop the bleed"),
        starts_at=session.ends_at,
    )
    attendee = make_attendee()
    book(attendee, session)
    with pytest.raises(DomainError) as exc:
        book(attendee, overlapping)
    assert exc.value.code == "overlapping_booking"
    assert book(attendee, back_to_back).booking.status == Status.CONFIRMED


def test_booking_closes_the_configured_time_before_the_start(module, make_attendee):
    soon = TrainingSessionFactory(
        module=module, starts_at=timezone.now() + dt.timedelta(minutes=20)
    )
    with pytest.raises(DomainError) as exc:
        book(make_attendee(), soon)
    assert exc.value.code == "booking_closed"
    soon.booking_closes_minutes = 5  # the session's own setting wins over the module's
    soon.save()
    assert book(make_attendee(), soon).booking.status == Status.CONFIRMED


def test_staff_may_seat_a_walk_in_after_online_booking_closed(module, make_attendee):
    running = TrainingSessionFactory(
        module=module, starts_at=timezone.now() - dt.timedelta(minutes=5)
    )
    result = book(make_attendee(), running, walk_in=True)
    assert result.booking.status == Status.CONFIRMED and result.booking.walk_in


def test_only_confirmed_registrations_may_book(session, make_attendee):
    for status in (Attendee.Status.WAITLISTED, Attendee.Status.CANCELLED):
        with pytest.raises(DomainError) as exc:
            book(make_attendee(status=status), session)
        assert exc.value.code == "not_confirmed"
    assert not TrainingBooking.objects.exists()


def test_a_session_of_another_event_is_not_found(session):
    stranger = AttendeeFactory(event=EventFactory())
    with pytest.raises(DomainError) as exc:
        book(stranger, session)
    assert exc.value.code == "session_not_found"


def test_booking_by_module_takes_the_earliest_session_with_a_free_seat(module, make_attendee):
    morning = TrainingSessionFactory(module=module, capacity=1)
    afternoon = TrainingSessionFactory(
        module=module, starts_at=morning.starts_at + dt.timedelta(hours=3)
    )
    assert book(make_attendee(), module_id=module.pk).booking.session_id == morning.pk
    assert book(make_attendee(), module_id=module.pk).booking.session_id == afternoon.pk


def test_booking_by_module_skips_sessions_that_clash_or_have_closed(event, module, make_attendee):
    closed = TrainingSessionFactory(
        module=module, starts_at=timezone.now() + dt.timedelta(minutes=10)
    )
    morning = TrainingSessionFactory(module=module)
    afternoon = TrainingSessionFactory(
        module=module, starts_at=morning.starts_at + dt.timedelta(hours=3)
    )
    attendee = make_attendee()
    other = TrainingSessionFactory(
        module=TrainingModuleFactory(event=event, title="First aid"), starts_at=morning.starts_at
    )
    book(attendee, other)
    booking = book(attendee, module_id=module.pk).booking
    assert booking.session_id == afternoon.pk
    assert booking.session_id != closed.pk


def test_booking_by_module_joins_the_earliest_waiting_list_when_all_are_full(module, make_attendee):
    morning = TrainingSessionFactory(module=module, capacity=1)
    TrainingSessionFactory(
        module=module, capacity=1, starts_at=morning.starts_at + dt.timedelta(hours=3)
    )
    book(make_attendee(), module_id=module.pk)
    book(make_attendee(), module_id=module.pk)
    result = book(make_attendee(), module_id=module.pk)
    assert result.booking.session_id == morning.pk
    assert result.waitlist_position == 1


def test_booking_by_module_reports_why_nothing_fits(module, make_attendee):
    with pytest.raises(DomainError) as exc:
        book(make_attendee(), module_id=module.pk)  # no sessions at all
    assert exc.value.code == "module_not_found"
    TrainingSessionFactory(module=module, starts_at=timezone.now() + dt.timedelta(minutes=10))
    with pytest.raises(DomainError) as exc:
        book(make_attendee(), module_id=module.pk)
    assert exc.value.code == "booking_closed"


def test_the_database_refuses_more_seats_than_capacity(session):
    from django.db import IntegrityError, transaction

    session.booked_count = session.capacity + 1
    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()
