"""The management commands' contract: load_demo is idempotent, add_staff and
add_kiosk print the credential as their last line."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.authtoken.models import Token

from eventhub.core.models import Event, Kiosk, Region, StaffRole
from eventhub.demo.fair import DEMO_SLUG
from registrations.models import Attendee

pytestmark = pytest.mark.django_db


def run(*args) -> list[str]:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()


def counts():
    return (
        Event.objects.count(),
        Region.objects.count(),
        StaffRole.objects.count(),
        Kiosk.objects.count(),
        Attendee.objects.count(),
    )


def test_load_demo_builds_the_timisoara_fair_open_for_registration():
    run("load_demo")
    event = Event.objects.get(slug=DEMO_SLUG)
    assert event.city == "Timișoara"
    assert event.capacity == 300
    assert event.registration_is_open()
    assert {r.name for r in Region.objects.filter(programme=event.programme)} >= {
        "Timiș",
        "Caraș-Severin",
        "Mehedinți",
        "Južno Banatski",
        "Braničevski",
    }
    assert set(event.staff_roles.values_list("user__username", "role")) == {
        ("organizer", "organizer"),
        ("volunteer", "volunteer"),
        ("doctor", "doctor"),
    }


def test_load_demo_twice_changes_nothing():
    run("load_demo")
    first = counts()
    run("load_demo")
    assert counts() == first


def test_add_staff_prints_a_working_api_token_last(client):
    run("load_demo")
    lines = run("add_staff", DEMO_SLUG, "volunteer", "gate-2")
    token = Token.objects.get(key=lines[-1])
    assert token.user.username == "gate-2"
    assert token.user.event_roles.get().role == "volunteer"
    # The token is the credential the scanner app uses.
    response = client.get("/api/v1/events/", HTTP_AUTHORIZATION=f"Token {lines[-1]}")
    assert response.status_code == 200


def test_add_staff_to_an_unknown_event_fails_clearly():
    with pytest.raises(CommandError, match="no event"):
        run("add_staff", "nowhere", "doctor", "dr-who")


def test_add_kiosk_prints_the_kiosk_url_with_its_token_last():
    run("load_demo")
    lines = run("add_kiosk", DEMO_SLUG, "board", "Thyroid board", "--service", "t")
    kiosk = Kiosk.objects.get(name="Thyroid board")
    assert lines[-1].endswith(f"/kiosk/{kiosk.token}/")
    assert lines[-1].startswith("http")
    assert kiosk.service_code == "T"
    assert len(kiosk.token) >= 40


def test_a_board_kiosk_needs_a_service():
    run("load_demo")
    with pytest.raises(CommandError, match="--service"):
        run("add_kiosk", DEMO_SLUG, "board", "Board without a queue")
