"""Redis stopped: the public side of the fair keeps working.

Registration, the events list, the ticket page, the kiosk snapshot (the
polling fallback of every screen) and /healthz answer; the throttles count
per process while Redis is away (issue 12).
"""

import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from tests.factories import EventFactory, KioskFactory, RegionFactory
from tests.faults.conftest import redis_settings

pytestmark = pytest.mark.django_db(transaction=True)


def register(client, event, n):
    return client.post(
        f"/api/v1/events/{event.slug}/registrations/",
        {
            "first_name": "Ana",
            "last_name": f"Pop{n}",
            "email": f"ana{n}@example.org",
            "region": RegionFactory(programme=event.programme).pk,
            "category": "citizen",
            "consent": True,
        },
        format="json",
    )


def test_with_redis_stopped_the_public_side_answers(own_redis):
    event = EventFactory()
    kiosk = KioskFactory(event=event, kind="stats")
    terminal = KioskFactory(event=event, kind="checkin")
    client = APIClient()
    with override_settings(**redis_settings(own_redis.url)):
        assert register(client, event, 1).status_code == 201  # Redis up: as usual
        own_redis.kill()

        assert client.get("/api/v1/events/").status_code == 200
        response = register(client, event, 2)
        assert response.status_code == 201, response.content
        manage_url = response.json()["ticket"]["manage_url"]
        assert client.get(manage_url).status_code == 200
        snapshot = client.get(f"/api/v1/kiosk/{kiosk.token}/snapshot/")
        assert snapshot.status_code == 200, snapshot.content
        assert snapshot.json()["confirmed"] == 2
        payload = response.json()["ticket"]["qr_payload"]
        looked_up = client.post(
            f"/api/v1/kiosk/{terminal.token}/lookup/", {"payload": payload}, format="json"
        )
        assert looked_up.status_code == 200, looked_up.content
        assert looked_up.json()["first_name"] == "Ana"


def test_with_redis_stopped_healthz_says_degraded_and_what_is_down(own_redis, client):
    with override_settings(**redis_settings(own_redis.url)):
        own_redis.kill()
        response = client.get("/healthz")  # the test client comes from loopback
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"
    assert response.json()["down"] == ["channel_layer"]


def test_with_redis_stopped_throttles_still_limit_per_process(own_redis):
    from eventhub.core.throttling import PublicWriteRateThrottle

    event = EventFactory()
    client = APIClient()
    with override_settings(**redis_settings(own_redis.url)):
        own_redis.kill()
        rates = {"public": "1000/min", "public_write": "2/min"}
        old = PublicWriteRateThrottle.THROTTLE_RATES
        PublicWriteRateThrottle.THROTTLE_RATES = rates
        try:
            answers = [register(client, event, n).status_code for n in range(3)]
        finally:
            PublicWriteRateThrottle.THROTTLE_RATES = old
    assert answers == [201, 201, 429]
