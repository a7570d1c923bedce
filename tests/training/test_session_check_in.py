"""Scanning tickets at the door of a training room: booked people are checked
in once, walk-ins take free seats, and staff roles are checked. The door goes
through the gate's admission engine: same result codes, a ScanLog row for
every scan."""

import datetime as dt

import pytest
from django.utils import timezone

from registrations.models import Attendee, CheckIn, ScanLog, TrainingBooking
from registrations.services.training import training_booking_create
from registrations.services.training_door import training_session_check_in
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db
Status = TrainingBooking.Status


@pytest.fixture
def running(module):
    """A session that started five minutes ago (before its no-show release)."""
    return TrainingSessionFactory(
        module=module, starts_at=timezone.now() - dt.timedelta(minutes=5), capacity=2
    )


def scan(staff_client, event, session, payload):
    client = staff_client(event, "volunteer")
    return client.post(
        f"/api/v1/training-sessions/{session.pk}/checkins/", {"payload": payload}, format="json"
    )


def book_before_start(attendee, session):
    return training_booking_create(
        attendee_id=attendee.pk, session_id=session.pk, now=session.starts_at - dt.timedelta(days=1)
    ).booking


def test_a_booked_person_is_checked_in_once(staff_client, event, running, make_attendee):
    attendee = make_attendee(first_name="Ștefan", last_name="Mureșan")
    book_before_start(attendee, running)
    first = scan(staff_client, event, running, attendee.ticket.qr_payload)
    assert first.status_code == 200
    body = first.json()
    assert (body["result"], body["name"], body["walk_in"]) == ("ok", "Ștefan Mureșan", False)
    second = scan(staff_client, event, running, attendee.ticket.code_for_humans).json()
    assert second["result"] == "already_checked_in"
    assert second["checked_in_at"] == body["checked_in_at"]


def test_a_walk_in_takes_a_free_seat_on_the_spot(staff_client, event, running, make_attendee):
    attendee = make_attendee()
    body = scan(staff_client, event, running, attendee.ticket.qr_payload).json()
    assert (body["result"], body["walk_in"], body["session"]["free"]) == ("ok", True, 1)
    booking = TrainingBooking.objects.get(attendee=attendee)
    assert booking.walk_in and booking.checked_in_at and booking.status == Status.CONFIRMED


def test_a_full_room_turns_walk_ins_away_until_no_shows_are_released(
    staff_client, event, running, make_attendee
):
    for _ in range(2):
        book_before_start(make_attendee(), running)
    waiting = make_attendee()
    body = scan(staff_client, event, running, waiting.ticket.qr_payload).json()
    assert (body["result"], body["reason"]) == ("not_admissible", "session_full")
    later = running.no_show_release_at + dt.timedelta(seconds=1)
    result = training_session_check_in(
        session_id=running.pk, payload=waiting.ticket.qr_payload, now=later
    )
    assert (result.result, result.walk_in) == ("ok", True)
    running.refresh_from_db()
    assert running.booked_count == 1
    assert TrainingBooking.objects.filter(session=running, status=Status.RELEASED).count() == 2


def test_a_waitlisted_person_at_the_door_takes_a_freed_seat(module, make_attendee):
    session = TrainingSessionFactory(module=module, capacity=1)
    holder = book_before_start(make_attendee(), session)
    waiting_attendee = make_attendee()
    waiting = book_before_start(waiting_attendee, session)
    assert waiting.status == Status.WAITLISTED
    after_release = session.no_show_release_at
    result = training_session_check_in(
        session_id=session.pk, payload=waiting_attendee.ticket.qr_payload, now=after_release
    )
    assert result.result == "ok"
    waiting.refresh_from_db()
    holder.refresh_from_db()
    assert (holder.status, waiting.status) == (Status.RELEASED, Status.CONFIRMED)


def test_someone_booked_in_another_session_of_the_module_is_not_seated(
    module, running, make_attendee
):
    later = TrainingSessionFactory(
        module=module, starts_at=running.starts_at + dt.timedelta(hours=3)
    )
    attendee = make_attendee()
    training_booking_create(attendee_id=attendee.pk, session_id=later.pk)
    result = training_session_check_in(session_id=running.pk, payload=attendee.ticket.qr_payload)
    assert (result.result, result.reason) == ("not_admissible", "already_booked")


def test_forged_foreign_and_cancelled_tickets_are_refused(
    staff_client, event, running, make_attendee
):
    attendee = make_attendee()
    payload = attendee.ticket.qr_payload
    tampered = payload[:-1] + ("A" if payload[-1] != "A" else "B")
    assert scan(staff_client, event, running, tampered).json()["result"] == "invalid"
    assert scan(staff_client, event, running, "hello").json()["result"] == "invalid"
    foreign = AttendeeFactory(event=EventFactory())
    assert scan(staff_client, event, running, foreign.ticket.qr_payload).json()["result"] == (
        "wrong_event"
    )
    cancelled = make_attendee(status=Attendee.Status.CANCELLED)
    assert scan(staff_client, event, running, cancelled.ticket.qr_payload).json()["result"] == (
        "cancelled"
    )
    assert not TrainingBooking.objects.exists()


def test_only_staff_of_the_event_may_scan(api_client, staff_client, event, running, make_attendee):
    url = f"/api/v1/training-sessions/{running.pk}/checkins/"
    payload = {"payload": make_attendee().ticket.qr_payload}
    assert api_client.post(url, payload, format="json").status_code == 401
    doctor = staff_client(event, "doctor").post(url, payload, format="json")
    assert (doctor.status_code, doctor.json()["error"]["code"]) == (403, "permission_denied")
    other_event = staff_client(EventFactory(), "organizer").post(url, payload, format="json")
    assert other_event.status_code == 403
    organizer = staff_client(event, "organizer").post(url, payload, format="json")
    assert organizer.json()["result"] == "ok"


def test_a_malformed_scan_request_is_a_400(staff_client, event, running):
    client = staff_client(event, "volunteer")
    response = client.post(f"/api/v1/training-sessions/{running.pk}/checkins/", {}, format="json")
    assert (response.status_code, response.json()["error"]["code"]) == (400, "invalid")


def test_a_retried_scan_with_the_same_nonce_answers_the_first_result(
    staff_client, event, running, make_attendee
):
    attendee = make_attendee()
    client = staff_client(event, "volunteer")
    url = f"/api/v1/training-sessions/{running.pk}/checkins/"
    payload = {"payload": attendee.ticket.qr_payload, "nonce": "scan-7f3a"}
    first = client.post(url, payload, format="json").json()
    retry = client.post(url, payload, format="json").json()
    other = client.post(url, {**payload, "nonce": "scan-9c1d"}, format="json").json()
    assert (first["result"], first["walk_in"]) == ("ok", True)
    assert (retry["result"], retry["checked_in_at"]) == ("ok", first["checked_in_at"])
    assert other["result"] == "already_checked_in"
    running.refresh_from_db()
    assert running.booked_count == 1


def test_every_door_scan_leaves_a_scan_log_row_with_the_gates_codes(
    staff_client, event, running, make_attendee
):
    booked = make_attendee()
    book_before_start(booked, running)
    waitlisted = make_attendee(status=Attendee.Status.WAITLISTED)
    foreign = AttendeeFactory(event=EventFactory())
    answers = [
        scan(staff_client, event, running, payload).json()["result"]
        for payload in (
            booked.ticket.qr_payload,
            booked.ticket.code,
            "hello",
            foreign.ticket.qr_payload,
            waitlisted.ticket.qr_payload,
        )
    ]
    assert answers == ["ok", "already_checked_in", "invalid", "wrong_event", "waitlisted"]
    logged = list(
        ScanLog.objects.filter(target=f"training:{running.pk}")
        .order_by("pk")
        .values_list("result", "gate")
    )
    assert logged == [(result, "Training tent") for result in answers]
    check_in = CheckIn.objects.get(ticket=booked.ticket, target=f"training:{running.pk}")
    booking = TrainingBooking.objects.get(attendee=booked, session=running)
    assert booking.checked_in_at == check_in.checked_in_at
    assert not CheckIn.objects.filter(target="event").exists()


def test_a_refused_walk_in_is_logged_with_the_reason(staff_client, event, running, make_attendee):
    for _ in range(2):
        book_before_start(make_attendee(), running)
    walk_in = make_attendee()
    body = scan(staff_client, event, running, walk_in.ticket.qr_payload).json()
    assert (body["result"], body["reason"], body["booking"]) == (
        "not_admissible",
        "session_full",
        None,
    )
    log = ScanLog.objects.get(ticket=walk_in.ticket)
    assert (log.result, log.note, log.target) == (
        "not_admissible",
        "session_full",
        f"training:{running.pk}",
    )
    assert not CheckIn.objects.filter(ticket=walk_in.ticket).exists()


def test_admission_at_the_gate_and_at_the_door_are_separate(
    staff_client, event, running, make_attendee
):
    attendee = make_attendee()
    book_before_start(attendee, running)
    gate = staff_client(event, "volunteer").post(
        f"/api/v1/events/{event.slug}/checkins/", {"payload": attendee.ticket.code}, format="json"
    )
    assert gate.json()["result"] == "ok"
    assert scan(staff_client, event, running, attendee.ticket.code).json()["result"] == "ok"
    assert scan(staff_client, event, running, attendee.ticket.code).json()["result"] == (
        "already_checked_in"
    )


def test_another_tickets_nonce_at_the_door_gets_that_tickets_honest_answer(
    staff_client, event, running, make_attendee
):
    first, second = make_attendee(), make_attendee()
    for person in (first, second):
        book_before_start(person, running)
    client = staff_client(event, "volunteer")
    url = f"/api/v1/training-sessions/{running.pk}/checkins/"

    def door(person, nonce):
        return client.post(
            url, {"payload": person.ticket.code, "nonce": nonce}, format="json"
        ).json()

    assert door(second, "n-2")["result"] == "ok"
    assert door(first, "n-1")["result"] == "ok"
    body = door(second, "n-1")
    assert (body["result"], body["replayed"]) == ("already_checked_in", False)
    assert ScanLog.objects.filter(ticket=second.ticket, nonce="n-1").get().result == (
        "already_checked_in"
    )


def test_the_door_page_admits_through_the_same_engine(client, event, running, make_attendee):
    attendee = make_attendee(first_name="Milica", last_name="Jovanović")
    book_before_start(attendee, running)
    client.force_login(StaffRoleFactory(event=event, role="volunteer").user)
    url = f"/staff/{event.slug}/training/sessions/{running.pk}/"
    page = client.post(url, {"payload": attendee.ticket.code_for_humans, "nonce": "p-1"})
    assert page.status_code == 200
    assert b'data-result="ok"' in page.content
    assert "Milica Jovanović" in page.content.decode()
    again = client.post(url, {"payload": attendee.ticket.code, "nonce": "p-2"})
    assert b'data-result="already_checked_in"' in again.content
    bad = client.post(url, {"payload": "nonsense", "nonce": "p-3"})
    assert b'data-result="invalid"' in bad.content
    assert list(
        ScanLog.objects.filter(target=f"training:{running.pk}")
        .order_by("pk")
        .values_list("result", flat=True)
    ) == ["ok", "already_checked_in", "invalid"]
