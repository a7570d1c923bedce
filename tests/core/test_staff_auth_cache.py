"""A staff token and its roles are remembered per process for a short time:
a revocation takes effect at once in the process that made it, and within
the cache time (STAFF_AUTH_CACHE_SECONDS) everywhere else."""

import pytest
from django.db import connection
from django.urls import reverse
from rest_framework.authtoken.models import Token

from eventhub.core import authentication, permissions
from eventhub.core.models import StaffRole
from registrations.models import CheckIn
from tests.factories import AttendeeFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


def scan(client, event):
    attendee = AttendeeFactory(event=event)
    return client.post(
        reverse("api-checkin-create", args=[event.slug]),
        {"payload": attendee.ticket.qr_payload},
        format="json",
    )


def as_elsewhere(sql: str, params: list) -> None:
    """A change made by another server process: this one gets no signal."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def clock(monkeypatch):
    """The monotonic clock both caches read, moved by hand."""
    now = [1000.0]
    monkeypatch.setattr(authentication, "_now", lambda: now[0])
    monkeypatch.setattr(permissions, "_now", lambda: now[0])
    return now


def test_a_token_deleted_in_this_process_is_refused_at_once(event, staff_client):
    client = staff_client(event, Role.VOLUNTEER)
    assert scan(client, event).status_code == 200
    Token.objects.get().delete()
    assert scan(client, event).status_code == 401


def test_a_deactivated_user_is_refused_at_once(event, staff_client):
    client = staff_client(event, Role.VOLUNTEER)
    assert scan(client, event).status_code == 200
    user = Token.objects.get().user
    user.is_active = False
    user.save()
    assert scan(client, event).status_code == 401


def test_a_token_revoked_by_another_process_is_refused_within_the_cache_time(
    event, staff_client, clock, settings
):
    settings.STAFF_AUTH_CACHE_SECONDS = 30
    client = staff_client(event, Role.VOLUNTEER)
    assert scan(client, event).status_code == 200
    as_elsewhere("DELETE FROM authtoken_token", [])
    clock[0] += 29
    assert scan(client, event).status_code == 200  # still remembered here
    clock[0] += 2
    assert scan(client, event).status_code == 401


def test_a_role_revoked_in_this_process_is_refused_at_once(event, staff_client):
    client = staff_client(event, Role.VOLUNTEER)
    assert scan(client, event).status_code == 200
    StaffRole.objects.filter(event=event).delete()
    assert scan(client, event).status_code == 403


def test_a_role_revoked_by_another_process_is_refused_within_the_cache_time(
    event, staff_client, clock, settings
):
    settings.STAFF_AUTH_CACHE_SECONDS = 30
    client = staff_client(event, Role.VOLUNTEER)
    assert scan(client, event).status_code == 200
    as_elsewhere("DELETE FROM eventhub_staffrole WHERE event_id = %s", [event.pk])
    clock[0] += 29
    assert scan(client, event).status_code == 200
    clock[0] += 2
    assert scan(client, event).status_code == 403


def test_a_role_granted_in_this_process_counts_at_once(event, staff_client):
    client = staff_client(event, Role.DOCTOR)
    assert scan(client, event).status_code == 403
    StaffRole.objects.create(event=event, user=Token.objects.get().user, role=Role.VOLUNTEER)
    response = scan(client, event)
    assert response.status_code == 200
    assert response.json()["result"] == "ok"
    assert CheckIn.objects.filter(event=event).count() == 1
