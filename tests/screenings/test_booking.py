"""Booking a screening through the API: consent, eligibility, one appointment per
service, full slots, cancelling and re-booking, the confirmation e-mail."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from eventhub.core.capacity import CapacityBelowTaken
from registrations.models import Attendee
from screenings.exceptions import AlreadyBooked, SlotFull
from screenings.models import Appointment, HealthDataAccess, QueueEntry, Slot
from screenings.services.appointments import appointment_book
from screenings.services.queue import queue_join
from screenings.services.slots import slot_update
from tests.screenings.helpers import YES, make_attendee, make_service, make_slot

pytestmark = pytest.mark.django_db

THYROID_QUESTIONS = [
    {"key": "pregnant", "text": "Are you pregnant?", "flag_if": YES, "flag": "pregnant"},
    {
        "key": "recent",
        "text": "Had a scan in the last month?",
        "exclude_if": YES,
        "exclusion_reason": "",
    },
]


@pytest.fixture
def setup(event):
    service = make_service(event, questions=THYROID_QUESTIONS, min_age=18)
    slot = make_slot(service, capacity=2)
    attendee = make_attendee(event)
    return service, slot, attendee


def book(api_client, attendee, slot, headers=None, **body):
    payload = {
        "slot": slot.pk,
        "health_consent": True,
        "age": 40,
        "answers": {"pregnant": False, "recent": False},
        **body,
    }
    return api_client.post(
        f"/api/v1/tickets/{attendee.ticket.manage_key}/appointments/",
        payload,
        format="json",
        **(headers or {}),
    )


def test_booking_returns_201_and_takes_one_place(api_client, setup):
    service, slot, attendee = setup
    response = book(api_client, attendee, slot)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "booked"
    assert body["service"]["code"] == "T"
    assert body["slot"]["id"] == slot.pk
    assert body["health_consent_at"]
    slot.refresh_from_db()
    assert slot.booked_count == 1
    listing = api_client.get(f"/api/v1/events/{service.event.slug}/screenings/").json()
    assert listing[0]["code"] == "T"
    assert {"id": slot.pk, "capacity": 2, "free": 1}.items() <= listing[0]["slots"][0].items()
    assert [s["open"] for s in listing[0]["stations"]] == [True, True]


def test_booking_sends_a_confirmation_with_a_calendar_file(
    api_client, setup, django_capture_on_commit_callbacks
):
    _, slot, attendee = setup
    with django_capture_on_commit_callbacks(execute=True):
        book(api_client, attendee, slot)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [attendee.email]
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    assert "BEGIN:VEVENT" in (content.decode() if isinstance(content, bytes) else content)
    assert f"/t/{attendee.ticket.manage_key}/screenings/" in message.body


def test_booking_without_health_consent_is_refused(api_client, setup):
    _, slot, attendee = setup
    response = book(api_client, attendee, slot, health_consent=False)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "consent_required"
    assert not Appointment.objects.exists()


def test_an_excluding_answer_is_422_not_eligible_with_a_reason(api_client, setup):
    _, slot, attendee = setup
    response = book(api_client, attendee, slot, answers={"pregnant": False, "recent": True})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "not_eligible"
    assert error["reason"] == "recent"
    assert error["message"]
    slot.refresh_from_db()
    assert slot.booked_count == 0


def test_too_young_is_not_eligible_and_the_reason_is_in_the_users_language(api_client, setup):
    _, slot, attendee = setup
    english = book(api_client, attendee, slot, age=16).json()["error"]
    romanian = book(api_client, attendee, slot, {"HTTP_ACCEPT_LANGUAGE": "ro"}, age=16)
    assert english["code"] == "not_eligible" and english["reason"] == "age"
    assert "18" in english["message"]
    assert romanian.json()["error"]["code"] == "not_eligible"
    assert romanian.json()["error"]["message"] == (
        "Acest screening este pentru persoane de 18 ani sau mai mult."
    )


def test_women_only_service_refuses_men(api_client, event):
    service = make_service(event, code="B", sex="female")
    slot = make_slot(service)
    attendee = make_attendee(event, gender=Attendee.Gender.MALE)
    response = book(api_client, attendee, slot, answers={})
    assert response.status_code == 422
    assert response.json()["error"]["reason"] == "sex"


def test_missing_answers_are_reported_per_field(api_client, setup):
    _, slot, attendee = setup
    response = book(api_client, attendee, slot, answers={"pregnant": True}, age=None)
    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert "age" in fields and "recent" in fields["answers"]


def test_a_flagging_answer_is_kept_as_a_flag(api_client, setup):
    _, slot, attendee = setup
    response = book(api_client, attendee, slot, answers={"pregnant": "yes", "recent": "no"})
    assert response.status_code == 201
    assert response.json()["flags"] == ["pregnant"]


def test_one_active_appointment_per_service_per_person(api_client, setup):
    service, slot, attendee = setup
    other = make_slot(service, in_hours=25)
    assert book(api_client, attendee, slot).status_code == 201
    again = book(api_client, attendee, other)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_booked"
    with pytest.raises(AlreadyBooked):
        appointment_book(
            slot_id=other.pk,
            attendee_id=attendee.pk,
            health_consent=True,
            age=30,
            answers={"pregnant": "no", "recent": "no"},
        )


def test_a_full_slot_answers_409_slot_full(api_client, event, setup):
    _, slot, attendee = setup
    for _n in range(2):
        assert book(api_client, make_attendee(event), slot).status_code == 201
    response = book(api_client, attendee, slot)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "slot_full"
    with pytest.raises(SlotFull):
        appointment_book(
            slot_id=slot.pk,
            attendee_id=attendee.pk,
            health_consent=True,
            age=30,
            answers={"pregnant": "no", "recent": "no"},
        )
    slot.refresh_from_db()
    assert slot.booked_count == slot.capacity == 2


def test_cancel_frees_the_place_erases_the_answers_and_allows_booking_again(api_client, setup):
    service, slot, attendee = setup
    other = make_slot(service, in_hours=26)
    appointment_id = book(api_client, attendee, slot).json()["id"]
    url = f"/api/v1/tickets/{attendee.ticket.manage_key}/appointments/{appointment_id}/"
    assert api_client.delete(url).status_code == 204
    slot.refresh_from_db()
    assert slot.booked_count == 0
    cancelled = Appointment.objects.get(pk=appointment_id)
    assert (cancelled.answers, cancelled.age, cancelled.flags) == ({}, None, [])
    assert api_client.delete(url).json()["error"]["code"] == "appointment_not_active"
    assert book(api_client, attendee, other).status_code == 201


def test_another_ticket_cannot_cancel_my_appointment(api_client, event, setup):
    _, slot, attendee = setup
    appointment_id = book(api_client, attendee, slot).json()["id"]
    stranger = make_attendee(event)
    response = api_client.delete(
        f"/api/v1/tickets/{stranger.ticket.manage_key}/appointments/{appointment_id}/"
    )
    assert response.status_code == 404
    assert Appointment.objects.get(pk=appointment_id).status == "booked"


def test_an_unknown_ticket_is_404_and_a_started_slot_cannot_be_booked(api_client, setup):
    service, slot, attendee = setup
    response = api_client.post(
        "/api/v1/tickets/AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH/appointments/",
        {"slot": slot.pk, "health_consent": True},
        format="json",
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "ticket_not_found"
    Slot.objects.filter(pk=slot.pk).update(starts_at=timezone.now() - dt.timedelta(minutes=1))
    assert book(api_client, attendee, slot).json()["error"]["code"] == "slot_past"


def test_the_attendee_reads_their_appointments_and_the_read_is_logged(api_client, setup):
    _, slot, attendee = setup
    book(api_client, attendee, slot)
    response = api_client.get(f"/api/v1/tickets/{attendee.ticket.manage_key}/appointments/")
    assert response.status_code == 200
    assert response.json()[0]["answers"] == {"pregnant": "no", "recent": "no"}
    actions = set(HealthDataAccess.objects.filter(attendee=attendee).values_list("actor", "action"))
    assert actions == {("ticket holder", "book"), ("ticket holder", "view")}


def test_the_reminder_command_e_mails_each_appointment_once(
    api_client, setup, django_capture_on_commit_callbacks
):
    _, slot, attendee = setup
    book(api_client, attendee, slot)
    for _run in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_screening_reminders", "--hours", "48", stdout=StringIO())
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Memento: Service T"  # in the attendee's language (ro)


def test_cancelling_the_registration_frees_the_slot_and_the_queue_place(client, api_client, setup):
    service, slot, attendee = setup
    appointment_id = book(api_client, attendee, slot).json()["id"]
    queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    response = client.post(reverse("ticket-cancel", args=[attendee.ticket.manage_key]))
    assert response.status_code == 302
    slot.refresh_from_db()
    assert slot.booked_count == 0
    assert Appointment.objects.get(pk=appointment_id).status == Appointment.Status.CANCELLED
    assert not QueueEntry.objects.filter(
        attendee=attendee, status__in=[QueueEntry.Status.WAITING, QueueEntry.Status.CALLED]
    ).exists()


def test_a_slot_booking_through_the_api_takes_a_fixed_number_of_queries(
    api_client, setup, django_assert_num_queries
):
    _, slot, attendee = setup
    with django_assert_num_queries(13):
        response = book(api_client, attendee, slot)
    assert response.status_code == 201


# --- The slot's waiting list (the organizer enables it per service) -----------


@pytest.fixture
def waitlisted_setup(api_client, event, setup):
    """A full slot of a service whose waiting list is on, and its two holders."""
    service, slot, attendee = setup
    service.waitlist = True
    service.save(update_fields=["waitlist"])
    holders = [make_attendee(event) for _ in range(2)]
    for holder in holders:
        assert book(api_client, holder, slot).status_code == 201
    return service, slot, attendee, holders


def test_a_full_slot_with_a_waiting_list_takes_the_booking_as_waitlisted(
    api_client, waitlisted_setup, django_capture_on_commit_callbacks
):
    _, slot, attendee, _holders = waitlisted_setup
    with django_capture_on_commit_callbacks(execute=True):
        response = book(api_client, attendee, slot)
    assert response.status_code == 201, response.json()
    assert response.json()["status"] == "waitlisted"
    assert mail.outbox == []  # no confirmation for a place not held
    slot.refresh_from_db()
    assert slot.booked_count == slot.capacity == 2
    mine = api_client.get(f"/api/v1/tickets/{attendee.ticket.manage_key}/appointments/").json()
    assert [a["status"] for a in mine] == ["waitlisted"]
    page = api_client.get(f"/t/{attendee.ticket.manage_key}/screenings/", HTTP_ACCEPT_LANGUAGE="en")
    # The page speaks the holder's saved language (Romanian here).
    assert "Listă de așteptare" in page.content.decode()


def test_a_freed_place_goes_to_the_first_person_waiting_who_is_e_mailed(
    api_client, event, waitlisted_setup, django_capture_on_commit_callbacks
):
    _, slot, attendee, holders = waitlisted_setup
    first = book(api_client, attendee, slot).json()["id"]
    second_person = make_attendee(event)
    second = book(api_client, second_person, slot).json()["id"]
    held = Appointment.objects.get(attendee=holders[0], slot=slot)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_client.delete(
            f"/api/v1/tickets/{holders[0].ticket.manage_key}/appointments/{held.pk}/"
        )
    assert response.status_code == 204
    assert Appointment.objects.get(pk=first).status == "booked"
    assert Appointment.objects.get(pk=second).status == "waitlisted"
    assert [m.to for m in mail.outbox] == [[attendee.email]]
    slot.refresh_from_db()
    assert slot.booked_count == 2


def test_a_waiting_person_may_leave_the_list_and_nobody_is_promoted(api_client, waitlisted_setup):
    _, slot, attendee, _holders = waitlisted_setup
    waiting = book(api_client, attendee, slot).json()["id"]
    response = api_client.delete(
        f"/api/v1/tickets/{attendee.ticket.manage_key}/appointments/{waiting}/"
    )
    assert response.status_code == 204
    assert Appointment.objects.get(pk=waiting).status == "cancelled"
    slot.refresh_from_db()
    assert slot.booked_count == 2


def test_a_waiting_person_counts_as_holding_the_services_appointment(api_client, waitlisted_setup):
    service, slot, attendee, _holders = waitlisted_setup
    book(api_client, attendee, slot)
    other = make_slot(service, in_hours=30)
    response = book(api_client, attendee, other)
    assert (response.status_code, response.json()["error"]["code"]) == (409, "already_booked")


def test_raising_a_slots_capacity_promotes_people_waiting_and_lowering_is_refused(
    api_client, waitlisted_setup
):
    _, slot, attendee, _holders = waitlisted_setup
    waiting = book(api_client, attendee, slot).json()["id"]
    with pytest.raises(CapacityBelowTaken):
        slot_update(slot_id=slot.pk, capacity=1)
    slot.refresh_from_db()
    seq = slot.seq
    slot_after, promoted = slot_update(slot_id=slot.pk, capacity=3)
    assert [a.pk for a in promoted] == [waiting]
    assert (slot_after.capacity, slot_after.booked_count) == (3, 3)
    assert slot_after.seq > seq
