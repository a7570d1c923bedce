"""The ticket holder's booking API: POST {"module"} or {"session"}, DELETE,
and the public list of sessions with free seats."""

import datetime as dt

import pytest

from registrations.models import TrainingBooking
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


def bookings_url(attendee):
    return f"/api/v1/tickets/{attendee.ticket.manage_key}/bookings/"


def test_booking_by_module_answers_201_with_the_session_and_seat(
    api_client, module, session, make_attendee
):
    attendee = make_attendee()
    response = api_client.post(bookings_url(attendee), {"module": module.pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["module"] == module.pk
    assert body["session"]["id"] == session.pk
    assert body["session"]["free"] == 14
    assert body["waitlist_position"] is None
    assert body["certificate_url"] is None


def test_booking_a_full_session_answers_its_waiting_list_position(
    api_client, module, make_attendee
):
    session = TrainingSessionFactory(module=module, capacity=1)
    api_client.post(bookings_url(make_attendee()), {"session": session.pk}, format="json")
    response = api_client.post(
        bookings_url(make_attendee()), {"session": session.pk}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["status"] == "waitlisted"
    assert response.json()["waitlist_position"] == 1


@pytest.mark.parametrize("payload", [{}, {"module": 1, "session": 1}, {"module": "x"}, []])
def test_a_malformed_booking_request_is_a_400_with_the_error_shape(
    api_client, make_attendee, payload
):
    response = api_client.post(bookings_url(make_attendee()), payload, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_refusals_carry_their_codes(api_client, module, session, make_attendee):
    attendee = make_attendee()
    api_client.post(bookings_url(attendee), {"session": session.pk}, format="json")
    again = api_client.post(bookings_url(attendee), {"module": module.pk}, format="json")
    assert (again.status_code, again.json()["error"]["code"]) == (409, "already_booked")
    missing = api_client.post(bookings_url(attendee), {"session": 999999}, format="json")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "session_not_found")
    unknown = api_client.post(
        "/api/v1/tickets/AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH/bookings/",
        {"module": module.pk},
        format="json",
    )
    assert (unknown.status_code, unknown.json()["error"]["code"]) == (404, "ticket_not_found")


def test_cancelling_answers_204_then_409_and_only_for_the_holder(
    api_client, session, make_attendee
):
    attendee = make_attendee()
    booking_id = api_client.post(
        bookings_url(attendee), {"session": session.pk}, format="json"
    ).json()["id"]
    stranger = api_client.delete(f"{bookings_url(make_attendee())}{booking_id}/")
    assert (stranger.status_code, stranger.json()["error"]["code"]) == (404, "booking_not_found")
    assert api_client.delete(f"{bookings_url(attendee)}{booking_id}/").status_code == 204
    twice = api_client.delete(f"{bookings_url(attendee)}{booking_id}/")
    assert (twice.status_code, twice.json()["error"]["code"]) == (409, "booking_not_active")
    assert TrainingBooking.objects.get(pk=booking_id).status == "cancelled"


def test_the_holder_lists_their_bookings(api_client, module, session, make_attendee):
    attendee = make_attendee()
    api_client.post(bookings_url(attendee), {"session": session.pk}, format="json")
    body = api_client.get(bookings_url(attendee)).json()
    assert [(b["module_title"], b["status"]) for b in body] == [(module.title, "confirmed")]


def test_the_public_session_list_shows_free_seats_and_waiting_people(
    api_client, event, module, make_attendee
):
    morning = TrainingSessionFactory(module=module, capacity=1)
    TrainingSessionFactory(module=module, starts_at=morning.starts_at + dt.timedelta(hours=3))
    for _ in range(2):
        api_client.post(bookings_url(make_attendee()), {"session": morning.pk}, format="json")
    body = api_client.get(f"/api/v1/events/{event.slug}/training/").json()
    assert body[0]["title"] == module.title
    assert body[0]["trainers"][1].startswith("Emergency Department")
    assert [(s["free"], s["waitlisted"]) for s in body[0]["sessions"]] == [(0, 1), (15, 0)]
