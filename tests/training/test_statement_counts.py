"""The statements of a training booking, pinned (issue 15)."""

import pytest

from tests.training.test_booking_api import bookings_url

pytestmark = pytest.mark.django_db


def test_a_booking_costs_twelve_statements(
    api_client, module, session, make_attendee, django_assert_num_queries
):
    # The ticket (with its attendee); in the transaction: the attendee locked,
    # the session locked, the two "already booked" checks, the booking insert
    # in its own savepoint, the seat count update; then the answer's
    # certificate look-up.
    api_client.post(bookings_url(make_attendee()), {"module": module.pk}, format="json")
    attendee = make_attendee()
    with django_assert_num_queries(12):
        response = api_client.post(bookings_url(attendee), {"session": session.pk}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
