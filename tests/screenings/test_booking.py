"""Booking a screening through the API: consent, eligibility, one appointment per
service, full slots, cancelling and re-booking, the confirmation e-mail."""

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from registrations.models import Attendee
from screenings.exceptions import AlreadyBooked, SlotFull
from screenings.models import Appointment, HealthDataAccess, QueueEntry, Slot
from screenings.services.appointments import appointment_book
from screenings.services.queue import queue_join
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
