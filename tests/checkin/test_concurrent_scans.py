"""Two gates scanning one ticket at the same moment: exactly one is admitted;
a training door seats walk-ins up to its capacity (PostgreSQL)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from eventhub.core.models import StaffRole
from registrations.models import CheckIn, ScanLog, TrainingBooking
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory
from tests.training.factories import TrainingSessionFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (STYLE.md §6)"
    ),
]

SCANNERS = 20


def _scan_in_parallel(url, tokens, bodies):
    barrier = threading.Barrier(len(bodies))
    answers = [None] * len(bodies)

    def scan(i):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[i % len(tokens)]}")
        try:
            barrier.wait(timeout=10)
            response = client.post(url, bodies[i], format="json")
            answers[i] = (response.status_code, response.json()["result"])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan, args=(i,)) for i in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_twenty_parallel_scans_of_one_ticket_admit_it_exactly_once():
    event = EventFactory()
    tokens = [
        Token.objects.create(
            user=StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
        ).key
        for _ in range(4)
    ]
    attendee = AttendeeFactory(event=event)
    url = reverse("api-checkin-create", args=[event.slug])
    bodies = [
        {"payload": attendee.ticket.qr_payload, "gate": f"Gate {i % 4}"} for i in range(SCANNERS)
    ]
    answers = _scan_in_parallel(url, tokens, bodies)
    assert all(status == 200 for status, _result in answers)
    results = [result for _status, result in answers]
    assert results.count("ok") == 1
    assert results.count("already_checked_in") == SCANNERS - 1
    assert CheckIn.objects.filter(ticket=attendee.ticket).count() == 1
    assert ScanLog.objects.filter(ticket=attendee.ticket).count() == SCANNERS


def test_parallel_retries_with_one_nonce_all_get_the_first_answer():
    event = EventFactory()
    token = Token.objects.create(
        user=StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    ).key
    attendee = AttendeeFactory(event=event)
    url = reverse("api-checkin-create", args=[event.slug])
    bodies = [{"payload": attendee.ticket.code, "nonce": "same-scan"} for _ in range(8)]
    answers = _scan_in_parallel(url, [token], bodies)
    assert [result for _status, result in answers] == ["ok"] * 8
    assert CheckIn.objects.count() == 1


def test_parallel_door_scans_seat_walk_ins_up_to_capacity_and_admit_each_once():
    """Twelve scans at a training door at once, for three free seats: six
    walk-ins scanned twice each. Exactly three take a seat, each admitted
    once; the others are turned away, and every scan is logged."""
    event = EventFactory()
    token = Token.objects.create(
        user=StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    ).key
    session = TrainingSessionFactory(
        module__event=event, starts_at=timezone.now() - dt.timedelta(minutes=5), capacity=3
    )
    people = [AttendeeFactory(event=event) for _ in range(6)]
    bodies = [{"payload": p.ticket.code} for p in people] * 2
    url = f"/api/v1/training-sessions/{session.pk}/checkins/"
    answers = _scan_in_parallel(url, [token], bodies)
    assert all(status == 200 for status, _result in answers)
    results = [result for _status, result in answers]
    assert results.count("ok") == 3
    assert results.count("already_checked_in") == 3
    assert results.count("not_admissible") == 6
    session.refresh_from_db()
    seated = TrainingBooking.objects.filter(session=session, status="confirmed")
    assert session.booked_count == seated.count() == 3
    assert CheckIn.objects.filter(target=f"training:{session.pk}").count() == 3
    assert ScanLog.objects.filter(target=f"training:{session.pk}").count() == 12
