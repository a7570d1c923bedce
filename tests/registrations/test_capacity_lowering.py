"""Lowering a capacity in the admin while people book: a clear form error
that keeps the input, never a 500, and the counters stay true.

The fair, a training session (its own page and the module's inline) and a
screening slot are edited through ``CapacityForm``: the row is locked while
the form checks the new capacity and stays locked until the save, so a
booking made meanwhile waits for the new capacity instead of slipping in
between the check and the save (which used to answer 500).
"""

import threading
import time

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from eventhub.core.models import Event
from registrations.models import TrainingBooking, TrainingSession
from registrations.services.attendees import attendee_register
from registrations.services.training import training_booking_create
from screenings.models import Slot
from screenings.services.appointments import appointment_book
from tests.factories import AttendeeFactory, EventFactory, UserFactory
from tests.screenings.helpers import make_attendee, make_service, make_slot
from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory

MESSAGE = "{n} places are taken already; the capacity cannot go below {n}."


def superuser_client() -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    return client


def form_data(client: Client, url: str) -> dict:
    """What the admin's change form at ``url`` would post back unchanged."""
    page = client.get(url)
    assert page.status_code == 200
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            widget = field.field.widget
            if hasattr(widget, "widgets"):  # date and time in two inputs
                for index, part in enumerate(widget.decompress(value)):
                    data[f"{field.html_name}_{index}"] = "" if part is None else str(part)
            elif isinstance(value, list | tuple):
                data[field.html_name] = [str(v) for v in value]
            else:
                data[field.html_name] = str(value)
    return data


def register(event, n):
    return attendee_register(
        event_id=event.pk, first_name="P", last_name=f"N{n}", email=f"p{n}@example.org"
    ).attendee


# --- One after the other (any database) --------------------------------------


@pytest.mark.django_db
def test_a_session_lowered_in_the_modules_inline_below_its_bookings_is_a_form_error():
    module = TrainingModuleFactory()
    session = TrainingSessionFactory(module=module, capacity=4)
    for _ in range(3):
        training_booking_create(
            attendee_id=AttendeeFactory(event=module.event).pk, session_id=session.pk
        )
    client = superuser_client()
    url = reverse("admin:registrations_trainingmodule_change", args=[module.pk])
    data = form_data(client, url)
    data["sessions-0-capacity"] = "2"

    response = client.post(url, data)

    assert response.status_code == 200
    assert MESSAGE.format(n=3) in response.text
    assert 'name="sessions-0-capacity" value="2"' in response.text  # the input is kept
    session.refresh_from_db()
    assert (session.capacity, session.booked_count) == (4, 3)

    data["sessions-0-capacity"] = "3"
    assert client.post(url, data).status_code == 302
    session.refresh_from_db()
    assert (session.capacity, session.booked_count) == (3, 3)


@pytest.mark.django_db
def test_the_error_speaks_the_organizers_language():
    event = EventFactory(capacity=5)
    for n in range(3):
        register(event, n)
    client = superuser_client()
    url = reverse("admin:eventhub_event_change", args=[event.pk])
    data = form_data(client, url)
    data["capacity"] = "1"
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="ro")
    assert response.status_code == 200
    assert "3 locuri sunt deja ocupate; capacitatea nu poate coborî sub 3." in response.text
    assert 'name="capacity" value="1"' in response.text


# --- At the same time (PostgreSQL) -------------------------------------------


def _lower_while_booking(url: str, capacity: int, model, book) -> tuple[int, str]:
    """Post ``capacity`` to the admin form at ``url`` while ``book`` runs in
    another thread, started once the form has checked the new capacity and
    given a moment to take its place before the form saves.

    Return the admin's status code and what the booking thread answered.
    """
    client = superuser_client()
    data = form_data(client, url)
    data["capacity"] = str(capacity)
    checked = threading.Event()
    outcome = {}
    original_clean = model.clean

    def clean_then_wait(instance):
        original_clean(instance)
        if threading.current_thread() is main:
            checked.set()
            time.sleep(1.0)  # the window the booking used to slip into

    def booking():
        checked.wait(10)
        try:
            outcome["booked"] = book()
        except Exception as exc:  # reported to the test, not swallowed
            outcome["booked"] = f"error: {type(exc).__name__}: {exc}"
        finally:
            connections.close_all()

    main = threading.current_thread()
    other = threading.Thread(target=booking)
    other.start()
    model.clean = clean_then_wait
    try:
        response = client.post(url, data)
    finally:
        model.clean = original_clean
        other.join(15)
    return response.status_code, outcome.get("booked")


def postgres_only(test):
    for mark in (
        pytest.mark.skipif(
            connection.vendor != "postgresql", reason="select_for_update races need PostgreSQL"
        ),
        pytest.mark.django_db(transaction=True),
        pytest.mark.postgres,
    ):
        test = mark(test)
    return test


@postgres_only
def test_a_session_lowered_while_a_seat_is_booked_never_answers_500():
    session = TrainingSessionFactory(capacity=3)
    event = session.module.event
    for _ in range(2):
        training_booking_create(attendee_id=AttendeeFactory(event=event).pk, session_id=session.pk)
    late = AttendeeFactory(event=event)

    status, booked = _lower_while_booking(
        reverse("admin:registrations_trainingsession_change", args=[session.pk]),
        2,
        TrainingSession,
        lambda: training_booking_create(attendee_id=late.pk, session_id=session.pk).booking.status,
    )

    assert status == 302
    assert booked == TrainingBooking.Status.WAITLISTED  # waited, then found it full
    session.refresh_from_db()
    confirmed = session.bookings.filter(status=TrainingBooking.Status.CONFIRMED).count()
    assert (session.capacity, session.booked_count, confirmed) == (2, 2, 2)


@postgres_only
def test_a_slot_lowered_while_a_place_is_booked_never_answers_500():
    service = make_service()
    slot = make_slot(service, capacity=3)
    for _ in range(2):
        appointment_book(
            slot_id=slot.pk, attendee_id=make_attendee(service.event).pk, health_consent=True
        )
    late = make_attendee(service.event)

    def book():
        try:
            return appointment_book(slot_id=slot.pk, attendee_id=late.pk, health_consent=True)
        except Exception as exc:
            return getattr(exc, "code", repr(exc))

    status, booked = _lower_while_booking(
        reverse("admin:screenings_slot_change", args=[slot.pk]), 2, Slot, book
    )

    assert status == 302
    assert booked == "slot_full"
    slot.refresh_from_db()
    assert (slot.capacity, slot.booked_count, slot.appointments.count()) == (2, 2, 2)


@postgres_only
def test_the_fair_lowered_while_someone_registers_never_answers_500():
    event = EventFactory(capacity=3)
    for n in range(2):
        register(event, n)

    status, booked = _lower_while_booking(
        reverse("admin:eventhub_event_change", args=[event.pk]),
        2,
        Event,
        lambda: register(event, 9).status,
    )

    assert status == 302
    assert booked == "waitlisted"
    event.refresh_from_db()
    confirmed = event.attendees.filter(status="confirmed").count()
    assert (event.capacity, event.confirmed_count, confirmed) == (2, 2, 2)
