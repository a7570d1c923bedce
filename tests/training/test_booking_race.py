"""40 people book 15 seats at the same moment, over real concurrent HTTP
requests on PostgreSQL: exactly 15 get a seat and the rest queue in order."""

import threading

import httpx
import pytest
from django.core.servers import basehttp
from django.db import connection

from registrations.models import TrainingBooking
from tests.factories import AttendeeFactory
from tests.training.factories import TrainingSessionFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="races need PostgreSQL"),
]

# The live server's listen backlog (10) would reset some of 40 simultaneous
# connections before Django sees them; a real deployment listens with more.
basehttp.WSGIServer.request_queue_size = 128


def test_forty_parallel_bookings_for_fifteen_seats_confirm_exactly_fifteen(live_server, event):
    session = TrainingSessionFactory(module__event=event, capacity=15)
    codes = [AttendeeFactory(event=event).ticket.manage_key for _ in range(40)]
    start = threading.Barrier(len(codes))
    answers = {}

    def book(code):
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            start.wait()
            response = client.post(
                f"/api/v1/tickets/{code}/bookings/", json={"session": session.pk}
            )
            answers[code] = (response.status_code, response.json())

    threads = [threading.Thread(target=book, args=(code,)) for code in codes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted({status for status, _ in answers.values()}) == [201]
    statuses = [body["status"] for _, body in answers.values()]
    assert statuses.count("confirmed") == 15
    assert statuses.count("waitlisted") == 25
    positions = sorted(
        body["waitlist_position"] for _, body in answers.values() if body["waitlist_position"]
    )
    assert positions == list(range(1, 26))
    session.refresh_from_db()
    assert session.booked_count == 15
    assert TrainingBooking.objects.filter(session=session, status="confirmed").count() == 15


def test_parallel_cancellations_never_promote_more_than_the_freed_seats(live_server, event):
    session = TrainingSessionFactory(module__event=event, capacity=5)
    from registrations.services.training import training_booking_create

    holders = []
    for _ in range(15):
        attendee = AttendeeFactory(event=event)
        booking = training_booking_create(attendee_id=attendee.pk, session_id=session.pk).booking
        if booking.status == "confirmed":
            holders.append((attendee.ticket.manage_key, booking.pk))
    start = threading.Barrier(len(holders))

    def cancel(code, booking_id):
        with httpx.Client(base_url=live_server.url, timeout=60) as client:
            start.wait()
            client.delete(f"/api/v1/tickets/{code}/bookings/{booking_id}/")

    threads = [threading.Thread(target=cancel, args=holder) for holder in holders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    session.refresh_from_db()
    confirmed = TrainingBooking.objects.filter(session=session, status="confirmed").count()
    assert session.booked_count == confirmed == 5
    assert TrainingBooking.objects.filter(session=session, status="waitlisted").count() == 5


def test_bookings_racing_a_capacity_raise_fill_exactly_the_new_seats(event):
    """20 people book a full 5-seat session while the organizer raises it to
    10, all at once, each with its own connection: 10 confirmed, the counter
    agrees, the rest wait."""
    from django.db import connections

    from registrations.services.training import training_booking_create, training_session_update

    session = TrainingSessionFactory(module__event=event, capacity=5)
    for _ in range(5):
        training_booking_create(attendee_id=AttendeeFactory(event=event).pk, session_id=session.pk)
    people = [AttendeeFactory(event=event).pk for _ in range(20)]
    start = threading.Barrier(len(people) + 1)

    def run(job):
        try:
            start.wait()
            return job()
        finally:
            connections.close_all()

    jobs = [
        lambda pk=pk: training_booking_create(attendee_id=pk, session_id=session.pk)
        for pk in people
    ]
    jobs.append(lambda: training_session_update(session_id=session.pk, capacity=10))
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    session.refresh_from_db()
    confirmed = TrainingBooking.objects.filter(session=session, status="confirmed").count()
    waiting = TrainingBooking.objects.filter(session=session, status="waitlisted").count()
    assert session.capacity == 10
    assert session.booked_count == confirmed == 10
    assert waiting == 15
