"""Public pages in each language, the public events API and /healthz."""

import pytest
from django.urls import reverse

from eventhub.core.models import Event
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Upcoming fairs"), ("ro", "Târguri viitoare"), ("sr-latn", "Predstojeći sajmovi")],
)
def test_home_page_renders_in_each_language(client, language, heading):
    EventFactory(name="Interreg Cooperation Day — Timișoara")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert heading in response.text
    assert "Interreg Cooperation Day — Timișoara" in response.text
    assert f'<html lang="{language}">' in response.text


def test_language_switcher_remembers_the_choice(client):
    response = client.post("/i18n/setlang/", {"language": "ro", "next": "/"})
    assert response.status_code == 302
    assert "Târguri viitoare" in client.get("/").text


def test_event_page_shows_place_and_time(client):
    event = EventFactory(venue="Liberty Square", city="Timișoara")
    response = client.get(reverse("event-detail", args=[event.slug]))
    assert response.status_code == 200
    assert "Liberty Square" in response.text
    assert "Registration is open." in response.text


def test_event_page_lists_screenings_and_training_with_a_way_to_book(client):
    from tests.screenings.helpers import make_service, make_slot
    from tests.training.factories import TrainingSessionFactory

    event = EventFactory()
    thyroid = make_service(
        event,
        code="T",
        name="Thyroid ultrasound",
        description="A free ultrasound of the thyroid.",
    )
    make_slot(thyroid, capacity=2)
    make_slot(thyroid, capacity=2, in_hours=25)
    make_slot(make_service(event, code="B", name="Breast cancer screening"), in_hours=-1)
    TrainingSessionFactory(module__event=event, module__title="We can all save lives")

    page = client.get(reverse("event-detail", args=[event.slug])).text
    assert "Thyroid ultrasound" in page and "A free ultrasound of the thyroid." in page
    assert "4 places free" in page
    register = reverse("register", args=[event.slug])
    assert f'href="{register}">Register to book a free thyroid ultrasound</a>' in page
    assert "Breast cancer screening" in page
    assert "Register to book a free breast cancer screening" not in page  # nothing left
    assert "We can all save lives" in page
    assert f'href="{register}">Register to book a training seat</a>' in page

    event.status = Event.Status.CLOSED
    event.save()
    page = client.get(reverse("event-detail", args=[event.slug])).text
    assert "4 places free" in page and "Register to book" not in page


def test_draft_events_are_not_public(client, api_client):
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(reverse("event-detail", args=[event.slug])).status_code == 404
    response = api_client.get(f"/api/v1/events/{event.slug}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert api_client.get("/api/v1/events/").json() == []


def test_events_api_lists_published_events(api_client):
    event = EventFactory(capacity=300)
    body = api_client.get("/api/v1/events/").json()
    assert [e["slug"] for e in body] == [event.slug]
    detail = api_client.get(f"/api/v1/events/{event.slug}/").json()
    assert detail["capacity"] == 300
    assert detail["registration_open"] is True
    assert detail["languages"] == ["en", "ro", "sr-latn"]


def test_api_schema_and_docs_are_served(api_client):
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/events/" in schema.json()["paths"]
    assert api_client.get("/api/docs/").status_code == 200


def test_healthz_reports_database_and_channel_layer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["channel_layer"]["ok"] is True


def test_the_event_page_names_the_square_once_when_the_address_repeats_it(client):
    event = EventFactory(venue="Piața Libertății", address="Piața Libertății", city="Timișoara")
    page = client.get(f"/e/{event.slug}/", HTTP_ACCEPT_LANGUAGE="ro").content.decode()
    assert "Piața Libertății, Timișoara" in page
    assert "Piața Libertății, Piața Libertății" not in page
