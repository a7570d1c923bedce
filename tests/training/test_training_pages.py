"""The training pages: book and cancel from /t/<code>/training/, free seats on
the event page, the staff roster with the door check-in."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from registrations.models import TrainingBooking
from registrations.services.training import training_booking_create
from tests.factories import AttendeeFactory, UserFactory
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_attendee(event):
    """English-speaking holders: a holder's pages speak the holder's language."""

    def make(**kwargs):
        return AttendeeFactory(event=event, **{"language": "en", **kwargs})

    return make


def test_the_training_page_lists_sessions_with_free_seats(client, module, session, make_attendee):
    attendee = make_attendee()
    response = client.get(f"/t/{attendee.ticket.manage_key}/training/")
    assert response.status_code == 200
    html = response.content.decode()
    assert module.title in html
    assert "15 seats free of 15" in html
    assert "Book a seat" in html


def test_an_unknown_ticket_code_is_a_404(client):
    assert client.get("/t/NOTAREALCODE/training/").status_code == 404


def test_booking_from_the_page_then_cancelling(client, session, make_attendee):
    attendee = make_attendee()
    page = f"/t/{attendee.ticket.manage_key}/training/"
    response = client.post(f"{page}book/", {"session": session.pk}, follow=True)
    assert response.redirect_chain[-1][0] == page
    html = response.content.decode()
    assert "Your seat is booked." in html and "Seat booked" in html
    booking = TrainingBooking.objects.get(attendee=attendee)
    response = client.post(f"{page}bookings/{booking.pk}/cancel/", follow=True)
    assert "Your booking is cancelled." in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_a_full_session_shows_the_waiting_list_place(client, module, make_attendee):
    session = TrainingSessionFactory(module=module, capacity=1)
    training_booking_create(attendee_id=make_attendee().pk, session_id=session.pk)
    attendee = make_attendee()
    page = f"/t/{attendee.ticket.manage_key}/training/"
    assert "Join the waiting list" in client.get(page).content.decode()
    html = client.post(f"{page}book/", {"session": session.pk}, follow=True).content.decode()
    assert "you are number 1 on its waiting list" in html
    assert "Waiting list: number 1" in html


def test_a_refused_booking_explains_why(client, module, make_attendee):
    closed = TrainingSessionFactory(
        module=module, starts_at=timezone.now() + dt.timedelta(minutes=5)
    )
    attendee = make_attendee()
    page = f"/t/{attendee.ticket.manage_key}/training/"
    html = client.post(f"{page}book/", {"session": closed.pk}, follow=True).content.decode()
    assert "Booking for this session has closed." in html
    html = client.post(f"{page}book/", {"session": "x"}, follow=True).content.decode()
    assert "No training session of this event has this number." in html


def test_the_page_speaks_romanian(client, session, make_attendee):
    attendee = make_attendee(language="ro")
    html = client.get(
        f"/t/{attendee.ticket.manage_key}/training/", HTTP_ACCEPT_LANGUAGE="ro"
    ).content.decode()
    assert "Rezervați un loc" in html and "15 locuri libere din 15" in html


def test_the_event_page_shows_free_seats_per_session(client, event, module, make_attendee):
    session = TrainingSessionFactory(module=module, capacity=2)
    training_booking_create(attendee_id=make_attendee().pk, session_id=session.pk)
    html = client.get(f"/e/{event.slug}/").content.decode()
    assert "Training sessions" in html
    assert "1 seat free of 2" in html


def test_the_ticket_section_partial_lists_bookings_and_links_the_page(session, make_attendee):
    attendee = make_attendee()
    training_booking_create(attendee_id=attendee.pk, session_id=session.pk)
    html = render_to_string("registrations/training/_ticket_section.html", {"attendee": attendee})
    assert session.module.title in html
    assert f"/t/{attendee.ticket.manage_key}/training/" in html


def test_the_roster_is_for_staff_of_the_event(client, event, session):
    url = f"/staff/{event.slug}/training/sessions/{session.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_a_volunteer_checks_people_in_from_the_roster(client, event, module, make_attendee):
    from tests.factories import StaffRoleFactory

    running = TrainingSessionFactory(
        module=module, starts_at=timezone.now() - dt.timedelta(minutes=2)
    )
    client.force_login(StaffRoleFactory(event=event, role="volunteer").user)
    attendee = make_attendee(first_name="Jelena", last_name="Živković")
    url = f"/staff/{event.slug}/training/sessions/{running.pk}/"
    html = client.post(url, {"payload": attendee.ticket.qr_payload}).content.decode()
    assert 'data-result="ok"' in html and "Jelena Živković" in html
    html = client.post(url, {"payload": attendee.ticket.code}).content.decode()
    assert 'data-result="already_checked_in"' in html
    assert "Issue certificates" not in html  # organizers only
    sessions = client.get(f"/staff/{event.slug}/training/").content.decode()
    assert url in sessions


def test_an_organizer_issues_certificates_from_the_roster(
    client, event, module, make_attendee, django_capture_on_commit_callbacks
):
    from tests.factories import StaffRoleFactory

    running = TrainingSessionFactory(
        module=module, starts_at=timezone.now() - dt.timedelta(minutes=2)
    )
    client.force_login(StaffRoleFactory(event=event, role="organizer").user)
    url = f"/staff/{event.slug}/training/sessions/{running.pk}/"
    client.post(url, {"payload": make_attendee().ticket.qr_payload})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{url}certificates/", follow=True)
    html = response.content.decode()
    assert "Certificates are being issued and e-mailed." in html
    assert '<span data-k="issued">1</span>/<span data-k="eligible">1</span>' in html


def test_the_event_pages_seat_section_can_be_refetched_alone(client, event, session):
    response = client.get(f"/e/{event.slug}/training/seats/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "15 seats free of 15" in html and "<html" not in html
    assert client.get("/e/no-such-fair/training/seats/").status_code == 404
