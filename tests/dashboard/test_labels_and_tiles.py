"""The dashboard tells two sessions of one long-named module apart, and the
report's free-transport tile says what its table says."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from eventhub.core.models import StaffRole
from tests.dashboard.dataset import build_fair
from tests.factories import EventFactory, StaffRoleFactory
from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db
LONG = "We can all save lives — basic life support"


def organizer_of(event) -> Client:
    client = Client()
    client.force_login(StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user)
    return client


def test_two_sessions_of_one_module_chart_under_distinct_labels():
    event = EventFactory()
    module = TrainingModuleFactory(event=event, title=LONG)
    morning = event.starts_at.astimezone(ZoneInfo(event.timezone)).replace(hour=10, minute=0)
    for starts in (morning, morning + dt.timedelta(hours=4)):
        TrainingSessionFactory(module=module, starts_at=starts)
    html = organizer_of(event).get(reverse("dashboard", args=[event.slug])).text
    shown = re.findall(r"<text[^>]*><title>([^<]*)</title>([^<]*)</text>", html)
    labels = [short for full, short in shown if full.startswith(LONG)]
    assert len(labels) == 2
    assert labels[0] != labels[1], labels
    assert labels[0].endswith(" · 10:00") and labels[1].endswith(" · 14:00")
    assert all(len(label) <= 30 for label in labels)


def test_the_free_transport_tile_agrees_with_its_table():
    fair = build_fair()
    html = organizer_of(fair.event).get(reverse("dashboard-report", args=[fair.event.slug])).text
    tile = re.search(
        r"<dt>Participants who asked for free transport</dt><dd>(\d+)</dd>", html
    ).group(1)
    section = html.split('id="section-transport"')[1].split("</section>")[0]
    total = re.search(
        r'<th scope="row">Participants who asked for free transport</th>(?:<td class="n">\d+</td>)*'
        r'<td class="n">(\d+)</td></tr>',
        section,
    ).group(1)
    assert tile == total == "2"
