"""The public project directory: the list searched by words, theme and
region, one page per project, and the API's list of projects."""

import pytest
from django.test import Client

from eventhub.core.models import Event
from tests.factories import EventFactory
from tests.projects.helpers import JPVS, LAPNET, put_projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    event = EventFactory()
    put_projects(event, JPVS, LAPNET)
    return event


def listed(client, event, query=""):
    response = client.get(f"/e/{event.slug}/projects/{query}")
    assert response.status_code == 200
    html = response.content.decode()
    found = [n for n in ("JPVS", "LapNet") if f"/projects/{n.lower()}/" in html]
    return sorted(found, key=lambda n: html.index(f"/projects/{n.lower()}/"))


def test_the_list_shows_every_project_and_filters_by_words_theme_and_region(fair):
    client = Client()
    assert listed(client, fair) == ["LapNet", "JPVS"]  # by stand: 3, then 7
    assert listed(client, fair, "?q=laparoscopic") == ["LapNet"]
    assert listed(client, fair, "?q=Suceava+County") == ["JPVS"]  # a partner's name
    assert listed(client, fair, "?theme=Health") == ["JPVS"]
    assert listed(client, fair, "?region=Timi%C8%99") == ["LapNet"]
    assert listed(client, fair, "?region=Timi%C8%99&theme=Health") == []


def test_the_list_offers_the_themes_and_regions_of_the_fair(fair):
    html = Client().get(f"/e/{fair.slug}/projects/").content.decode()
    for option in ("Health", "Training", "Județul Suceava", "Podunavski"):
        assert f'<option value="{option}"' in html


def test_the_project_page_shows_the_record_and_its_partners(fair):
    response = Client().get(f"/e/{fair.slug}/projects/jpvs/")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("HUSKROUA/23/RI/2.1/047", "Stand 7", "Suceava County Council", "Lead partner"):
        assert text in html
    assert "540,600 EUR" in html or "540.600 EUR" in html or "540 600 EUR" in html


def test_the_pages_speak_romanian(fair):
    client = Client(headers={"accept-language": "ro"})
    response = client.get(f"/e/{fair.slug}/projects/jpvs/")
    assert response.headers["Content-Language"] == "ro"


def test_an_unknown_project_or_a_draft_fair_is_not_found(fair):
    client = Client()
    assert client.get(f"/e/{fair.slug}/projects/nothing/").status_code == 404
    Event.objects.filter(pk=fair.pk).update(status=Event.Status.DRAFT)
    assert client.get(f"/e/{fair.slug}/projects/").status_code == 404
    assert client.get(f"/api/v1/events/{fair.slug}/projects/").status_code == 404


def test_the_event_page_links_to_the_directory(fair):
    html = Client().get(f"/e/{fair.slug}/").content.decode()
    assert f'href="/e/{fair.slug}/projects/"' in html
    bare = EventFactory()
    assert "/projects/" not in Client().get(f"/e/{bare.slug}/").content.decode()


def test_the_api_lists_projects_with_stand_budget_regions_and_partners(fair, api_client):
    response = api_client.get(f"/api/v1/events/{fair.slug}/projects/")
    assert response.status_code == 200
    jpvs = next(p for p in response.json() if p["acronym"] == "JPVS")
    assert jpvs["title"] == JPVS["title"]
    assert jpvs["stand"] == 7
    assert jpvs["budget_eur"] == "540600.00"
    assert jpvs["regions"] == ["Chernivetska oblast", "Județul Suceava"]
    assert jpvs["partners"] == [
        {"name": JPVS["partners"][0]["name"], "role": "lead", "funding_eur": "230157.00"},
        {"name": "Suceava County Council", "role": "partner", "funding_eur": "256384.00"},
    ]
    assert "stamp_code" not in jpvs


def test_the_api_filters_like_the_page(fair, api_client):
    response = api_client.get(f"/api/v1/events/{fair.slug}/projects/?region=Podunavski")
    assert [p["acronym"] for p in response.json()] == ["LapNet"]
