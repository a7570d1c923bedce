"""The day's queue: numbers, serving order (appointments around their slot,
walk-ins in the gaps, missed slots rejoin as walk-ins), positions and waits,
and the doctor's actions on an entry."""

import datetime as dt

import pytest
from django.utils import timezone

from registrations.exceptions import TicketNotFound
from screenings.exceptions import InvalidTransition, StationPaused
from screenings.models import Appointment, QueueEntry, Slot
from screenings.selectors.queue import entry_position_and_wait, estimate_wait
from screenings.services.appointments import appointment_book
from screenings.services.queue import (
    queue_call_next,
    queue_entry_complete,
    queue_entry_hand_over,
    queue_entry_no_show,
    queue_entry_recall,
    queue_entry_start,
    queue_join,
    station_set_open,
)
from tests.screenings.helpers import make_attendee, make_service, make_slot

pytestmark = pytest.mark.django_db
Status = QueueEntry.Status


@pytest.fixture
def service(event):
    return make_service(event, stations=2, duration_minutes=10)


def walk_in(service, name="Vasile", **extra):
    return queue_join(service_id=service.pk, walk_in={"first_name": name, **extra})


def with_appointment(service, *, slot_in_minutes):
    """An attendee booked into a slot starting ``slot_in_minutes`` from now."""
    slot = make_slot(service, in_hours=1)  # booked in the future, then moved
    attendee = make_attendee(service.event)
    appointment = appointment_book(slot_id=slot.pk, attendee_id=attendee.pk, health_consent=True)
    start = timezone.now() + dt.timedelta(minutes=slot_in_minutes)
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(minutes=15)
    )
    return attendee, appointment


def test_numbers_carry_the_service_prefix_and_count_up(service):
    first = walk_in(service)
    second = walk_in(service, "Milan")
    assert (first.number, second.number) == ("T-001", "T-002")
    assert (first.position, second.position) == (1, 2)


def test_estimated_wait_uses_people_ahead_and_open_stations(service):
    for name in ["A", "B", "C", "D"]:
        last = walk_in(service, name)
    # three ahead, two stations, ten minutes each
    assert last.estimated_wait_minutes == estimate_wait(
        ahead=3, open_stations=2, average_minutes=10
    )
    assert last.estimated_wait_minutes == 15
    station_set_open(station_id=service.stations.first().pk, is_open=False)
    position, wait = entry_position_and_wait(entry=last.entry)
    assert (position, wait) == (4, 30)


def test_an_appointment_holder_whose_slot_has_come_goes_before_walk_ins(service):
    early_walk_in = walk_in(service, "Early")
    attendee, _ = with_appointment(service, slot_in_minutes=2)
    holder = queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    assert holder.entry.kind == QueueEntry.Kind.APPOINTMENT
    assert holder.position == 1
    station = service.stations.first()
    assert queue_call_next(station_id=station.pk).pk == holder.entry.pk
    assert queue_call_next(station_id=station.pk).pk == early_walk_in.entry.pk


def test_walk_ins_fill_the_gap_before_an_appointment_holder_who_came_early(service):
    attendee, _ = with_appointment(service, slot_in_minutes=60)
    holder = queue_join(service_id=service.pk, ticket=attendee.ticket.qr_payload)
    gap_filler = walk_in(service, "Gap")
    station = service.stations.first()
    assert queue_call_next(station_id=station.pk).pk == gap_filler.entry.pk
    # with nobody else waiting, the early appointment holder is seen at once
    assert queue_call_next(station_id=station.pk).pk == holder.entry.pk


def test_appointment_holders_are_served_in_slot_order(service):
    later, _ = with_appointment(service, slot_in_minutes=3)
    sooner, _ = with_appointment(service, slot_in_minutes=-5)
    later_entry = queue_join(service_id=service.pk, ticket=later.ticket.code).entry
    sooner_entry = queue_join(service_id=service.pk, ticket=sooner.ticket.code).entry
    station = service.stations.first()
    assert [queue_call_next(station_id=station.pk).pk for _ in range(2)] == [
        sooner_entry.pk,
        later_entry.pk,
    ]


def test_someone_who_missed_their_slot_rejoins_as_a_walk_in(service):
    walk_in(service, "First")
    attendee, appointment = with_appointment(service, slot_in_minutes=-60)
    late = queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    assert late.entry.kind == QueueEntry.Kind.WALK_IN
    assert "missed_slot" in late.entry.flags
    assert late.position == 2  # behind the walk-in who came first
    station = service.stations.first()
    queue_call_next(station_id=station.pk)
    assert queue_call_next(station_id=station.pk).pk == late.entry.pk
    queue_entry_complete(entry_id=late.entry.pk)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ATTENDED


def test_joining_twice_returns_the_same_number(service):
    attendee = make_attendee(service.event, needs_transport=True)
    first = queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    again = queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    assert again.created is False
    assert again.number == first.number == "T-001"
    assert first.entry.flags == ["free_transport"]


def test_a_ticket_of_another_event_is_not_found(service):
    stranger = make_attendee(make_service(code="X").event)
    with pytest.raises(TicketNotFound):
        queue_join(service_id=service.pk, ticket=stranger.ticket.code)


def test_the_visit_runs_called_started_done_with_referral_and_note(service):
    attendee, appointment = with_appointment(service, slot_in_minutes=0)
    entry = queue_join(service_id=service.pk, ticket=attendee.ticket.code).entry
    station = service.stations.first()
    called = queue_call_next(station_id=station.pk)
    assert called.status == Status.CALLED and called.station_id == station.pk
    assert queue_entry_recall(entry_id=entry.pk).recalls == 1
    assert queue_entry_start(entry_id=entry.pk).status == Status.IN_PROGRESS
    done = queue_entry_complete(
        entry_id=entry.pk, referral_recommended=True, note="Come back in 6 months"
    )
    assert done.status == Status.DONE and done.finished_at
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ATTENDED
    assert appointment.referral_recommended is True
    assert appointment.note == "Come back in 6 months"
    with pytest.raises(InvalidTransition):
        queue_entry_start(entry_id=entry.pk)


def test_a_no_show_marks_the_appointment_and_the_person_may_rejoin(service):
    attendee, appointment = with_appointment(service, slot_in_minutes=0)
    entry = queue_join(service_id=service.pk, ticket=attendee.ticket.code).entry
    queue_call_next(station_id=service.stations.first().pk)
    queue_entry_no_show(entry_id=entry.pk)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.NO_SHOW
    back = queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    assert back.created and back.entry.kind == QueueEntry.Kind.WALK_IN


def test_handing_over_sends_the_person_to_that_station_next(service):
    one, two = service.stations.all()
    walk_in(service, "A")
    handed = walk_in(service, "B").entry
    queue_entry_hand_over(entry_id=handed.pk, station_id=two.pk)
    assert queue_call_next(station_id=two.pk).pk == handed.pk
    assert queue_call_next(station_id=one.pk).first_name == "A"
    assert queue_call_next(station_id=one.pk) is None


def test_a_paused_station_cannot_call_and_an_empty_queue_gives_none(service):
    station = service.stations.first()
    assert queue_call_next(station_id=station.pk) is None
    station_set_open(station_id=station.pk, is_open=False)
    walk_in(service)
    with pytest.raises(StationPaused):
        queue_call_next(station_id=station.pk)
    station_set_open(station_id=station.pk, is_open=True)
    assert queue_call_next(station_id=station.pk) is not None


def test_the_positions_shown_match_the_order_stations_call_in(service):
    from screenings.selectors.queue import serving_order, waiting_entries

    walk_in(service, "W1")
    for minutes in (30, -3, 2, 90):
        attendee, _ = with_appointment(service, slot_in_minutes=minutes)
        queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    walk_in(service, "W2")
    queue = service.queue
    shown = [e.pk for e in serving_order(waiting_entries(queue_id=queue.pk))]
    station = service.stations.first()
    called = [queue_call_next(station_id=station.pk).pk for _ in shown]
    assert called == shown
