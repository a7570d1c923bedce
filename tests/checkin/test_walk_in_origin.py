"""A gate walk-in says where they come from, like anyone who registers: a
region of the programme area (its country with it) or another country."""

import pytest
from django.urls import reverse

from eventhub.core.models import Programme, StaffRole
from registrations.models import Attendee
from tests.factories import RegionFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db


def walk_in(client, event, **fields):
    body = {"first_name": "Dragan", "last_name": "Čolić", "gate": "North", **fields}
    return client.post(reverse("api-walk-in-create", args=[event.slug]), body, format="json")


def test_a_walk_in_from_a_region_of_the_programme_area(event, staff_client):
    banat = RegionFactory(programme=event.programme, name="South Banat", country="RS")
    client = staff_client(event, StaffRole.Role.VOLUNTEER)
    assert walk_in(client, event, region=str(banat.pk)).status_code == 201
    dragan = Attendee.objects.get(event=event)
    assert (dragan.region_id, dragan.country) == (banat.pk, "RS")


def test_a_walk_in_from_elsewhere_gives_a_country(event, staff_client):
    client = staff_client(event, StaffRole.Role.VOLUNTEER)
    assert walk_in(client, event, region="other", country="hu").status_code == 201
    person = Attendee.objects.get(event=event)
    assert (person.region_id, person.country) == (None, "HU")


def test_a_region_of_another_programme_is_refused(event, staff_client):
    other = Programme.objects.create(code="elsewhere", name="Elsewhere")
    foreign = RegionFactory(programme=other, name="Somewhere")
    client = staff_client(event, StaffRole.Role.VOLUNTEER)
    response = walk_in(client, event, region=str(foreign.pk))
    assert response.status_code == 400
    assert "region" in response.json()["error"]["fields"]
    assert not Attendee.objects.filter(event=event).exists()


def test_the_scanner_page_asks_where_a_walk_in_comes_from(event, client):
    RegionFactory(programme=event.programme, name="Timiș")
    client.force_login(StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user)
    html = client.get(reverse("checkin-scanner", args=[event.slug])).content.decode()
    assert '<select id="wi-region" name="region" required>' in html
    assert "Timiș" in html and 'value="other"' in html
