"""The phone-first registration form at /e/<event>/register/ and "lost my ticket"."""

import re

import pytest
from django.core import mail
from django.core.cache import cache

from eventhub.core.models import Event
from eventhub.core.throttling import PublicWriteRateThrottle
from registrations.models import Attendee
from tests.factories import AttendeeFactory, EventFactory, RegionFactory

pytestmark = pytest.mark.django_db


def without_csrf(html: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", html)


@pytest.fixture
def region(event):
    return RegionFactory(programme=event.programme, country="RS", name="Južno Banatski")


def form(region_obj, **extra):
    return {
        "first_name": "Đorđe",
        "last_name": "Petrović",
        "email": "djordje@example.org",
        "phone": "+381 64 123 4567",
        "region": str(region_obj.pk),
        "category": "stakeholder",
        "language": "sr-latn",
        "consent": "on",
        **extra,
    }


def test_the_event_page_links_to_the_form(client, event):
    page = client.get(f"/e/{event.slug}/").content.decode()
    assert f"/e/{event.slug}/register/" in page
    assert f"/e/{event.slug}/lost-ticket/" in page


def test_the_form_offers_the_programme_regions_and_other(client, event, region):
    page = client.get(f"/e/{event.slug}/register/").content.decode()
    assert "Južno Banatski" in page
    assert 'value="other"' in page
    assert 'type="tel"' in page and 'name="website"' in page


def test_registering_leads_to_the_ticket_page(
    client, event, region, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/e/{event.slug}/register/", form(region))
    attendee = Attendee.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/t/{attendee.ticket.manage_key}/"
    assert attendee.phone == "+381641234567"
    assert attendee.country == "RS" and attendee.language == "sr-latn"
    assert mail.outbox[0].to == ["djordje@example.org"]
    page = client.get(response["Location"]).content.decode()
    assert "Đorđe Petrović" in page
    assert "djordje@example.org" in page  # the success message
    assert "<svg" in page


def test_errors_are_shown_per_field_in_romanian_and_the_input_is_kept(client, event, region):
    response = client.post(
        f"/e/{event.slug}/register/",
        form(region, first_name="", email="nu-e-email", phone="123", consent=""),
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Acest câmp este obligatoriu." in page
    assert 'id="email-errors"' in page and 'id="phone-errors"' in page
    assert 'id="consent-errors"' in page
    assert 'value="nu-e-email"' in page and 'value="Petrović"' in page
    assert f'<option value="{region.pk}" selected>' in page
    assert not Attendee.objects.exists()


def test_overlong_input_is_refused_not_truncated(client, event, region):
    response = client.post(f"/e/{event.slug}/register/", form(region, last_name="x" * 101))
    assert response.status_code == 400
    assert 'id="last_name-errors"' in response.content.decode()


def test_the_honeypot_stores_nothing_and_looks_like_success(client, event, region):
    response = client.post(f"/e/{event.slug}/register/", form(region, website="http://spam"))
    assert response.status_code == 302
    assert response["Location"] == f"/e/{event.slug}/register/sent/"
    assert not Attendee.objects.exists()


def test_registering_twice_sends_the_ticket_again_without_showing_it(
    client, event, region, django_capture_on_commit_callbacks
):
    existing = AttendeeFactory(event=event, email="djordje@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/e/{event.slug}/register/", form(region), follow=True)
    page = response.content.decode()
    assert existing.ticket.code not in page
    assert "already registered" in page
    assert Attendee.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["djordje@example.org"]]


@pytest.mark.parametrize("status", [Event.Status.CLOSED, Event.Status.DRAFT])
def test_closed_and_draft_events_show_no_form(client, status):
    event = EventFactory(status=status)
    response = client.get(f"/e/{event.slug}/register/")
    if status == Event.Status.DRAFT:
        assert response.status_code == 404
    else:
        assert response.status_code == 200
        assert 'name="first_name"' not in response.content.decode()
        assert client.post(f"/e/{event.slug}/register/", {}).status_code == 200
    assert not Attendee.objects.exists()


def test_lost_ticket_answers_the_same_for_known_and_unknown_addresses(
    client, event, django_capture_on_commit_callbacks
):
    attendee = AttendeeFactory(event=event, email="ioana@example.org")
    url = f"/e/{event.slug}/lost-ticket/"
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"email": "IOANA@example.org"}, follow=True)
        unknown = client.post(url, {"email": "nobody@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain
    assert without_csrf(known.content) == without_csrf(unknown.content)
    assert [m.to for m in mail.outbox] == [["ioana@example.org"]]
    assert attendee.ticket.manage_key in mail.outbox[0].body


def test_lost_ticket_asks_for_a_valid_address(client, event):
    response = client.post(f"/e/{event.slug}/lost-ticket/", {"email": "nope"})
    assert response.status_code == 400
    assert 'value="nope"' in response.content.decode()


def test_the_form_is_throttled_per_ip(client, event, region, monkeypatch):
    monkeypatch.setitem(PublicWriteRateThrottle.THROTTLE_RATES, "public_write", "1/min")
    cache.clear()
    client.post(f"/e/{event.slug}/register/", form(region))
    response = client.post(f"/e/{event.slug}/register/", form(region, email="b@example.org"))
    assert response.status_code == 429
    assert Attendee.objects.count() == 1
    cache.clear()
