"""The number of SQL queries of a training booking through the API is pinned."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_training_booking_through_the_api_takes_a_fixed_number_of_queries(
    api_client, module, session, make_attendee, django_assert_num_queries
):
    attendee = make_attendee()
    with django_assert_num_queries(15):
        response = api_client.post(
            f"/api/v1/tickets/{attendee.ticket.manage_key}/bookings/",
            {"module": module.pk},
            format="json",
        )
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
