"""At the gate: the group's QR read by the scanner opens the group's page; "admit all"."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from eventhub.core.models import StaffRole
from registrations.models import CheckIn
from registrations.services.groups import group_register
from tests.factories import EventFactory, RegionFactory, StaffRoleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_scanner_opens_the_group_page_and_admits_everyone(live_server, page):
    event = EventFactory()
    region = RegionFactory(programme=event.programme)
    result = group_register(
        event_id=event.pk,
        contact={
            "first_name": "Florica",
            "last_name": "Bălan",
            "email": "f@example.org",
            "region_id": region.pk,
        },
        members=[
            {"first_name": "Maria", "last_name": "Bălan", "age": 67},
            {"first_name": "Ion", "last_name": "Bălan", "age": 70},
        ],
        transport_from="Eșelnița",
    )
    user = StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}/staff/{event.slug}/scanner/")
    page.locator("#gate-input").fill("North")
    page.locator("#gate-form button[type=submit]").click()
    # What a hand scanner types when it reads the QR on the contact's group page.
    page.locator("#scan-input").fill(
        f"{live_server.url}/staff/{event.slug}/groups/{result.group.code}/"
    )
    page.locator("#scan-input").press("Enter")
    expect(page.get_by_role("heading", name="Group of Florica Bălan")).to_be_visible()
    page.get_by_role("button", name="Admit all 3").click()
    expect(page.get_by_role("status")).to_contain_text("3 people admitted.")
    assert CheckIn.objects.filter(target="event").count() == 3
