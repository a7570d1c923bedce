"""The demo fair's screenings and the kiosk command's service check."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from eventhub.core.models import Kiosk
from eventhub.demo.fair import DEMO_SLUG
from screenings.models import Service
from tests.conftest import rows_for_module

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo fair, loaded once for the module."""
    with rows_for_module(django_db_blocker):
        call_command("load_demo", stdout=StringIO())
        yield


def test_the_demo_offers_60_thyroid_ultrasounds_on_two_stations_for_the_doctor(demo):
    thyroid = Service.objects.get(event__slug=DEMO_SLUG, code="T")
    assert sum(s.capacity for s in thyroid.slots.all()) == 60
    assert thyroid.stations.count() == 2
    assert all(s.doctors.filter(username="doctor").exists() for s in thyroid.stations.all())
    assert set(Service.objects.values_list("code", "sex")) == {
        ("T", ""),
        ("B", "female"),
        ("C", "female"),
    }


def test_add_kiosk_refuses_an_unknown_service_code(demo):
    with pytest.raises(CommandError, match="no screening service"):
        call_command("add_kiosk", DEMO_SLUG, "board", "Board", "--service", "Z", stdout=StringIO())
    out = StringIO()
    call_command("add_kiosk", DEMO_SLUG, "board", "Board", "--service", "b", stdout=out)
    assert Kiosk.objects.filter(name="Board", service_code="B").exists()
