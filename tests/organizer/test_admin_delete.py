"""Deleting in the admin goes through the services (docs/privacy.md,
"Deleting in the admin"): a person is erased (places freed, people waiting
promoted and e-mailed, the ``erase`` audit row), an appointment or a queue
place is cancelled; the rows stay for the counts. A whole fair:
test_admin_delete_fair.py."""

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.core import mail
from django.urls import reverse

from eventhub.core.models import AuditLog
from registrations.models import Attendee, TrainingBooking
from registrations.services.attendees import attendee_erase, attendee_register
from registrations.services.training import training_booking_create
from screenings.models import Appointment, HealthDataAccess, QueueEntry
from screenings.services.appointments import appointment_book
from screenings.services.queue import queue_call_next, queue_entry_complete, queue_join
from tests.admin_tools import organizer_of
from tests.factories import EventFactory
from tests.screenings.helpers import make_service, make_slot
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


def register(event, first_name, last_name):
    return attendee_register(
        event_id=event.pk,
        first_name=first_name,
        last_name=last_name,
        email=f"{first_name.lower()}@example.org",
    ).attendee


@pytest.fixture
def busy_fair(django_capture_on_commit_callbacks):
    """Two places: Ana and Carla hold them, Bogdan waits. Ana holds the only
    training seat, the only place of a screening slot and a queue number;
    Carla waits for the seat and for the slot."""
    fair = EventFactory(capacity=2, name="Cooperation Day Timișoara")
    session = TrainingSessionFactory(module__event=fair, capacity=1)
    service = make_service(fair, code="T", waitlist=True)
    slot = make_slot(service, capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        ana = register(fair, "Ana", "Kovač")
        carla = register(fair, "Carla", "Nistor")
        bogdan = register(fair, "Bogdan", "Ilić")
        for person in (ana, carla):
            training_booking_create(attendee_id=person.pk, session_id=session.pk)
            appointment_book(slot_id=slot.pk, attendee_id=person.pk, health_consent=True)
        queue_join(service_id=service.pk, ticket=ana.ticket.code)
    assert [p.status for p in (ana, carla, bogdan)] == ["confirmed", "confirmed", "waitlisted"]
    mail.outbox.clear()
    return {
        "fair": fair,
        "session": session,
        "service": service,
        "slot": slot,
        "ana": ana,
        "carla": carla,
        "bogdan": bogdan,
    }


# --- People: "Delete" erases ---------------------------------------------------


def test_deleting_a_confirmed_person_erases_them_frees_their_places_and_promotes(
    client, busy_fair, django_capture_on_commit_callbacks
):
    f = busy_fair
    organizer = organizer_of(client, f["fair"])
    url = reverse("admin:registrations_attendee_delete", args=[f["ana"].pk])

    page = client.get(url).content.decode()
    assert "Kovač" in page and "Deleting a person erases them" in page
    assert "Yes, erase" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert response.url == reverse("admin:registrations_attendee_changelist")
    listed = client.get(response.url).content.decode()
    assert "1 person erased. The counts for the programme report are kept." in listed

    # The row stays, anonymised, for the counts; the place went to Bogdan.
    ana = Attendee.objects.get(pk=f["ana"].pk)
    assert (ana.status, ana.first_name, ana.last_name, ana.email) == ("cancelled", "—", "", "")
    assert ana.erased_at is not None
    assert Attendee.objects.get(pk=f["bogdan"].pk).status == "confirmed"
    f["fair"].refresh_from_db()
    assert f["fair"].confirmed_count == 2
    assert "bogdan@example.org" in [address for m in mail.outbox for address in m.to]

    # Her training seat and screening place went to Carla, her queue place is given up.
    assert TrainingBooking.objects.get(attendee=f["carla"]).status == "confirmed"
    f["session"].refresh_from_db()
    assert f["session"].booked_count == 1
    assert Appointment.objects.get(attendee=f["carla"]).status == "booked"
    assert Appointment.objects.get(attendee=ana).status == "cancelled"
    f["slot"].refresh_from_db()
    assert f["slot"].booked_count == 1
    assert QueueEntry.objects.get(attendee=ana).status == "cancelled"

    erase = AuditLog.objects.get(action="erase")
    assert (erase.user, erase.event, erase.attendee_id) == (organizer, f["fair"], ana.pk)
    # Nothing was deleted, and the admin's history does not name her.
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()
    assert not LogEntry.objects.filter(object_repr__contains="Kovač").exists()


def test_delete_selected_erases_each_person_and_skips_the_erased(
    client, busy_fair, django_capture_on_commit_callbacks
):
    f = busy_fair
    gone = register(f["fair"], "Eva", "Gone")
    attendee_erase(attendee_id=gone.pk)
    organizer_of(client, f["fair"])
    changelist = reverse("admin:registrations_attendee_changelist")
    chosen = [f["ana"].pk, f["carla"].pk, gone.pk]

    page = client.post(changelist, {"action": "delete_selected", "_selected_action": chosen})
    body = page.content.decode()
    assert page.status_code == 200 and "Kovač" in body and "Nistor" in body
    assert "Deleting a person erases them" in body
    assert "Erase the selected people" in client.get(changelist).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            changelist,
            {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
            follow=True,
        )
    assert "2 people erased." in done.content.decode()
    assert "1 was erased already." in done.content.decode()
    assert Attendee.objects.filter(pk__in=chosen, erased_at__isnull=False).count() == 3
    erased = AuditLog.objects.filter(action="erase").values_list("attendee_id", flat=True)
    assert sorted(erased) == sorted([f["ana"].pk, f["carla"].pk])
    # Both places freed: Bogdan, waiting, is confirmed; the fair counts him alone.
    f["fair"].refresh_from_db()
    assert Attendee.objects.get(pk=f["bogdan"].pk).status == "confirmed"
    assert f["fair"].confirmed_count == 1
    f["session"].refresh_from_db()
    assert f["session"].booked_count == 0


def test_an_organizer_of_another_fair_erases_nobody_here(client, busy_fair):
    f = busy_fair
    organizer_of(client, EventFactory(name="Cooperation Day Vidin"), username="org-vidin")
    url = reverse("admin:registrations_attendee_delete", args=[f["ana"].pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302 and response.url == reverse("admin:index")
    assert Attendee.objects.get(pk=f["ana"].pk).erased_at is None
    assert not AuditLog.objects.filter(action="erase").exists()


# --- Appointments and queue places: "Delete" cancels ---------------------------


def test_deleting_a_booked_appointment_frees_the_place_for_the_first_waiting(
    client, busy_fair, django_capture_on_commit_callbacks
):
    f = busy_fair
    organizer = organizer_of(client, f["fair"])
    appointment = Appointment.objects.get(attendee=f["ana"])
    url = reverse("admin:screenings_appointment_delete", args=[appointment.pk])

    page = client.get(url).content.decode()
    assert "Deleting an appointment cancels it" in page and "Yes, cancel them" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"}, follow=True)
    assert "1 appointment cancelled." in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert Appointment.objects.get(attendee=f["carla"]).status == "booked"
    f["slot"].refresh_from_db()
    assert f["slot"].booked_count == 1
    assert "carla@example.org" in [address for m in mail.outbox for address in m.to]
    row = HealthDataAccess.objects.get(action="cancel", attendee=f["ana"])
    assert (row.user, row.actor) == (organizer, "organizer")
    assert row.what == f"appointment {appointment.pk}"

    # Once cancelled there is nothing left to free: the row stays as it is.
    again = client.post(url, {"post": "yes"}, follow=True).content.decode()
    assert "0 appointments cancelled. 1 was left as it was" in again
    f["slot"].refresh_from_db()
    assert f["slot"].booked_count == 1


def test_deleting_queue_entries_takes_the_waiting_out_and_keeps_the_examined(client, busy_fair):
    f = busy_fair
    organizer = organizer_of(client, f["fair"])
    done = queue_join(service_id=f["service"].pk, ticket=f["carla"].ticket.code).entry
    for station in f["service"].stations.all():  # both called in
        queue_call_next(station_id=station.pk)
    queue_entry_complete(entry_id=done.pk)
    waiting = QueueEntry.objects.get(attendee=f["ana"])
    assert waiting.status == "called"
    changelist = reverse("admin:screenings_queueentry_changelist")

    response = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": [waiting.pk, done.pk], "post": "yes"},
        follow=True,
    )
    body = response.content.decode()
    assert "1 person taken out of the queue. 1 was left as it was" in body
    waiting.refresh_from_db()
    done.refresh_from_db()
    assert (waiting.status, done.status) == ("cancelled", "done")
    row = HealthDataAccess.objects.get(action="view", attendee=f["ana"], user=organizer)
    assert row.what == f"queue entry {waiting.pk} (admin: taken out)"
