"""Overload is a clean 503 with Retry-After, never a 500: a row lock held
too long, or no pooled database connection free (issue 12)."""

import threading
from unittest import mock

import psycopg
import pytest
from django.db import connection
from django.db.utils import OperationalError
from rest_framework.test import APIClient

from tests.factories import EventFactory, RegionFactory

POOL_EMPTY = OperationalError("couldn't get a connection after 10.00 sec")


def registration(event):
    return {
        "first_name": "Ana",
        "last_name": "Pop",
        "email": "ana@example.org",
        "region": RegionFactory(programme=event.programme).pk,
        "category": "citizen",
        "consent": True,
    }


@pytest.mark.django_db
def test_the_api_answers_503_busy_when_no_connection_is_free():
    event = EventFactory()
    with mock.patch("registrations.api.registrations.attendee_register", side_effect=POOL_EMPTY):
        response = APIClient().post(
            f"/api/v1/events/{event.slug}/registrations/", registration(event), format="json"
        )
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "busy"
    assert response["Retry-After"] == "1"


@pytest.mark.django_db
def test_a_page_answers_503_with_a_short_page_when_no_connection_is_free(client):
    event = EventFactory()
    with mock.patch("registrations.views.registration.attendee_register", side_effect=POOL_EMPTY):
        response = client.post(f"/e/{event.slug}/register/", registration(event))
    assert response.status_code == 503
    assert response["Retry-After"] == "1"
    assert "try again in a few seconds" in response.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_registration_waiting_too_long_for_the_fairs_row_answers_503():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and lock_timeout need PostgreSQL")
    event = EventFactory()
    data = registration(event)
    db = connection.settings_dict
    holder = psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=False
    )
    locked, release = threading.Event(), threading.Event()

    def hold_the_row():
        with holder.cursor() as cursor:
            cursor.execute("SELECT 1 FROM eventhub_event WHERE id = %s FOR UPDATE", [event.pk])
            locked.set()
            release.wait(timeout=30)
        holder.rollback()

    thread = threading.Thread(target=hold_the_row)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '300ms'")
        response = APIClient().post(
            f"/api/v1/events/{event.slug}/registrations/", data, format="json"
        )
    finally:
        release.set()
        thread.join(timeout=10)
        holder.close()
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "busy"
