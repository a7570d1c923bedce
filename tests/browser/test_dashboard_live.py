"""The organizer's dashboard in real headless Chromium.

- Against a real uvicorn process (PostgreSQL only: the server process needs a
  shared database): a check-in at the gate shows up on the open dashboard at
  once, over the stats socket.
- Against pytest-django's live server (WSGI, no WebSockets; any database):
  the dashboard renders its figures, charts and tables, and an export
  downloads through the progress bar.
"""

import httpx
import pytest
from django.db import connection
from playwright.sync_api import expect
from rest_framework.authtoken.models import Token

from eventhub.core.models import StaffRole
from tests.browser.threads import off_the_loop
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory
from tests.servers import asgi_servers, live_database_env
from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"
Role = StaffRole.Role
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the server process needs a shared database"
)


def log_in(page, base_url, username):
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(base_url + "/accounts/login/")


def seed():
    event = EventFactory(name="Cooperation Day — Timișoara")
    organizer = StaffRoleFactory(event=event, role=Role.ORGANIZER).user
    volunteer = StaffRoleFactory(event=event, role=Role.VOLUNTEER).user
    TrainingSessionFactory(
        module=TrainingModuleFactory(event=event, title="Basic life support"), capacity=12
    )
    people = [
        AttendeeFactory(event=event, first_name=first, last_name=last)
        for first, last in [("Ștefan", "Mureșan-Țurcanu"), ("Ana", "Živković"), ("Đorđe", "Čolić")]
    ]
    token = Token.objects.create(user=volunteer).key
    return event, organizer, token, people


def seed_in_thread(gates=()):
    """Seed (and check people in at ``gates``) from a thread of its own.

    Services broadcast through async_to_sync, which cannot run in the thread
    that holds Playwright's event loop.
    """
    from registrations.services.checkin import ticket_check_in

    def work():
        event, organizer, token, people = seed()
        for person, gate in zip(people, gates, strict=False):
            ticket_check_in(event_id=event.pk, payload=person.ticket.code, gate=gate)
        return event, organizer, token, people

    return off_the_loop(work)


@pytest.fixture
def server():
    with asgi_servers(1, env=live_database_env()) as (one,):
        yield one


@on_postgresql
def test_the_dashboard_updates_live_after_a_check_in(server, browser):
    event, organizer, token, people = seed_in_thread()

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, server.url, organizer.username)
    page.goto(f"{server.url}/staff/events/{event.slug}/dashboard/")
    expect(page.locator("#conn")).to_have_attribute("data-state", "live")
    checked_in = page.locator('#totals [data-total="checked_in"]')
    expect(checked_in).to_have_text("0")
    expect(page.locator("#table-gates")).to_contain_text("No check-ins yet.")

    response = httpx.post(
        f"{server.url}/api/v1/events/{event.slug}/checkins/",
        headers={"Authorization": f"Token {token}"},
        json={"payload": people[0].ticket.qr_payload, "gate": "North gate"},
        timeout=10,
    )
    assert response.status_code == 200 and response.json()["result"] == "ok"

    # Live, without a reload: the tile, the gate table and its chart.
    expect(checked_in).to_have_text("1")
    expect(page.locator("#table-gates tbody tr")).to_have_text(["North gate1"])
    expect(page.locator("#chart-gates svg")).to_contain_text("North gate")
    # The panels over time follow a few seconds later, still without a reload.
    hours = page.locator("#table-hours")
    expect(hours).not_to_contain_text("No check-ins yet.", timeout=15_000)
    expect(hours.locator("tbody td.n")).to_have_text(["1"])
    page.screenshot(path="/tmp/screen-dashboard-live.png", full_page=True)
    page.close()  # stop its socket before the database goes


def test_the_dashboard_renders_its_figures_and_an_export_downloads(live_server, browser):
    event, organizer, _token, people = seed_in_thread(gates=["North", "South"])

    page = browser.new_page(viewport={"width": 1366, "height": 900})
    log_in(page, live_server.url, organizer.username)
    page.goto(f"{live_server.url}/staff/events/{event.slug}/dashboard/")
    expect(page.locator('#totals [data-total="checked_in"]')).to_have_text("2")
    expect(page.locator('#totals [data-total="registered"]')).to_have_text("3")
    expect(page.locator("#table-gates tbody tr")).to_have_text(["North1", "South1"])
    expect(page.locator("#table-training tbody tr")).to_have_count(1)
    expect(page.locator("#table-training")).to_contain_text("Basic life support")
    expect(page.locator("svg.chart").first).to_be_visible()
    page.screenshot(path="/tmp/screen-dashboard-laptop.png", full_page=True)
    page.set_viewport_size({"width": 820, "height": 1180})  # a tablet
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 820, "nothing overflows sideways on a tablet"
    page.screenshot(path="/tmp/screen-dashboard-tablet.png", full_page=True)

    page.goto(f"{live_server.url}/staff/events/{event.slug}/dashboard/exports/")
    form = page.locator("#export-attendees")
    form.get_by_label("E-mail").uncheck()
    with page.expect_download() as info:
        form.get_by_role("button", name="Download").click()
    download = info.value
    assert download.suggested_filename == f"{event.slug}-attendees.csv"
    content = open(download.path(), encoding="utf-8-sig").read()  # noqa: SIM115
    assert "Mureșan-Țurcanu" in content and "Živković" in content
    assert "E-mail" not in content.splitlines()[0]
    expect(form.locator(".progress-text")).to_have_text("Done: 3 rows.")
    page.screenshot(path="/tmp/screen-dashboard-exports.png", full_page=True)

    page.goto(f"{live_server.url}/staff/events/{event.slug}/dashboard/report/")
    expect(page.locator("#summary")).to_contain_text("Participants")
    page.screenshot(path="/tmp/screen-dashboard-report.png", full_page=True)
    # The dashboard retried its socket on a server without WebSockets: stop
    # it, or its requests still hold database connections at teardown.
    page.close()
