"""Times of day read in the fair's time zone whatever the device's zone: a
10:30 Timișoara appointment reads 10:30 on a console in a UTC browser and on
a phone set to Belgrade, and the kiosks' clock and session times agree with
the server."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from eventhub.core.models import Kiosk
from screenings.models import Slot
from screenings.services.appointments import appointment_book
from screenings.services.queue import queue_join
from tests.browser.test_doctor_console import log_in
from tests.factories import EventFactory, KioskFactory
from tests.screenings.helpers import doctor_of, make_attendee, make_service
from tests.training.factories import TrainingSessionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FAIR = ZoneInfo("Europe/Bucharest")
DEVICE_ZONES = ["UTC", "Europe/Belgrade"]


def tomorrow_at(hour, minute):
    day = timezone.now().astimezone(FAIR).date() + dt.timedelta(days=1)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=FAIR)


def clock_readings():
    """The fair's wall clock now and a minute on (the page may tick meanwhile)."""
    now = timezone.now().astimezone(FAIR)
    return {f"{t:%H:%M}" for t in (now, now + dt.timedelta(minutes=1))}


@pytest.mark.parametrize("zone", DEVICE_ZONES)
def test_the_console_shows_an_appointment_at_the_fairs_time(live_server, browser, zone):
    event = EventFactory(timezone="Europe/Bucharest")
    service = make_service(event, name="Thyroid ultrasound", stations=1)
    starts = tomorrow_at(10, 30)
    slot = Slot.objects.create(
        service=service, starts_at=starts, ends_at=starts + dt.timedelta(minutes=15), capacity=2
    )
    ioana = make_attendee(event, first_name="Ioana")
    appointment_book(slot_id=slot.pk, attendee_id=ioana.pk, health_consent=True)
    queue_join(service_id=service.pk, ticket=ioana.ticket.code)
    station = service.stations.get()
    doctor = doctor_of(service, station)

    context = browser.new_context(timezone_id=zone, locale="en-GB")
    page = context.new_page()
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == zone
    log_in(page, live_server, doctor.username)
    page.goto(f"{live_server.url}/staff/stations/{station.pk}/")
    row = page.locator("#waiting tr", has_text="Ioana")
    expect(row).to_contain_text("10:30")
    context.close()


@pytest.mark.parametrize("zone", DEVICE_ZONES)
def test_the_kiosks_show_the_fairs_clock_and_session_times(live_server, browser, zone):
    event = EventFactory(timezone="Europe/Bucharest")
    TrainingSessionFactory(
        module__event=event, module__title="First aid", starts_at=tomorrow_at(11, 15)
    )
    stats = KioskFactory(event=event, kind=Kiosk.Kind.STATS)
    make_service(event, code="T", stations=1)
    board = KioskFactory(event=event, kind=Kiosk.Kind.BOARD, service_code="T")

    context = browser.new_context(timezone_id=zone, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + stats.get_absolute_url())
    expect(page.locator("body")).to_contain_text("First aid · 11:15")
    assert page.locator("#clock").inner_text() in clock_readings()

    page.goto(live_server.url + board.get_absolute_url())
    expect(page.locator("#clock")).not_to_be_empty()
    assert page.locator("#clock").inner_text() in clock_readings()
    context.close()
