"""Cancelling frees a seat for the first person waiting, who is told by
e-mail; no-shows lose their seat after the start; seat changes are pushed to
the stats sockets after commit."""

import asyncio
import datetime as dt

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from eventhub.core.exceptions import DomainError
from eventhub.core.realtime import stats_group
from registrations.models import TrainingBooking
from registrations.services.attendees import attendee_cancel
from registrations.services.training import (
    training_booking_cancel,
    training_booking_create,
    training_bookings_cancel_for_attendee,
    training_no_shows_release,
)
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db
Status = TrainingBooking.Status


def book(attendee, session):
    return training_booking_create(attendee_id=attendee.pk, session_id=session.pk).booking


def test_cancelling_a_seat_promotes_the_first_person_waiting_and_emails_them(
    module, make_attendee, django_capture_on_commit_callbacks
):
    session = TrainingSessionFactory(module=module, capacity=1)
    holder = book(make_attendee(), session)
    first = book(make_attendee(first_name="Ștefan", language="ro"), session)
    second = book(make_attendee(), session)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = training_booking_cancel(booking_id=holder.pk)
    assert [b.pk for b in promoted] == [first.pk]
    statuses = dict(TrainingBooking.objects.values_list("pk", "status"))
    assert statuses == {
        holder.pk: Status.CANCELLED,
        first.pk: Status.CONFIRMED,
        second.pk: Status.WAITLISTED,
    }
    session.refresh_from_db()
    assert session.booked_count == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [first.attendee.email]
    assert module.title in message.subject
    assert "Ștefan" in message.body
    assert f"/t/{first.attendee.ticket.manage_key}/training/" in message.body


def test_promotion_follows_the_order_people_joined_the_waiting_list(module, make_attendee):
    session = TrainingSessionFactory(module=module, capacity=2)
    holders = [book(make_attendee(), session) for _ in range(2)]
    waiting = [book(make_attendee(), session) for _ in range(3)]
    promoted = []
    for holder in holders:
        promoted += training_booking_cancel(booking_id=holder.pk)
    assert [b.pk for b in promoted] == [waiting[0].pk, waiting[1].pk]
    waiting[2].refresh_from_db()
    assert waiting[2].status == Status.WAITLISTED


def test_leaving_the_waiting_list_moves_the_others_up_and_promotes_nobody(module, make_attendee):
    from registrations.selectors.training import waitlist_position

    session = TrainingSessionFactory(module=module, capacity=1)
    book(make_attendee(), session)
    first, second = book(make_attendee(), session), book(make_attendee(), session)
    assert training_booking_cancel(booking_id=first.pk) == []
    second.refresh_from_db()
    assert waitlist_position(second) == 1


def test_cancelling_twice_or_someone_elses_booking_is_refused(session, make_attendee):
    booking = book(make_attendee(), session)
    with pytest.raises(DomainError) as exc:
        training_booking_cancel(booking_id=booking.pk, attendee_id=make_attendee().pk)
    assert exc.value.code == "booking_not_found"
    training_booking_cancel(booking_id=booking.pk)
    with pytest.raises(DomainError) as exc:
        training_booking_cancel(booking_id=booking.pk)
    assert exc.value.code == "booking_not_active"


def test_seats_freed_after_the_start_are_not_promoted_automatically(module, make_attendee):
    session = TrainingSessionFactory(module=module, capacity=1)
    holder = book(make_attendee(), session)
    waiting = book(make_attendee(), session)
    after_start = session.starts_at + dt.timedelta(minutes=1)
    assert training_booking_cancel(booking_id=holder.pk, now=after_start) == []
    waiting.refresh_from_db()
    assert waiting.status == Status.WAITLISTED


def test_no_shows_lose_their_seat_at_the_release_time_only_once(module, make_attendee):
    session = TrainingSessionFactory(module=module, capacity=3)
    present, absent = book(make_attendee(), session), book(make_attendee(), session)
    TrainingBooking.objects.filter(pk=present.pk).update(checked_in_at=session.starts_at)
    before = session.no_show_release_at - dt.timedelta(seconds=1)
    assert training_no_shows_release(now=before) == 0
    at_release = session.no_show_release_at
    assert training_no_shows_release(now=at_release) == 1
    assert training_no_shows_release(now=at_release + dt.timedelta(minutes=1)) == 0
    absent.refresh_from_db()
    present.refresh_from_db()
    session.refresh_from_db()
    assert (absent.status, present.status) == (Status.RELEASED, Status.CONFIRMED)
    assert session.booked_count == 1


def test_the_release_command_is_safe_to_run_from_cron(module, make_attendee, capsys):
    started = TrainingSessionFactory(
        module=module,
        starts_at=timezone.now() - dt.timedelta(minutes=15),
        booking_closes_minutes=0,
    )
    TrainingBooking.objects.create(
        session=started,
        module=module,
        attendee=make_attendee(),
        status=Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    started.booked_count = 1
    started.save()
    call_command("training_release_no_shows")
    call_command("training_release_no_shows")
    assert capsys.readouterr().out.splitlines() == ["Seats freed: 1", "Seats freed: 0"]


def test_cancelling_a_registration_cancels_its_training_bookings(event, module, make_attendee):
    first = TrainingSessionFactory(module=module)
    attendee = make_attendee()
    book(attendee, first)
    assert training_bookings_cancel_for_attendee(attendee_id=attendee.pk) == 1
    first.refresh_from_db()
    assert first.booked_count == 0


def test_cancelling_a_ticket_hands_its_seat_to_the_first_person_waiting(module, make_attendee):
    session = TrainingSessionFactory(module=module, capacity=1)
    holder, waiting = make_attendee(), make_attendee()
    book(holder, session)
    book(waiting, session)
    attendee_cancel(attendee_id=holder.pk)
    statuses = dict(
        TrainingBooking.objects.filter(session=session).values_list("attendee_id", "status")
    )
    assert statuses == {
        holder.pk: TrainingBooking.Status.CANCELLED,
        waiting.pk: TrainingBooking.Status.CONFIRMED,
    }


def test_every_seat_change_tells_the_stats_sockets_after_commit(
    event, session, make_attendee, django_capture_on_commit_callbacks
):
    attendee = make_attendee()

    def change_seats():
        with django_capture_on_commit_callbacks(execute=True):
            booking = book(attendee, session)
        with django_capture_on_commit_callbacks(execute=True):
            training_booking_cancel(booking_id=booking.pk)

    async def listen_while_changing():
        # Listen and change in one event loop, as a server process does.
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(stats_group(event.pk), channel)
        await sync_to_async(change_seats)()
        received = [await asyncio.wait_for(layer.receive(channel), 5) for _ in range(2)]
        await layer.group_discard(stats_group(event.pk), channel)
        return received

    received = async_to_sync(listen_while_changing)()
    assert [{k: v for k, v in m.items() if k not in ("seq", "message")} for m in received] == [
        {"type": "stats.changed", "event_id": event.pk, "part": "training"}
    ] * 2
    # The figures travel with the change: one seat taken, then freed again.
    assert [m["message"]["training"][0]["booked"] for m in received] == [1, 0]
    # Each change carries the next number of the event's shared sequence.
    assert received[1]["seq"] == received[0]["seq"] + 1


def test_a_refused_booking_sends_nothing(
    session, make_attendee, django_capture_on_commit_callbacks
):
    attendee = make_attendee()
    book(attendee, session)
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DomainError):
        book(attendee, session)
    assert callbacks == []


def test_the_stats_selector_gives_seats_per_session(event, module, make_attendee):
    from registrations.selectors.training import training_stats

    session = TrainingSessionFactory(module=module, capacity=1)
    book(make_attendee(), session)
    book(make_attendee(), session)
    stats = training_stats(event_id=event.pk)
    assert stats["sessions"] == [
        {
            "id": session.pk,
            "module": module.title,
            "starts_at": session.starts_at.astimezone(dt.UTC).isoformat(),
            "capacity": 1,
            "booked": 1,
            "free": 0,
            "waitlisted": 1,
            "checked_in": 0,
        }
    ]


def test_an_organizers_session_edit_promotes_moves_times_and_tells_the_stats(
    event, module, make_attendee, django_capture_on_commit_callbacks
):
    from eventhub.core.capacity import CapacityBelowTaken
    from registrations.services.training import training_session_update

    session = TrainingSessionFactory(module=module, capacity=1)
    book(make_attendee(), session)
    first = book(make_attendee(), session)
    second = book(make_attendee(), session)
    with pytest.raises(CapacityBelowTaken):
        training_session_update(session_id=session.pk, capacity=0)
    later = session.starts_at + dt.timedelta(hours=1)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        updated, promoted = training_session_update(
            session_id=session.pk,
            capacity=2,
            starts_at=later,
            ends_at=later + dt.timedelta(hours=1),
        )
    assert [b.pk for b in promoted] == [first.pk]
    assert (updated.booked_count, updated.starts_at) == (2, later)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.CONFIRMED, Status.WAITLISTED)
    assert len(mail.outbox) == 1
    assert callbacks  # the e-mail and the stats message, after the commit


def test_a_capacity_raise_in_the_modules_session_inline_promotes_through_the_service(
    client, event, module, make_attendee
):
    from django.urls import reverse

    from tests.admin_tools import module_form
    from tests.factories import UserFactory

    session = TrainingSessionFactory(module=module, capacity=1)
    book(make_attendee(), session)
    waiting = book(make_attendee(), session)
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:registrations_trainingmodule_change", args=[module.pk]),
        module_form(module, session, **{"sessions-0-room_en": "Tent", "sessions-0-capacity": 2}),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    waiting.refresh_from_db()
    session.refresh_from_db()
    assert waiting.status == Status.CONFIRMED
    assert (session.capacity, session.booked_count, session.room) == (2, 2, "Tent")
