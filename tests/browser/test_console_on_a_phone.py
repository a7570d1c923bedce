"""The doctor's console fits a 360-px phone: nothing sticks out sideways,
with a person called and the waiting list full of flags."""

import pytest
from playwright.sync_api import expect

from screenings.services.queue import queue_call_next, queue_join
from tests.browser.test_doctor_console import log_in
from tests.screenings.helpers import doctor_of, make_attendee, make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .map(el => el.tagName + (el.id ? "#" + el.id : "") + "." + el.className);
}"""


def test_the_console_fits_a_360_px_phone(live_server, browser):
    service = make_service(name="Thyroid ultrasound and elastography", stations=3)
    station = service.stations.first()
    doctor = doctor_of(service, station)
    for name in ("Ioana", "Milica", "Petar"):
        person = make_attendee(service.event, first_name=name, needs_transport=True)
        queue_join(service_id=service.pk, ticket=person.ticket.code)
    queue_join(
        service_id=service.pk,
        walk_in={"first_name": "Vasile", "flags": ["interpreter", "accessibility"]},
    )
    queue_call_next(station_id=station.pk)

    context = browser.new_context(
        viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True, locale="en-GB"
    )
    page = context.new_page()
    log_in(page, live_server, doctor.username)
    page.goto(f"{live_server.url}/staff/stations/{station.pk}/")
    expect(page.locator("#current")).to_contain_text("Ioana")
    expect(page.locator("#waiting tr")).to_have_count(3)
    page.screenshot(path="/tmp/screen-console-360.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert page.evaluate(OVERFLOW) == []
    context.close()
