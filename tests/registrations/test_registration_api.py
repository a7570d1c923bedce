"""POST /api/v1/events/{event}/registrations/: the contract, duplicates, bad input."""

import pytest
from django.core import mail
from django.core.cache import cache

from eventhub.core.models import Event
from eventhub.core.throttling import PublicWriteRateThrottle
from registrations.models import Attendee
from tests.factories import EventFactory, RegionFactory

pytestmark = pytest.mark.django_db


def url(event):
    return f"/api/v1/events/{event.slug}/registrations/"


def valid(region_obj, **extra):
    return {
        "first_name": "Ștefan",
        "last_name": "Mureșan",
        "email": "stefan@example.org",
        "phone": "0722 123 456",
        "region": region_obj.pk,
        "category": "citizen",
        "language": "ro",
        "needs_transport": True,
        "consent": True,
        **extra,
    }


@pytest.fixture
def region(event):
    return RegionFactory(programme=event.programme)


def test_registering_answers_201_with_the_ticket_and_emails_it(
    api_client, event, region, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.post(url(event), valid(region), format="json")
    assert response.status_code == 201
    body = response.json()
    attendee = Attendee.objects.get()
    assert body["id"] == attendee.pk
    assert body["status"] == "confirmed"
    assert set(body["ticket"]) == {"code", "manage_key", "qr_payload", "pdf_url", "manage_url"}
    assert body["ticket"]["manage_key"] == attendee.ticket.manage_key
    assert body["ticket"]["code"] == attendee.ticket.code
    assert body["ticket"]["qr_payload"] == attendee.ticket.qr_payload
    assert body["ticket"]["manage_url"].endswith(f"/t/{attendee.ticket.manage_key}/")
    assert body["ticket"]["pdf_url"].endswith(f"/api/v1/tickets/{attendee.ticket.manage_key}/pdf")
    assert attendee.phone == "+40722123456"
    assert attendee.country == "RO" and attendee.region == region
    assert attendee.terms_accepted_at is not None
    assert [m.to for m in mail.outbox] == [["stefan@example.org"]]


def test_registering_when_full_answers_waitlisted(api_client, region):
    event = EventFactory(capacity=1, programme=region.programme)
    api_client.post(url(event), valid(region, email="a@example.org"), format="json")
    response = api_client.post(url(event), valid(region, email="b@example.org"), format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"


def test_region_other_with_a_country_is_accepted(api_client, event):
    response = api_client.post(
        url(event),
        {
            "first_name": "Sarah",
            "last_name": "Miller",
            "email": "sarah@example.org",
            "region": "other",
            "country": "HU",
            "consent": True,
        },
        format="json",
    )
    assert response.status_code == 201
    attendee = Attendee.objects.get()
    assert attendee.region is None and attendee.country == "HU"
    assert attendee.category == "citizen" and attendee.language == "en"


def test_the_same_email_again_resends_the_ticket_and_reveals_nothing(
    api_client, event, region, django_capture_on_commit_callbacks
):
    first = api_client.post(url(event), valid(region), format="json").json()
    with django_capture_on_commit_callbacks(execute=True):
        again = api_client.post(
            url(event),
            valid(region, email="STEFAN@example.org", first_name="Other"),
            format="json",
        )
    assert again.status_code == 200
    body = again.json()
    assert body["status"] == "already_registered"
    assert body["message"]
    assert first["ticket"]["code"] not in again.content.decode()
    assert first["ticket"]["manage_key"] not in again.content.decode()
    assert "ticket" not in body and "id" not in body
    assert Attendee.objects.count() == 1
    assert [m.to for m in mail.outbox] == [["stefan@example.org"]]
    assert first["ticket"]["manage_key"] in mail.outbox[0].body


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"status": Event.Status.CLOSED}, None, "registration_closed"),
        ({"status": Event.Status.DRAFT}, None, "not_found"),
    ],
)
def test_closed_or_draft_events_refuse_registration(api_client, region, change, field, code):
    event = EventFactory(programme=region.programme, **change)
    response = api_client.post(url(event), valid(region), format="json")
    assert response.status_code in (404, 409)
    assert response.json()["error"]["code"] == code
    assert not Attendee.objects.exists()


def test_every_required_field_missing_is_named(api_client, event):
    response = api_client.post(url(event), {}, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert set(error["fields"]) == {"first_name", "last_name", "email", "region", "consent"}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "x" * 101),
        ("last_name", "y" * 101),
        ("email", "a" * 250 + "@example.org"),
        ("phone", "1" * 33),
        ("accessibility_needs", "z" * 501),
        ("first_name", {"nested": "object"}),
        ("last_name", ["a", "list"]),
        ("email", 12345),
        ("email", "not-an-email"),
        ("phone", "12"),
        ("phone", "+40 12"),
        ("region", 999999),
        ("region", ["other"]),
        ("country", "XX"),
        ("category", "alien"),
        ("language", "de"),
        ("needs_transport", "maybe"),
        ("consent", False),
        ("consent", "nope"),
        ("consent", None),
        ("first_name", None),
        ("first_name", "   "),
    ],
)
def test_bad_fields_answer_400_with_the_field_named(api_client, event, region, field, value):
    response = api_client.post(url(event), valid(region, **{field: value}), format="json")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert not Attendee.objects.exists()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", "application/json"),
        (b'["a", "list"]', "application/json"),
        (b'"a string"', "application/json"),
        (b"42", "application/json"),
        (b"null", "application/json"),
        (b"", "application/json"),
        (b"\xff\xfe\x00", "application/json"),
        (b"first_name=x", "application/x-www-form-urlencoded"),
        (b"<xml/>", "text/xml"),
    ],
)
def test_malformed_bodies_answer_4xx_in_the_error_shape(api_client, event, body, content_type):
    response = api_client.generic("POST", url(event), body, content_type=content_type)
    assert 400 <= response.status_code < 500
    assert set(response.json()["error"]) >= {"code", "message", "fields"}


def test_errors_are_in_the_language_asked_for(api_client, event):
    response = api_client.post(url(event), {}, format="json", HTTP_ACCEPT_LANGUAGE="ro")
    assert response.json()["error"]["fields"]["first_name"] == ["Acest câmp este obligatoriu."]
    response = api_client.post(url(event), {}, format="json", HTTP_ACCEPT_LANGUAGE="sr-latn")
    assert response.json()["error"]["fields"]["email"] == ["Ovo polje je obavezno."]


def test_registration_is_throttled_per_ip(api_client, event, region, monkeypatch):
    monkeypatch.setitem(PublicWriteRateThrottle.THROTTLE_RATES, "public_write", "2/min")
    cache.clear()
    statuses = [
        api_client.post(
            url(event), valid(region, email=f"p{n}@example.org"), format="json"
        ).status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 429]
    other_ip = api_client.post(
        url(event), valid(region, email="p9@example.org"), format="json", REMOTE_ADDR="10.0.0.9"
    )
    assert other_ip.status_code == 201
    cache.clear()


def test_the_registration_endpoint_is_in_the_openapi_schema(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/events/{event}/registrations/" in schema
    assert "/api/v1/tickets/{key}/pdf" in schema
