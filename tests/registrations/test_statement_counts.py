"""The statements of a registration, pinned (issue 15): a change that adds a
round trip to the busiest public request shows up here."""

import pytest

from tests.factories import RegionFactory
from tests.registrations.test_registration_api import url, valid

pytestmark = pytest.mark.django_db


def test_a_registration_costs_ten_statements(api_client, event, django_assert_num_queries):
    # The event and the region (the view), then in the transaction (BEGIN and
    # COMMIT show up as SAVEPOINT/RELEASE inside the test's): the event again,
    # locked, the e-mail's earlier registration, the confirmed count, the
    # attendee and ticket inserts; then the event's signing key for the
    # answer's QR payload. The ticket e-mail is enqueued after commit. (The
    # first registration of an event also makes its key: not counted here.)
    region = RegionFactory(programme=event.programme)
    api_client.post(url(event), valid(region, email="first@example.org"), format="json")
    with django_assert_num_queries(10):
        response = api_client.post(url(event), valid(region), format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
