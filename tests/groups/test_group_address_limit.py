"""Every address a group registration e-mails counts against that address's
limit, as a single registration's does (docs/groups.md)."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from eventhub.core.throttling import CountingThrottle
from registrations.models import Attendee, Group
from tests.factories import EventFactory, RegionFactory

pytestmark = pytest.mark.django_db

VICTIM = "victim@example.org"


@pytest.fixture(autouse=True)
def _two_an_hour(monkeypatch):
    cache.clear()
    monkeypatch.setitem(CountingThrottle.THROTTLE_RATES, "address", "2/h")
    yield
    cache.clear()


@pytest.fixture
def region():
    return RegionFactory()


def fair(region):
    return EventFactory(programme=region.programme, capacity=30)


def body(region, n, *, companions=(VICTIM,)):
    """A group whose contact is p<n>@…, with one companion per address."""
    return {
        "contact": {
            "first_name": "Maria",
            "last_name": f"No{n}",
            "email": f"p{n}@example.org",
            "region": region.pk,
            "consent": True,
        },
        "members": [
            {"first_name": f"Child{i}", "last_name": f"No{n}", "email": address}
            for i, address in enumerate(companions)
        ],
    }


def post(api_client, event, data, ip="198.51.100.1", **headers):
    url = reverse("api-group-registration-create", args=[event.slug])
    return api_client.post(url, data, format="json", REMOTE_ADDR=ip, **headers)


def form(region, n, *, companions=(VICTIM,)):
    fields = {
        "first_name": "Maria",
        "last_name": f"No{n}",
        "email": f"p{n}@example.org",
        "region": str(region.pk),
        "consent": "on",
    }
    for i, address in enumerate(companions):
        fields |= {
            f"member-{i}-first_name": f"Child{i}",
            f"member-{i}-last_name": f"No{n}",
            f"member-{i}-email": address,
        }
    return fields


def test_a_companions_address_in_groups_from_many_ips_is_limited_like_a_single_one(
    api_client, region, django_capture_on_commit_callbacks
):
    fairs = [fair(region) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            post(api_client, event, body(region, n), ip=f"198.51.100.{n}").status_code
            for n, event in enumerate(fairs)
        ]
    assert statuses == [201, 201, 429]
    # Two tickets reached the victim; the third group was refused whole.
    assert [m.to for m in mail.outbox].count([VICTIM]) == 2
    assert not Attendee.objects.filter(event=fairs[2]).exists()
    assert Group.objects.count() == 2


def test_the_refusal_names_the_companions_address_in_the_callers_language(api_client, region):
    event = fair(region)
    for n in range(2):
        post(api_client, fair(region), body(region, n), ip=f"198.51.100.{n}")
    refused = post(
        api_client,
        event,
        body(region, 9, companions=("ion@example.org", " Victim@Example.org ")),
        ip="203.0.113.7",
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 3600
    error = refused.json()["error"]
    assert error["code"] == "throttled"
    assert list(error["fields"]) == ["members"]
    assert list(error["fields"]["members"]) == ["1"]
    message = error["fields"]["members"]["1"]["email"][0]
    assert VICTIM in message and "Prea multe e-mailuri" in message
    assert VICTIM in error["message"]
    assert not Attendee.objects.filter(event=event).exists()


def test_the_contacts_own_limit_still_holds(api_client, region):
    events = [fair(region) for _ in range(3)]
    statuses = [
        post(api_client, event, body(region, 1, companions=()), ip=f"198.51.100.{n}").status_code
        for n, event in enumerate(events)
    ]
    assert statuses == [201, 201, 429]
    refused = post(api_client, fair(region), body(region, 1, companions=()), ip="203.0.113.9")
    assert "p1@example.org" in refused.json()["error"]["fields"]["contact"]["email"][0]


def test_one_counter_per_address_across_single_registrations_groups_and_lost_tickets(
    client, api_client, region
):
    first, second = fair(region), fair(region)
    single = api_client.post(
        reverse("api-registration-create", args=[first.slug]),
        {
            "first_name": "Vera",
            "last_name": "V",
            "email": VICTIM,
            "region": region.pk,
            "consent": True,
        },
        format="json",
        REMOTE_ADDR="198.51.100.1",
    )
    assert single.status_code == 201
    assert post(api_client, second, body(region, 1), ip="198.51.100.2").status_code == 201
    lost = client.post(
        reverse("lost-ticket", args=[first.slug]), {"email": VICTIM}, REMOTE_ADDR="198.51.100.3"
    )
    assert lost.status_code == 429
    page = lost.content.decode()
    assert VICTIM in page and 'id="email-errors"' in page


def test_under_the_limit_a_bus_with_ten_addresses_registers_and_each_gets_a_ticket(
    api_client, region, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setitem(CountingThrottle.THROTTLE_RATES, "address", "1/h")
    companions = [f"c{i}@example.org" for i in range(10)]
    with django_capture_on_commit_callbacks(execute=True):
        response = post(api_client, fair(region), body(region, 1, companions=companions))
    assert response.status_code == 201 and len(response.json()["tickets"]) == 11
    assert sorted(m.to[0] for m in mail.outbox) == sorted(["p1@example.org", *companions])
    # Each address counts once per request: a repeated one is the group's
    # own mistake (409 on its row), not an inbox flood.
    cache.clear()
    twice = body(region, 2, companions=["p2@example.org"])
    assert post(api_client, fair(region), twice).json()["error"]["code"] == "email_taken"


def test_the_tenth_companions_address_counts_too(api_client, region):
    companions = [f"c{i}@example.org" for i in range(9)] + [VICTIM]
    for n in range(2):
        post(api_client, fair(region), body(region, 10 + n), ip=f"198.51.100.{n}")
    refused = post(api_client, fair(region), body(region, 1, companions=companions))
    assert refused.status_code == 429
    assert list(refused.json()["error"]["fields"]["members"]) == ["9"]


def test_the_form_names_the_companions_address_keeps_everything_and_registers_without_it(
    client, region
):
    for n in range(2):
        client.post(
            reverse("group-register", args=[fair(region).slug]),
            form(region, n),
            REMOTE_ADDR=f"198.51.100.{n}",
        )
    event = fair(region)
    url = reverse("group-register", args=[event.slug])
    typed = form(region, 7, companions=("ion@example.org", VICTIM))
    refused = client.post(url, typed, HTTP_ACCEPT_LANGUAGE="sr-latn", REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429 and refused["Retry-After"]
    page = refused.content.decode()
    assert 'id="member-1-email-errors"' in page and 'id="member-0-email-errors"' not in page
    assert f"Previše e-poruka je poslato na {VICTIM}" in page
    for value in ("No7", "p7@example.org", "ion@example.org", VICTIM, "Child1"):
        assert f'value="{value}"' in page
    assert not Attendee.objects.filter(event=event).exists()

    typed["member-1-email"] = ""
    assert client.post(url, typed, REMOTE_ADDR="203.0.113.5").status_code == 302
    assert Attendee.objects.filter(event=event).count() == 3


def test_the_form_refuses_the_contacts_address_over_its_limit_on_its_field(client, region):
    for n in range(2):
        client.post(
            reverse("group-register", args=[fair(region).slug]),
            form(region, 1, companions=()),
            REMOTE_ADDR=f"198.51.100.{n}",
        )
    event = fair(region)
    refused = client.post(
        reverse("group-register", args=[event.slug]), form(region, 1), REMOTE_ADDR="203.0.113.5"
    )
    assert refused.status_code == 429
    page = refused.content.decode()
    assert 'id="email-errors"' in page and "p1@example.org" in page
    assert 'id="member-0-email-errors"' not in page
    assert not Attendee.objects.filter(event=event).exists()


def test_a_family_sent_back_for_typos_is_not_locked_out(
    api_client, client, region, django_capture_on_commit_callbacks
):
    """Only a request that would e-mail counts: three tries refused for a
    missing consent cost the addresses nothing (the limit here is 2 an hour)."""
    event = fair(region)
    for _ in range(3):
        wrong = body(region, 1)
        wrong["contact"]["consent"] = False
        assert post(api_client, event, wrong).status_code == 400
        page = form(region, 1) | {"consent": ""}
        answer = client.post(reverse("group-register", args=[event.slug]), page)
        assert answer.status_code == 400
        assert "Too many e-mails" not in answer.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert post(api_client, event, body(region, 1)).status_code == 201
    assert sorted(m.to[0] for m in mail.outbox) == ["p1@example.org", VICTIM]
