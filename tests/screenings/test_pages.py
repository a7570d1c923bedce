"""The attendee's screening pages and the staff walk-in page, through Django's client."""

import pytest
from django.template.loader import render_to_string

from eventhub.core.models import StaffRole
from screenings.models import Appointment, HealthDataAccess
from screenings.services.queue import queue_join
from tests.factories import StaffRoleFactory
from tests.screenings.helpers import YES, doctor_of, make_attendee, make_service, make_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(event):
    service = make_service(
        event,
        name="Thyroid ultrasound",
        min_age=18,
        questions=[
            {
                "key": "recent",
                "text": "Had a scan this month?",
                "exclude_if": YES,
                "exclusion_reason": "Too soon after your last scan.",
            }
        ],
    )
    slot = make_slot(service, capacity=2)
    # English: the attendee's pages speak the attendee's saved language.
    return service, slot, make_attendee(event, language="en")


def test_the_screenings_page_lists_the_offer_and_logs_the_read(client, setup):
    service, _, attendee = setup
    response = client.get(f"/t/{attendee.ticket.manage_key}/screenings/")
    assert response.status_code == 200
    assert "Thyroid ultrasound" in response.content.decode()
    assert HealthDataAccess.objects.filter(attendee=attendee, action="view").exists()


def test_booking_through_the_form_and_cancelling(client, setup):
    service, slot, attendee = setup
    url = f"/t/{attendee.ticket.manage_key}/screenings/T/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"slot": slot.pk, "age": "44", "q_recent": "no", "health_consent": "on"}
    )
    assert response.status_code == 302
    appointment = Appointment.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "Your appointment is booked" in page
    cancel = client.post(
        f"/t/{attendee.ticket.manage_key}/screenings/appointments/{appointment.pk}/cancel/"
    )
    assert cancel.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"


def test_the_form_keeps_the_input_and_says_what_to_fix(client, setup):
    _, slot, attendee = setup
    url = f"/t/{attendee.ticket.manage_key}/screenings/T/"
    no_consent = client.post(url, {"slot": slot.pk, "age": "44", "q_recent": "no"})
    body = no_consent.content.decode()
    assert no_consent.status_code == 200
    assert "Please agree to book a screening." in body
    assert 'value="44"' in body
    excluded = client.post(
        url, {"slot": slot.pk, "age": "44", "q_recent": "yes", "health_consent": "on"}
    )
    assert "Too soon after your last scan." in excluded.content.decode()
    assert not Appointment.objects.exists()


def test_an_unknown_ticket_is_404(client, setup):
    assert client.get("/t/AAAABBBBCCCCDDDDEEEEFFFFGGGGHHHH/screenings/").status_code == 404


def test_the_ticket_section_partial_lists_appointments_and_queue_numbers(client, setup):
    service, slot, attendee = setup
    client.post(
        f"/t/{attendee.ticket.manage_key}/screenings/T/",
        {"slot": slot.pk, "age": "44", "q_recent": "no", "health_consent": "on"},
    )
    queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    html = render_to_string("screenings/_ticket_section.html", {"attendee": attendee})
    assert "Thyroid ultrasound" in html
    assert "T-001" in html


def test_a_volunteer_adds_a_walk_in_on_the_staff_page(client, setup):
    service, _, _ = setup
    volunteer = StaffRoleFactory(event=service.event, role=StaffRole.Role.VOLUNTEER).user
    client.force_login(volunteer)
    url = f"/staff/{service.event.slug}/screenings/"
    page = client.get(url).content.decode()
    assert "Add a person to the queue" in page
    assert "/staff/stations/" not in page  # no console link for volunteers
    response = client.post(
        url, {"service": "T", "T-first_name": "Vasile", "T-category": "citizen"}, follow=True
    )
    assert "T-001" in response.content.decode()


def test_the_console_page_is_for_the_services_doctors_only(client, setup):
    service, _, _ = setup
    station = service.stations.first()
    url = f"/staff/stations/{station.pk}/"
    assert client.get(url).status_code == 302  # to the login page
    volunteer = StaffRoleFactory(event=service.event, role=StaffRole.Role.VOLUNTEER).user
    client.force_login(volunteer)
    assert client.get(url).status_code == 403
    client.force_login(doctor_of(service, station))
    assert client.get(url).status_code == 200
