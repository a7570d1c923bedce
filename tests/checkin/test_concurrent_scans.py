"""Two gates scanning one ticket at the same moment: exactly one is admitted (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from eventhub.core.models import StaffRole
from registrations.models import CheckIn, ScanLog
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory

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
