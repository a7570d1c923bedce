"""The number of SQL queries of a registration is pinned: a change that adds
queries to the hot path of the fair's busiest request shows up here."""

import pytest
from django.core.cache import cache

from tests.factories import EventFactory, RegionFactory

pytestmark = pytest.mark.django_db


def test_a_registration_through_the_api_takes_a_fixed_number_of_queries(
    api_client, django_assert_num_queries
):
    cache.clear()
    region = RegionFactory()
    # With fewer than 11 places left a registration also reads the waiting
    # list (a group at its head must not be overtaken, docs/groups.md): the
    # pinned hot path is the morning with room.
    event = EventFactory(programme=region.programme, capacity=100)
    body = {
        "first_name": "Ana",
        "last_name": "Pop",
        "email": "ana@example.org",
        "region": region.pk,
        "consent": True,
    }
    # The first ticket of an event makes its Ed25519 key; the rest only sign.
    first = api_client.post(
        f"/api/v1/events/{event.slug}/registrations/",
        {**body, "email": "first@example.org"},
        format="json",
    )
    assert first.status_code == 201
    with django_assert_num_queries(10):
        response = api_client.post(
            f"/api/v1/events/{event.slug}/registrations/", body, format="json"
        )
    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
