"""Server-rendered pages read times in the fair's own time zone (the event's
``timezone``), not the server's default: a Belgrade fair's 10:00 session
reads 10:00, not the 11:00 of the server's Bucharest clock."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from eventhub.core.models import StaffRole
from tests.factories import EventFactory, StaffRoleFactory
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db
BELGRADE = ZoneInfo("Europe/Belgrade")


def test_a_staff_page_shows_the_fairs_local_time(client, settings):
    assert settings.TIME_ZONE == "Europe/Bucharest"
    event = EventFactory(timezone="Europe/Belgrade")
    day = event.starts_at.astimezone(BELGRADE).date()
    starts = dt.datetime(day.year, day.month, day.day, 10, 0, tzinfo=BELGRADE)
    TrainingSessionFactory(
        module__event=event, starts_at=starts, ends_at=starts + dt.timedelta(minutes=90)
    )
    client.force_login(StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user)
    page = client.get(
        reverse("staff-training-sessions", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="ro"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "10:00–11:30" in html, "the fair's local time"
    assert "11:00–12:30" not in html
    assert '<meta name="time-zone" content="Europe/Belgrade">' in html
