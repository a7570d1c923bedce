"""Rate limits that fit a fair: exact under parallel requests, per address for
e-mails, a bus-sized allowance per IP, and the gate's look-up per user."""

import threading

import pytest
from django.conf import settings
from django.core.cache import cache
from rest_framework.test import APIRequestFactory

from eventhub.core.throttling import (
    CountingThrottle,
    PublicRateThrottle,
    PublicWriteRateThrottle,
    parse_rate,
)
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_rates_may_name_a_number_of_minutes():
    assert parse_rate("100/10m") == (100, 600)
    assert parse_rate("120/min") == (120, 60)
    assert parse_rate("5/h") == (5, 3600)


def test_parallel_requests_never_get_more_than_the_rate_through(monkeypatch):
    monkeypatch.setitem(PublicRateThrottle.THROTTLE_RATES, "public", "10/min")
    request = APIRequestFactory().get("/api/v1/events/", REMOTE_ADDR="198.51.100.9")
    allowed = []
    start = threading.Barrier(40)

    def ask():
        start.wait()
        allowed.append(PublicRateThrottle().allow_request(request, None))

    threads = [threading.Thread(target=ask) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert allowed.count(True) == 10 and len(allowed) == 40


def test_lost_ticket_e_mails_to_one_address_are_limited_whatever_the_ip(client, monkeypatch):
    monkeypatch.setitem(CountingThrottle.THROTTLE_RATES, "address", "3/h")
    event = EventFactory()
    AttendeeFactory(event=event, email="victim@example.org")
    statuses = [
        client.post(
            f"/e/{event.slug}/lost-ticket/",
            {"email": "Victim@Example.org "},
            REMOTE_ADDR=f"198.51.100.{n}",
        ).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    other = client.post(f"/e/{event.slug}/lost-ticket/", {"email": "someone@example.org"})
    assert other.status_code == 302


def test_the_registration_form_over_an_addresses_limit_names_it_and_keeps_the_input(
    client, monkeypatch
):
    from tests.factories import RegionFactory

    monkeypatch.setitem(CountingThrottle.THROTTLE_RATES, "address", "1/h")
    events = [EventFactory(), EventFactory()]
    typed = {
        "first_name": "Vera",
        "last_name": "Vukov",
        "email": "vera@example.org",
        "region": str(RegionFactory(programme=events[0].programme).pk),
        "consent": "on",
    }
    answers = [
        client.post(f"/e/{event.slug}/register/", typed, REMOTE_ADDR=f"198.51.100.{n}")
        for n, event in enumerate(events)
    ]
    assert [a.status_code for a in answers] == [302, 429]
    answer = answers[1]
    assert int(answer["Retry-After"]) > 0
    page = answer.content.decode()
    assert 'id="email-errors"' in page and "vera@example.org in a short time" in page
    assert 'value="Vera"' in page and 'value="Vukov"' in page
    assert not events[1].attendees.exists()


def test_the_api_refuses_an_address_over_its_limit_on_its_field(api_client, monkeypatch):
    from tests.factories import RegionFactory

    monkeypatch.setitem(CountingThrottle.THROTTLE_RATES, "address", "1/h")
    events = [EventFactory(), EventFactory()]
    data = {
        "first_name": "Vera",
        "last_name": "Vukov",
        "email": "Vera@Example.org",
        "region": RegionFactory(programme=events[0].programme).pk,
        "consent": True,
    }
    answers = [
        api_client.post(
            f"/api/v1/events/{event.slug}/registrations/",
            data,
            format="json",
            REMOTE_ADDR=f"198.51.100.{n}",
        )
        for n, event in enumerate(events)
    ]
    assert [a.status_code for a in answers] == [201, 429]
    error = answers[1].json()["error"]
    assert error["code"] == "throttled" and int(answers[1]["Retry-After"]) > 0
    assert "vera@example.org" in error["fields"]["email"][0]


def test_a_bus_of_people_registers_from_one_router_within_ten_minutes(monkeypatch):
    monkeypatch.setitem(CountingThrottle.THROTTLE_RATES, "public_write", "100/10m")
    factory = APIRequestFactory()
    answers = []
    for n in range(101):
        request = factory.post("/register/", {"email": f"p{n}@example.org"})
        throttle = PublicWriteRateThrottle()
        answers.append(throttle.allow_request(request, None))
    assert answers.count(True) == 100 and answers[-1] is False
    assert 0 < throttle.wait() <= 600


def test_the_gate_look_up_is_limited_per_volunteer(monkeypatch):
    from tests.conftest import client_for

    monkeypatch.setitem(CountingThrottle.THROTTLE_RATES, "staff_search", "2/min")
    role = StaffRoleFactory(role="volunteer")
    api = client_for(role.user)
    url = f"/api/v1/events/{role.event.slug}/checkins/search/?q=ana"
    statuses = [api.get(url).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert api.get(url).json()["error"]["code"] == "throttled"


def test_ticket_pages_count_against_the_read_rate(client, monkeypatch):
    monkeypatch.setitem(CountingThrottle.THROTTLE_RATES, "public", "3/min")
    key = AttendeeFactory().ticket.manage_key
    paths = [f"/t/{key}/", f"/t/{key}/event.ics", f"/t/{key}/my-data.json", f"/t/{key}/"]
    assert [client.get(path).status_code for path in paths] == [200, 200, 200, 429]


@pytest.mark.skipif(
    "RedisCache" not in settings.CACHES["default"]["BACKEND"], reason="counts in Redis"
)
def test_on_redis_a_window_is_one_counter_that_expires_with_the_window(monkeypatch):
    import redis

    monkeypatch.setitem(PublicRateThrottle.THROTTLE_RATES, "public", "3/min")
    request = APIRequestFactory().get("/api/v1/events/", REMOTE_ADDR="198.51.100.10")
    answers = []
    for _ in range(4):
        throttle = PublicRateThrottle()
        answers.append(throttle.allow_request(request, None))
    assert answers == [True, True, True, False]
    assert 0 < throttle.wait() <= 60
    # The counter is the cache's own key, living no longer than its window.
    assert cache.get(throttle.key) == 4
    server = redis.Redis.from_url(settings.CACHES["default"]["LOCATION"])
    assert 0 < server.ttl(cache.make_key(throttle.key)) <= 60
    cache.clear()  # clearing the cache opens the window again
    assert PublicRateThrottle().allow_request(request, None)
