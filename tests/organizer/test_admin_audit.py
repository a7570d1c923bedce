"""Every admin page that names people goes through the door: opening it
writes the audit row (personal data) or the health-log row (appointments),
and staff who do not organize the fair see nobody and leave no row
(docs/privacy.md, "The door")."""

import pytest
from django.urls import reverse

from eventhub.core.models import AuditLog, StaffRole
from eventhub.core.services import staff_add
from registrations.services.checkin import ticket_check_in
from registrations.services.training import training_booking_create
from screenings.models import HealthDataAccess
from screenings.services.appointments import appointment_book
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory, UserFactory
from tests.screenings.helpers import doctor_of, make_service, make_slot
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


def admin_of(client, event, username):
    """``client`` logged in as an organizer of ``event``, as ``add_staff`` makes one."""
    staff_add(event_id=event.pk, role=StaffRole.Role.ORGANIZER, username=username)
    user = UserFactory(username=username)
    client.force_login(user)
    return user


@pytest.fixture
def other_fair():
    return EventFactory(name="Cooperation Day Vidin")


def assert_not_shown(client, url, name):
    """The page is not shown: an organizer of another fair gets the admin's
    "does not exist" redirect, staff who are not admin users the login."""
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == reverse("admin:index") or response.url.startswith(reverse("admin:login"))
    assert name not in client.get(response.url).content.decode()


def refusals(client, fair, other_fair, url, name):
    """An organizer of another fair, a volunteer and a doctor of this fair
    are each refused ``url``; nothing is logged."""
    admin_of(client, other_fair, "org-vidin")
    assert_not_shown(client, url, name)
    for role in (StaffRole.Role.VOLUNTEER, StaffRole.Role.DOCTOR):
        client.force_login(StaffRoleFactory(event=fair, role=role).user)
        assert_not_shown(client, url, name)
    assert not AuditLog.objects.exists()
    assert not HealthDataAccess.objects.filter(action="view").exists()


# --- People: delete confirmation and history ----------------------------------


def test_a_persons_delete_confirmation_and_history_are_logged(client, fair):
    ana = AttendeeFactory(event=fair, last_name="Kovač")
    organizer = admin_of(client, fair, "org")

    page = client.get(reverse("admin:registrations_attendee_delete", args=[ana.pk]))
    assert page.status_code == 200 and "Kovač" in page.content.decode()
    row = AuditLog.objects.get()
    assert (row.user, row.event, row.action, row.attendee_id, row.detail) == (
        organizer,
        fair,
        "view",
        ana.pk,
        "admin delete page: 1 people listed",
    )

    AuditLog.objects.all().delete()
    page = client.get(reverse("admin:registrations_attendee_history", args=[ana.pk]))
    assert page.status_code == 200 and "Kovač" in page.content.decode()
    row = AuditLog.objects.get()
    assert (row.user, row.event, row.action, row.attendee_id, row.detail) == (
        organizer,
        fair,
        "view",
        ana.pk,
        "admin history page",
    )


def test_the_delete_selected_confirmation_lists_people_through_the_door(client, fair):
    chosen = [AttendeeFactory(event=fair, last_name=name) for name in ("Kovač", "Ionescu")]
    AttendeeFactory(event=fair, last_name="Popescu")
    organizer = admin_of(client, fair, "org")

    page = client.post(
        reverse("admin:registrations_attendee_changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in chosen]},
    )
    body = page.content.decode()
    assert page.status_code == 200 and "Kovač" in body and "Ionescu" in body
    row = AuditLog.objects.get(detail__startswith="admin delete page")
    assert (row.user, row.event, row.attendee_id, row.detail) == (
        organizer,
        fair,
        None,
        "admin delete page: 2 people listed",
    )


def test_a_persons_delete_and_history_pages_are_refused_outside_the_fair(client, fair, other_fair):
    ana = AttendeeFactory(event=fair, last_name="Kovač")
    for name in ("delete", "history", "change"):
        url = reverse(f"admin:registrations_attendee_{name}", args=[ana.pk])
        refusals(client, fair, other_fair, url, "Kovač")


# --- Training: the bookings on a session's page, delete confirmations ---------


@pytest.fixture
def booked_session(fair):
    session = TrainingSessionFactory(module__event=fair)
    for name in ("Kovač", "Ionescu"):
        person = AttendeeFactory(event=fair, last_name=name)
        training_booking_create(attendee_id=person.pk, session_id=session.pk)
    return session


def test_a_training_sessions_page_logs_the_people_booked(client, fair, booked_session):
    organizer = admin_of(client, fair, "org")
    url = reverse("admin:registrations_trainingsession_change", args=[booked_session.pk])

    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "Kovač" in body and "Ionescu" in body
    row = AuditLog.objects.get()
    assert (row.user, row.event, row.action, row.detail) == (
        organizer,
        fair,
        "view",
        f"admin training session {booked_session.pk}: 2 people listed",
    )


def test_deleting_a_session_or_its_module_shows_the_booked_people_through_the_door(
    client, fair, booked_session
):
    organizer = admin_of(client, fair, "org")
    pages = {
        "sessions": reverse("admin:registrations_trainingsession_delete", args=[booked_session.pk]),
        "modules": reverse(
            "admin:registrations_trainingmodule_delete", args=[booked_session.module_id]
        ),
    }
    for what, url in pages.items():
        page = client.get(url)
        assert page.status_code == 200 and "Kovač" in page.content.decode()
        row = AuditLog.objects.order_by("pk").last()
        assert (row.user, row.event, row.detail) == (
            organizer,
            fair,
            f"admin delete page of training {what}: 2 people listed",
        )
    assert AuditLog.objects.count() == 2


def test_a_training_sessions_page_is_refused_outside_the_fair(
    client, fair, other_fair, booked_session
):
    for name in ("change", "delete"):
        url = reverse(f"admin:registrations_trainingsession_{name}", args=[booked_session.pk])
        refusals(client, fair, other_fair, url, "Kovač")


# --- Screening appointments: the health log -----------------------------------


@pytest.fixture
def appointments(fair):
    service = make_service(fair, code="T", name="Thyroid ultrasound")
    slot = make_slot(service, capacity=5)
    people = [AttendeeFactory(event=fair, last_name=name) for name in ("Kovač", "Ionescu")]
    for person in people:
        appointment_book(slot_id=slot.pk, attendee_id=person.pk, health_consent=True)
    return service, people


def test_the_admins_list_and_search_of_appointments_are_in_the_health_log(
    client, fair, appointments
):
    service, (kovac, _) = appointments
    organizer = admin_of(client, fair, "org")
    url = reverse("admin:screenings_appointment_changelist")

    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "Kovač" in body and "Ionescu" in body
    row = HealthDataAccess.objects.get(action="view")
    assert (row.user, row.event, row.actor, row.service, row.attendee_id, row.what) == (
        organizer,
        fair,
        "organizer",
        service,
        None,
        "admin list: 2 people listed",
    )

    HealthDataAccess.objects.all().delete()
    found = client.get(url, {"q": "Kovač"}).content.decode()
    assert "Kovač" in found and "Ionescu" not in found
    row = HealthDataAccess.objects.get()
    assert (row.action, row.attendee_id, row.what) == (
        "view",
        kovac.pk,
        "admin list: 1 people listed",
    )

    HealthDataAccess.objects.all().delete()
    assert client.get(url, {"q": "Nobody"}).status_code == 200
    assert not HealthDataAccess.objects.exists()
    assert not AuditLog.objects.exists()  # health data keeps its own log


def test_the_appointment_list_shows_nobody_outside_the_fair(client, fair, other_fair, appointments):
    url = reverse("admin:screenings_appointment_changelist")
    admin_of(client, other_fair, "org-vidin")
    listed = client.get(url)
    assert listed.status_code == 200 and "Kovač" not in listed.content.decode()
    service, _ = appointments
    client.force_login(doctor_of(service))
    assert client.get(url).url.startswith(reverse("admin:login"))
    assert not HealthDataAccess.objects.filter(action="view").exists()


def test_the_appointments_door_refuses_a_doctor_of_the_service_and_logs_nothing(fair, appointments):
    from eventhub.core.exceptions import PermissionDenied as NotAllowed
    from screenings.models import Appointment
    from screenings.selectors.access import access_appointment_rows

    service, _ = appointments
    rows = Appointment.objects.select_related("service")
    with pytest.raises(NotAllowed):
        access_appointment_rows(user=doctor_of(service), rows=rows, purpose="admin list")
    assert not HealthDataAccess.objects.filter(action="view").exists()


# --- Check-ins: a search by name ---------------------------------------------


def test_a_search_of_check_ins_by_name_is_logged(client, fair, other_fair):
    kovac = AttendeeFactory(event=fair, last_name="Kovač")
    ionescu = AttendeeFactory(event=fair, last_name="Ionescu")
    for person in (kovac, ionescu):
        ticket_check_in(event_id=fair.pk, payload=person.ticket.code, gate="North")
    organizer = admin_of(client, fair, "org")
    url = reverse("admin:registrations_checkin_changelist")

    listed = client.get(url)
    body = listed.content.decode()
    assert listed.status_code == 200 and "Kovač" not in body  # codes, never names
    assert kovac.ticket.code_for_humans in body
    assert not AuditLog.objects.exists()

    found = client.get(url, {"q": "Kovač"}).content.decode()
    assert kovac.ticket.code_for_humans in found
    assert ionescu.ticket.code_for_humans not in found
    row = AuditLog.objects.get()
    assert (row.user, row.event, row.action, row.attendee_id, row.detail) == (
        organizer,
        fair,
        "view",
        kovac.pk,
        "admin check-in search: 1 people listed",
    )

    AuditLog.objects.all().delete()
    assert client.get(url, {"q": "Nobody"}).status_code == 200
    admin_of(client, other_fair, "org-vidin")
    other = client.get(url, {"q": "Kovač"}).content.decode()
    assert kovac.ticket.code_for_humans not in other
    assert not AuditLog.objects.exists()


# --- A superuser's forms pick a person by id ----------------------------------


def test_a_queue_entrys_form_names_its_own_person_only(client, fair):
    from screenings.services.queue import queue_join

    service = make_service(fair)
    entry = queue_join(
        service_id=service.pk, ticket=AttendeeFactory(event=fair, last_name="Kovač").ticket.code
    ).entry
    AttendeeFactory(event=EventFactory(), last_name="Stranger")
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    page = client.get(reverse("admin:screenings_queueentry_change", args=[entry.pk]))
    assert page.status_code == 200
    assert "Kovač" in page.content.decode() and "Stranger" not in page.content.decode()
    assert HealthDataAccess.objects.filter(action="view", attendee_id=entry.attendee_id).exists()
