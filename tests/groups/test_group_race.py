"""A group of 4 racing 20 single registrants for the last 3 places, on PostgreSQL."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from rest_framework.test import APIClient

from registrations.models import Attendee
from registrations.services.attendees import attendee_cancel, attendee_register
from tests.factories import EventFactory, RegionFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (SQLite serialises)"
    ),
]

CAPACITY = 10
SINGLES = 20


def person(n: int, region) -> dict:
    return {
        "first_name": "Person",
        "last_name": f"No{n}",
        "email": f"p{n}@example.org",
        "region": region.pk,
        "consent": True,
    }


@pytest.mark.parametrize("free", [3, 3, 4], ids=["3 places", "3 places again", "4 places"])
def test_a_group_racing_twenty_singles_for_the_last_places_is_never_split(free):
    event = EventFactory(capacity=CAPACITY)
    region = RegionFactory(programme=event.programme)
    for n in range(CAPACITY - free):
        attendee_register(
            event_id=event.pk,
            first_name="Early",
            last_name=str(n),
            email=f"early{n}@example.org",
            region_id=region.pk,
        )
    start = threading.Barrier(SINGLES + 1)

    def register(n: int):
        client = APIClient()
        try:
            start.wait()
            if n == SINGLES:
                body = {
                    "contact": person(1000, region),
                    "members": [{"first_name": f"M{i}", "last_name": "G"} for i in range(3)],
                    "transport_from": "Satu Nou",
                }
                return client.post(
                    f"/api/v1/events/{event.slug}/group-registrations/", body, format="json"
                )
            return client.post(
                f"/api/v1/events/{event.slug}/registrations/", person(n, region), format="json"
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=SINGLES + 1) as pool:
        responses = list(pool.map(register, range(SINGLES + 1)))

    assert {r.status_code for r in responses} == {201}
    group_status = responses[-1].json()["status"]
    assert group_status in ("confirmed", "waitlisted")  # whole, never split
    members = Attendee.objects.filter(group_id=responses[-1].json()["id"])
    assert set(members.values_list("status", flat=True)) == {group_status}
    confirmed = Attendee.objects.filter(event=event, status="confirmed").count()
    event.refresh_from_db()
    assert confirmed == event.confirmed_count <= CAPACITY
    if free == 3:
        assert group_status == "waitlisted"  # 4 never fit in 3 places
    if group_status == "confirmed":
        assert confirmed == CAPACITY
        return
    # Singles that came before the group took places; those behind it wait
    # with it (no overtaking), so up to 3 places may stay free for now.
    assert CAPACITY - 3 <= confirmed <= CAPACITY

    # Places free one by one: the group is promoted whole once 4 are free,
    # and the singles queued behind it never take those places first.
    head = (
        Attendee.objects.filter(event=event, status="waitlisted")
        .order_by("created_at", "pk")
        .first()
    )
    early = list(Attendee.objects.filter(event=event, first_name="Early").order_by("pk"))
    promoted = []
    for attendee in early[:4]:
        promoted = attendee_cancel(attendee_id=attendee.pk)
        if promoted:
            break
    if head.group_id is not None:
        assert len(promoted) == 4
        assert set(members.values_list("status", flat=True)) == {"confirmed"}
    event.refresh_from_db()
    assert (
        event.confirmed_count
        == Attendee.objects.filter(event=event, status="confirmed").count()
        <= CAPACITY
    )
