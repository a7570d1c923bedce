"""Two doctor consoles over real WebSockets (daphne in a subprocess): a call
made at one station disappears from the other station's waiting list live.

ChannelsLiveServerTestCase refuses in-memory SQLite (STACK-NOTES, trap 5), so
this runs on PostgreSQL only.
"""

import pytest
from channels.testing import ChannelsLiveServerTestCase
from django.db import connection
from playwright.sync_api import expect

from screenings.services.queue import queue_join
from tests.browser.threads import off_the_loop
from tests.screenings.helpers import doctor_of, make_service


@pytest.mark.browser
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a file/server database")
class TestConsolesLive(ChannelsLiveServerTestCase):
    serve_static = True

    @classmethod
    def setUpClass(cls):
        # The server process re-derives the test database name from settings;
        # pytest-django already switched NAME to it, so name it explicitly.
        from django.conf import settings

        settings.DATABASES["default"].setdefault("TEST", {})
        settings.DATABASES["default"]["TEST"]["NAME"] = connection.settings_dict["NAME"]
        super().setUpClass()

    @pytest.fixture(autouse=True)
    def _browser(self, browser):
        self.browser = browser

    def open_console(self, user, station):
        context = self.browser.new_context(viewport={"width": 1280, "height": 800})
        page = context.new_page()
        page.goto(self.live_server_url + "/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{self.live_server_url}/staff/stations/{station.pk}/")
        expect(page.locator("#conn")).to_have_text("Live")
        return page

    def test_a_call_at_one_station_shows_live_on_the_other(self):
        service = make_service(name="Thyroid ultrasound", stations=2)
        one, two = service.stations.all()
        doctor = doctor_of(service, one)
        two.doctors.add(doctor)
        for name in ["Ioana", "Milica"]:
            off_the_loop(queue_join, service_id=service.pk, walk_in={"first_name": name})
        first, second = self.open_console(doctor, one), self.open_console(doctor, two)
        expect(first.locator("#waiting tr")).to_have_count(2)

        second.get_by_role("button", name="Call next").click()
        expect(second.locator("#current")).to_contain_text("Ioana")
        expect(first.locator("#waiting tr")).to_have_count(1)
        expect(first.locator("#waiting")).not_to_contain_text("Ioana")
        first.get_by_role("button", name="Call next").click()
        expect(first.locator("#current")).to_contain_text("Milica")
        expect(second.locator("#waiting")).to_contain_text("Nobody is waiting")
        first.screenshot(path="/tmp/screen-console-live.png", full_page=True)
