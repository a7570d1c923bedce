"""Deleting a whole fair in the admin (docs/privacy.md, "Deleting in the
admin"): a fair with people only by a superuser, on a page that counts what
goes and names nobody; the audit and health logs outlive it, and one
``event_delete`` row records the deletion."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from eventhub.core.exceptions import PermissionDenied
from eventhub.core.models import AuditLog, Event
from eventhub.core.services import event_delete
from registrations.models import Attendee
from registrations.services.attendees import attendee_register
from registrations.services.training import training_booking_create
from screenings.models import Appointment, HealthDataAccess
from screenings.services.appointments import appointment_book
from tests.admin_tools import organizer_of, superuser
from tests.factories import EventFactory
from tests.screenings.helpers import make_service, make_slot
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_fair():
    """Ana, Carla and Bogdan registered; Ana and Carla booked a training seat
    and a screening slot."""
    fair = EventFactory(name="Cooperation Day Timișoara")
    session = TrainingSessionFactory(module__event=fair)
    service = make_service(fair, code="T")
    slot = make_slot(service, capacity=5)
    people = {}
    for first, last in (("Ana", "Kovač"), ("Carla", "Nistor"), ("Bogdan", "Ilić")):
        people[first.lower()] = attendee_register(
            event_id=fair.pk, first_name=first, last_name=last, email=f"{first}@example.org"
        ).attendee
    for person in (people["ana"], people["carla"]):
        training_booking_create(attendee_id=person.pk, session_id=session.pk)
        appointment_book(slot_id=slot.pk, attendee_id=person.pk, health_consent=True)
    return {"fair": fair, "service": service, **people}


def test_an_organizer_cannot_delete_a_fair_with_people_and_sees_no_names(client, busy_fair):
    f = busy_fair
    organizer = organizer_of(client, f["fair"])
    url = reverse("admin:eventhub_event_delete", args=[f["fair"].pk])

    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200
    assert "Cannot delete event" in body
    assert "attendees: 3" in body
    assert "can be deleted only by a superuser" in body
    for name in ("Kovač", "Nistor", "Ilić"):
        assert name not in body
    assert client.post(url, {"post": "yes"}).status_code == 403

    changelist = reverse("admin:eventhub_event_changelist")
    chosen = {"action": "delete_selected", "_selected_action": [f["fair"].pk]}
    selected = client.post(changelist, chosen).content.decode()
    assert "can be deleted only by a superuser" in selected and "Kovač" not in selected
    assert client.post(changelist, {**chosen, "post": "yes"}).status_code == 403
    # The rule is the service's: called directly, it refuses the same.
    with pytest.raises(PermissionDenied):
        event_delete(event_id=f["fair"].pk, user=organizer)
    assert Event.objects.filter(pk=f["fair"].pk).exists()
    assert not AuditLog.objects.filter(action="event_delete").exists()


def test_an_organizer_deletes_a_fair_without_people(client):
    draft = EventFactory(status="draft", slug="draft-fair")
    TrainingSessionFactory(module__event=draft)
    organizer = organizer_of(client, draft)
    url = reverse("admin:eventhub_event_delete", args=[draft.pk])
    page = client.get(url).content.decode()
    assert "Yes, I’m sure" in page and "Training modules: 1" in page
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Event.objects.filter(pk=draft.pk).exists()
    row = AuditLog.objects.get(action="event_delete")
    assert (row.user, row.event) == (organizer, None)
    assert row.detail.startswith(f"event {draft.pk} (draft-fair) deleted with 0 people")


def test_a_superuser_deletes_a_fair_with_people_on_a_page_that_counts_them(client, busy_fair):
    f = busy_fair
    fair_id = f["fair"].pk
    # Somebody looked at Ana before: the audit and health logs outlive the fair.
    organizer_of(client, f["fair"])
    client.get(reverse("admin:registrations_attendee_change", args=[f["ana"].pk]))
    viewed = AuditLog.objects.get(action="view")
    booked = HealthDataAccess.objects.filter(action="book").count()
    assert booked == 2
    LogEntry.objects.log_actions(
        user_id=viewed.user_id, queryset=[f["ana"]], action_flag=2, change_message="E-mail"
    )
    root = superuser(client)
    url = reverse("admin:eventhub_event_delete", args=[fair_id])

    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "Yes, I’m sure" in body
    assert "Attendees: 3" in body and "Appointments: 2" in body
    assert "People are counted here, not named." in body
    for name in ("Kovač", "Nistor", "Ilić"):
        assert name not in body

    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Event.objects.filter(pk=fair_id).exists()
    assert not Attendee.objects.filter(pk=f["ana"].pk).exists()
    row = AuditLog.objects.get(action="event_delete")
    assert (row.user, row.event) == (root, None)
    assert row.detail.startswith(f"event {fair_id} ({f['fair'].slug}) deleted with 3 people")
    viewed.refresh_from_db()
    assert viewed.event is None  # kept, without its fair
    assert HealthDataAccess.objects.filter(action="book", event=None).count() == booked
    assert not LogEntry.objects.filter(object_repr__contains="Kovač").exists()


def test_a_screening_service_with_appointments_is_not_deleted_on_its_own(client, busy_fair):
    f = busy_fair
    organizer_of(client, f["fair"])
    url = reverse("admin:screenings_service_delete", args=[f["service"].pk])
    page = client.get(url).content.decode()
    assert "Cannot delete" in page and "Kovač" not in page
    assert client.post(url, {"post": "yes"}).status_code == 200  # the same refusal
    assert Appointment.objects.filter(service=f["service"]).count() == 2


def test_a_regions_delete_page_counts_the_people_who_hold_it_never_names_them(client):
    from tests.factories import AttendeeFactory, RegionFactory

    region = RegionFactory(name="Caraș-Severin")
    event = EventFactory(programme=region.programme)
    AttendeeFactory(event=event, region=region, first_name="Ileana", last_name="Cosânzeana")
    superuser(client)
    page = client.get(reverse("admin:eventhub_region_delete", args=[region.pk])).content.decode()
    assert "Caraș-Severin" in page
    assert "Ileana" not in page and "Cosânzeana" not in page
    assert "Attendees: 1" in page  # the one person holding it, counted
