"""Who may open the organizer's pages, and what the dashboard shows."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from eventhub.core.models import StaffRole
from tests.dashboard.dataset import build_fair
from tests.factories import EventFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


def pages(event):
    slug = event.slug
    return [
        reverse("dashboard", args=[slug]),
        reverse("dashboard-report", args=[slug]),
        reverse("dashboard-report-download", args=[slug, "csv"]),
        reverse("dashboard-report-download", args=[slug, "xlsx"]),
        reverse("dashboard-report-download", args=[slug, "pdf"]),
        reverse("dashboard-exports", args=[slug]),
        reverse("dashboard-export", args=[slug, "attendees"]) + "?columns=email&format=csv",
        reverse("dashboard-export", args=[slug, "training"]) + "?columns=email&format=xlsx",
        reverse("dashboard-export", args=[slug, "appointments"]) + "?columns=note&format=csv",
    ]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_urls_live_under_staff_events():
    assert reverse("dashboard", args=["fair"]) == "/staff/events/fair/dashboard/"
    assert (
        reverse("dashboard-report-download", args=["fair", "pdf"])
        == "/staff/events/fair/dashboard/report.pdf"
    )


def test_anonymous_visitors_are_sent_to_the_login_page(event, client):
    for url in pages(event):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.DOCTOR])
def test_volunteers_and_doctors_are_refused(event, role):
    client = logged_in(StaffRoleFactory(event=event, role=role).user)
    for url in pages(event):
        assert client.get(url).status_code == 403, url


def test_an_organizer_of_another_event_is_refused(event):
    other = StaffRoleFactory(event=EventFactory(), role=Role.ORGANIZER).user
    client = logged_in(other)
    for url in pages(event):
        assert client.get(url).status_code == 403, url


def test_an_organizer_opens_every_page(event):
    client = logged_in(StaffRoleFactory(event=event, role=Role.ORGANIZER).user)
    for url in pages(event):
        assert client.get(url).status_code == 200, url


def test_an_unknown_event_or_dataset_is_not_found(event):
    client = logged_in(StaffRoleFactory(event=event, role=Role.ORGANIZER).user)
    assert client.get(reverse("dashboard", args=["no-such-fair"])).status_code == 404
    url = reverse("dashboard-export", args=[event.slug, "passwords"]) + "?columns=id"
    assert client.get(url).status_code == 404


def test_the_staff_home_links_organizers_to_the_dashboard(event):
    organizer = StaffRoleFactory(event=event, role=Role.ORGANIZER).user
    volunteer = StaffRoleFactory(event=event, role=Role.VOLUNTEER).user
    link = reverse("dashboard", args=[event.slug])
    assert link in logged_in(organizer).get(reverse("staff-home")).text
    assert link not in logged_in(volunteer).get(reverse("staff-home")).text


def cells(html: str, table_id: str) -> list[list[str]]:
    """The text of each body row of one table."""
    body = re.search(rf'<table id="{table_id}">.*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def test_the_dashboard_shows_the_figures_in_charts_and_tables():
    fair = build_fair()
    html = logged_in(fair.organizer).get(reverse("dashboard", args=[fair.event.slug])).text
    assert 'data-total="checked_in">5<' in html
    assert 'data-total="registered">7<' in html
    assert 'data-total="waitlisted">1<' in html
    assert f'"socket": "/ws/events/{fair.event.slug}/stats/"' in html
    assert cells(html, "table-gates") == [["North", "3"], ["South", "2"]]
    assert cells(html, "table-training") == [
        ["Basic life support · 11:00", "15", "2", "13", "0", "2"],
        ["First aid for children · 12:00", "10", "1", "9", "0", "1"],
    ]
    assert cells(html, "table-screenings") == [
        ["T · Thyroid ultrasound", "1", "2"],
        ["B · Breast screening", "0", "1"],
    ]
    assert cells(html, "table-no-shows") == [
        ["Gate: confirmed, not checked in", "1"],
        ["Training · Basic life support · 11:00", "1"],
        ["Training · First aid for children · 12:00", "0"],
        ["Screening · T · Thyroid ultrasound", "1"],
        ["Screening · B · Breast screening", "0"],
    ]
    assert sum(int(n) for _hour, n in cells(html, "table-hours")) == 5
    assert cells(html, "table-registrations")[0][1:] == ["7", "7"]
    # One SVG chart per panel, drawn on the server from our own markup.
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 7
    assert "js/live-socket.js" in html and "js/dashboard.js" in html
    # Nothing loaded from elsewhere (a random CSRF token may well contain "cdn").
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', html)


def test_an_empty_fair_renders_without_charts():
    event = EventFactory()
    html = logged_in(StaffRoleFactory(event=event, role=Role.ORGANIZER).user).get(
        reverse("dashboard", args=[event.slug])
    )
    assert html.status_code == 200
    assert "No check-ins yet." in html.text
    assert "No training sessions." in html.text


def test_the_dashboard_speaks_romanian():
    event = EventFactory()
    client = logged_in(StaffRoleFactory(event=event, role=Role.ORGANIZER).user)
    html = client.get(reverse("dashboard", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="ro").text
    assert "Check-ins by gate" not in html
    assert "Check-in-uri pe porți" in html


def test_a_superuser_may_open_the_dashboard(event):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    assert logged_in(root).get(reverse("dashboard", args=[event.slug])).status_code == 200


def test_the_report_and_exports_speak_serbian():
    fair = build_fair()
    client = logged_in(fair.organizer)
    html = client.get(
        reverse("dashboard-report", args=[fair.event.slug]), HTTP_ACCEPT_LANGUAGE="sr-latn"
    ).text
    assert "Učesnici po zemlji i regionu porekla" in html
    assert "Učesnici po polu" in html and "Žensko" in html
    html = client.get(
        reverse("dashboard-exports", args=[fair.event.slug]), HTTP_ACCEPT_LANGUAGE="sr-latn"
    ).text
    assert "Izaberite" not in html  # no errors on a fresh form
    assert "Zakazani skrininzi" in html and "8 redova" in html
