"""Erasure removes the person everywhere (tickets, logs, queued e-mails) and
keeps the programme report's counts; freed places go to the people waiting."""

import io
import json

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from eventhub.core.models import AuditLog, StaffRole
from registrations.models import Attendee, ScanLog, TrainingBooking
from registrations.selectors.checkin import attendance_totals
from registrations.services.attendees import attendee_erase, attendee_register
from registrations.services.checkin import ticket_check_in
from registrations.services.training import training_booking_create
from screenings.models import Appointment, QueueEntry
from screenings.selectors.figures import screening_figures
from screenings.services.appointments import appointment_book
from screenings.services.queue import queue_call_next, queue_entry_complete, queue_join
from tests.factories import EventFactory, RegionFactory, StaffRoleFactory
from tests.screenings.helpers import make_service, make_slot
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db

ANA = {
    "first_name": "Ana-Maria",
    "last_name": "Zamfirescu-Țurcanu",
    "email": "ana.zamfirescu@example.org",
    "phone": "+40722123456",
    "accessibility_needs": "Wheelchair ramp please",
    "gender": "female",
    "category": Attendee.Category.CITIZEN,
    "country": "RO",
    "needs_transport": True,
}
TRACES = ["Ana-Maria", "Zamfirescu", "ana.zamfirescu", "722123456", "Wheelchair ramp"]


@pytest.fixture
def tasks_in_db(settings):
    """Background tasks are stored as rows (as in production) instead of running."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def register(event, region, **fields):
    return attendee_register(event_id=event.pk, region_id=region.pk, **fields).attendee


def database_dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", format="json", stdout=out)
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False)


@pytest.fixture
def full_fair(tasks_in_db, django_capture_on_commit_callbacks):
    """Ana holds a place, a training seat, a screening slot and a queue number;
    Carla waits for a place and Bob for the training seat."""
    event = EventFactory(capacity=2)
    region = RegionFactory(programme=event.programme, name="Timiș")
    session = TrainingSessionFactory(module__event=event, capacity=1)
    service = make_service(
        event,
        code="T",
        questions=[
            {"key": "pregnant", "text": "Are you pregnant?", "flag_if": "yes", "flag": "pregnant"}
        ],
    )
    slot = make_slot(service, capacity=1)
    other_event = EventFactory()
    with django_capture_on_commit_callbacks(execute=True):
        ana = register(event, region, **ANA)
        bob = register(event, region, first_name="Bogdan", last_name="Ilić", email="bob@example.rs")
        carla = register(
            event, region, first_name="Carla", last_name="Nistor", email="carla@example.ro"
        )
        training_booking_create(attendee_id=ana.pk, session_id=session.pk)
        training_booking_create(attendee_id=bob.pk, session_id=session.pk)
        appointment_book(
            slot_id=slot.pk,
            attendee_id=ana.pk,
            health_consent=True,
            answers={"pregnant": "yes"},
            age=34,
            sex="female",
        )
        queue_join(service_id=service.pk, ticket=ana.ticket.code)
        # Ana's ticket shown at the wrong fair's gate: the payload is logged there.
        ticket_check_in(event_id=other_event.pk, payload=ana.ticket.qr_payload, gate="North")
    return {
        "event": event,
        "session": session,
        "slot": slot,
        "service": service,
        "ana": ana,
        "bob": bob,
        "carla": carla,
        "code": ana.ticket.code,
        "key": ana.ticket.manage_key,
        "qr": ana.ticket.qr_payload,
        "other_event": other_event,
    }


def test_the_holder_erases_their_data_from_the_ticket_page_and_it_is_gone_everywhere(
    client, full_fair, django_capture_on_commit_callbacks
):
    f = full_fair
    assert f["carla"].status == "waitlisted"
    assert ScanLog.objects.filter(payload=f["qr"]).count() == 1
    ana_tasks = DBTaskResult.objects.filter(
        task_path="registrations.tasks.send_ticket_email",
        args_kwargs__kwargs__attendee_id=f["ana"].pk,
    )
    assert ana_tasks.count() == 1
    assert (
        DBTaskResult.objects.filter(
            task_path="screenings.tasks.appointment_confirmation_send"
        ).count()
        == 1
    )
    dump = database_dump()
    assert all(trace in dump for trace in TRACES)  # the search below can find them

    confirm = client.get(reverse("ticket-erase", args=[f["key"]]))
    assert confirm.status_code == 200
    assert "Yes, erase my data" in confirm.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ticket-erase", args=[f["key"]]))
    assert response["Location"] == reverse("privacy-erased", args=[f["event"].slug])
    assert "Your data is erased" in client.get(response["Location"]).content.decode()

    # Gone everywhere: every table, task rows and scan logs included.
    dump = database_dump()
    for trace in [*TRACES, f["code"], f["key"]]:
        assert trace not in dump, trace
    assert not ana_tasks.exists()
    assert not DBTaskResult.objects.filter(task_path__startswith="screenings.tasks.").exists()
    bob_task = DBTaskResult.objects.filter(args_kwargs__kwargs__attendee_id=f["bob"].pk)
    assert bob_task.count() == 1  # other people's e-mails stay queued

    # The ticket is dead: page, and the QR at the gate.
    assert client.get(reverse("ticket", args=[f["key"]])).status_code == 404
    scan = ticket_check_in(event_id=f["event"].pk, payload=f["qr"], gate="Main")
    assert scan.result == "invalid"

    # The places went to the people waiting, through the usual services.
    ana = Attendee.objects.get(pk=f["ana"].pk)
    assert (ana.status, ana.first_name, ana.email, ana.phone) == ("cancelled", "—", "", "")
    assert ana.erased_at is not None
    assert (ana.category, ana.region.name, ana.country, ana.gender, ana.needs_transport) == (
        "citizen",
        "Timiș",
        "RO",
        "female",
        True,
    )
    assert Attendee.objects.get(pk=f["carla"].pk).status == "confirmed"
    assert TrainingBooking.objects.get(attendee=f["bob"]).status == "confirmed"
    f["slot"].refresh_from_db()
    assert f["slot"].booked_count == 0
    appointment = Appointment.objects.get(attendee=ana)
    assert (appointment.status, appointment.answers, appointment.age, appointment.sex) == (
        "cancelled",
        {},
        None,
        "",
    )
    entry = QueueEntry.objects.get(attendee=ana)
    assert (entry.status, entry.first_name, entry.flags) == ("cancelled", "", [])
    assert (
        AuditLog.objects.filter(
            event=f["event"], action="self_erase", attendee_id=ana.pk, user=None
        ).count()
        == 1
    )


def test_erasing_twice_changes_nothing_more(full_fair):
    first = attendee_erase(attendee_id=full_fair["ana"].pk)
    again = attendee_erase(attendee_id=full_fair["ana"].pk)
    assert again.erased_at == first.erased_at
    assert Attendee.objects.get(pk=full_fair["carla"].pk).status == "confirmed"


@pytest.fixture
def fair_day(django_capture_on_commit_callbacks):
    """Ana and Bogdan came in, were screened (Ana referred), Ana had trained."""
    event = EventFactory()
    region = RegionFactory(programme=event.programme, name="Timiș")
    service = make_service(event, code="T", stations=1)
    station = service.stations.get()
    ana = register(event, region, **ANA)
    bob = register(event, region, first_name="Bogdan", last_name="Ilić", email="bob@example.rs")
    for person in (ana, bob):
        assert (
            ticket_check_in(event_id=event.pk, payload=person.ticket.qr_payload, gate="Main").result
            == "ok"
        )
        queue_join(service_id=service.pk, ticket=person.ticket.code)
        entry = queue_call_next(station_id=station.pk)
        queue_entry_complete(
            entry_id=entry.pk,
            referral_recommended=person is ana,
            note="seen, all fine" if person is ana else "Bob fine",
        )
    return event, ana, bob


def test_an_organizer_erases_a_person_and_the_report_counts_stay_the_same(client, fair_day):
    event, ana, bob = fair_day
    organizer = StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user
    client.force_login(organizer)
    totals_before = attendance_totals(event_id=event.pk)
    figures_before = screening_figures(event_id=event.pk)
    assert (totals_before["checked_in"], totals_before["confirmed"]) == (2, 2)
    day = figures_before["services"][0]["days"][0]
    assert (day["performed"], day["referrals"], day["by_region"], day["by_category"]) == (
        2,
        1,
        {"Timiș (RO)": 2},
        {"citizen": 2},
    )

    # An organizer corrected her e-mail in the admin: the history names her.
    LogEntry.objects.log_actions(
        user_id=organizer.pk,
        queryset=[ana, ana.ticket],
        action_flag=CHANGE,
        change_message=[{"changed": {"fields": ["E-mail"]}}],
    )
    assert LogEntry.objects.filter(object_repr__contains="Zamfirescu").exists()

    person_page = client.get(reverse("organizer:person", args=[event.slug, ana.pk]))
    assert "ana.zamfirescu@example.org" in person_page.content.decode()
    assert AuditLog.objects.filter(action="view", attendee_id=ana.pk, user=organizer).count() == 1
    confirm = client.get(reverse("organizer:person-erase", args=[event.slug, ana.pk]))
    assert "Yes, erase" in confirm.content.decode()
    response = client.post(reverse("organizer:person-erase", args=[event.slug, ana.pk]))
    assert response["Location"] == reverse("organizer:people", args=[event.slug])

    assert attendance_totals(event_id=event.pk) == totals_before
    assert screening_figures(event_id=event.pk) == figures_before
    ana.refresh_from_db()
    assert ana.status == "confirmed"  # she came: the admission stays counted
    dump = database_dump()
    assert not any(trace in dump for trace in TRACES)
    assert "seen, all fine" not in dump and "Bob fine" in dump
    assert LogEntry.objects.filter(object_repr="—").count() == 2
    assert "Bogdan" in dump
    assert AuditLog.objects.filter(action="erase", attendee_id=ana.pk, user=organizer).count() == 1
    search = client.get(reverse("organizer:people", args=[event.slug]), {"q": "Zamfirescu"})
    assert "Nobody matches." in search.content.decode()


def test_another_events_person_cannot_be_erased_by_this_organizer(client, fair_day):
    event, ana, _ = fair_day
    other = EventFactory()
    client.force_login(StaffRoleFactory(event=other, role=StaffRole.Role.ORGANIZER).user)
    assert (
        client.post(reverse("organizer:person-erase", args=[other.slug, ana.pk])).status_code == 404
    )
    assert (
        client.post(reverse("organizer:person-erase", args=[event.slug, ana.pk])).status_code == 403
    )
    ana.refresh_from_db()
    assert ana.erased_at is None


def test_the_json_download_holds_every_part_of_the_persons_day(client, fair_day):
    event, ana, _ = fair_day
    session = TrainingSessionFactory(module__event=event)
    training_booking_create(attendee_id=ana.pk, session_id=session.pk)
    response = client.get(reverse("ticket-export", args=[ana.ticket.manage_key]))
    data = json.loads(response.content)
    assert data["registration"]["email"] == "ana.zamfirescu@example.org"
    assert data["registration"]["accessibility_needs"] == "Wheelchair ramp please"
    assert [b["status"] for b in data["training_bookings"]] == ["confirmed"]
    assert [
        (q["number"], q["status"], q["first_name"], q["referral_recommended"])
        for q in data["screening_queue"]
    ] == [("T-001", "done", "Ana-Maria", True)]
    assert [(c["target"], c["gate"]) for c in data["check_ins"]] == [("event", "Main")]
    assert data["screening_appointments"] == []
    assert AuditLog.objects.filter(action="self_export", attendee_id=ana.pk).count() == 1
