"""Two credentials per ticket, through HTTP: the code (the QR) only admits;
the manage key opens everything the holder can read or change."""

import datetime as dt
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from registrations.models import Attendee, CheckIn, TrainingBooking
from registrations.services.training import certificate_issue, training_booking_create
from screenings.models import Appointment
from screenings.services.appointments import appointment_book
from tests.factories import AttendeeFactory, EventFactory, KioskFactory
from tests.screenings.helpers import make_service, make_slot
from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db

# Every attendee path, by URL name: the methods it answers and its other arguments.
ATTENDEE_ROUTES = {
    "ticket": ["get"],
    "ticket-pdf": ["get"],
    "ticket-ics": ["get"],
    "ticket-export": ["get"],
    "ticket-contact": ["get", "post"],
    "ticket-language": ["post"],
    "ticket-cancel": ["get", "post"],
    "ticket-erase": ["get", "post"],
    "training-page": ["get"],
    "training-book": ["post"],
    "training-cancel": ["post"],
    "training-certificate-pdf": ["get"],
    "screenings:ticket": ["get"],
    "screenings:cancel": ["post"],
    "screenings:book": ["get", "post"],
    "api-ticket-detail": ["get"],
    "api-ticket-pdf": ["get"],
    "api-ticket-bookings": ["get", "post"],
    "api-ticket-booking-cancel": ["delete"],
    "api-appointments": ["get", "post"],
    "api-appointment-cancel": ["delete"],
    "ticket-stamps": ["get", "post"],
    "training-switch": ["post"],
    "ticket-consultation": ["get", "post"],
}


def _routes_taking_a_key(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _routes_taking_a_key(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and "key" in pattern.pattern.converters:
            yield f"{namespace}{pattern.name}"


def test_the_list_above_is_every_path_a_manage_key_opens():
    assert sorted(_routes_taking_a_key(get_resolver().url_patterns)) == sorted(ATTENDEE_ROUTES)


@pytest.fixture
def holder(event):
    """A confirmed person with a training seat, a certificate and a screening appointment."""
    attendee = AttendeeFactory(event=event, language="en", phone="+40722123456")
    early = TrainingSessionFactory(module=TrainingModuleFactory(event=event))
    booking = training_booking_create(attendee_id=attendee.pk, session_id=early.pk).booking
    TrainingBooking.objects.filter(pk=booking.pk).update(checked_in_at=early.starts_at)
    certificate = certificate_issue(booking_id=booking.pk, send_email=False)
    later = TrainingSessionFactory(
        module=TrainingModuleFactory(event=event, title="Stop the bleed"),
        starts_at=early.starts_at + dt.timedelta(hours=3),
    )
    service = make_service(event, code="T", name="Thyroid ultrasound")
    slot = make_slot(service, capacity=3)
    appointment = appointment_book(slot_id=slot.pk, attendee_id=attendee.pk, health_consent=True)
    return {
        "attendee": attendee,
        "ticket": attendee.ticket,
        "booking": booking,
        "certificate": certificate,
        "later_session": later,
        "service": service,
        "slot": make_slot(service, in_hours=30, capacity=3),
        "appointment": appointment,
    }


def _url(name, credential, h):
    extra = {
        "training-cancel": [h["booking"].pk],
        "training-certificate-pdf": [h["certificate"].code],
        "screenings:cancel": [h["appointment"].pk],
        "screenings:book": [h["service"].code],
        "api-ticket-booking-cancel": [h["booking"].pk],
        "api-appointment-cancel": [h["appointment"].pk],
        "ticket-consultation": ["citizen"],
        "training-switch": [h["booking"].pk],
    }.get(name, [])
    return reverse(name, args=[credential, *extra])


def _snapshot(attendee):
    attendee.refresh_from_db()
    return (
        attendee.status,
        attendee.email,
        attendee.phone,
        attendee.language,
        attendee.erased_at,
        sorted(TrainingBooking.objects.filter(attendee=attendee).values_list("pk", "status")),
        sorted(Appointment.objects.filter(attendee=attendee).values_list("pk", "status")),
    )


@pytest.mark.parametrize(
    ("name", "method"),
    [(name, method) for name, methods in ATTENDEE_ROUTES.items() for method in methods],
)
@pytest.mark.parametrize("credential", ["code", "code for humans", "qr payload"])
def test_the_ticket_code_or_qr_payload_opens_and_changes_nothing(
    client, holder, name, method, credential
):
    ticket = holder["ticket"]
    text = {
        "code": ticket.code,
        "code for humans": ticket.code_for_humans,
        "qr payload": ticket.qr_payload,
    }[credential]
    before = _snapshot(holder["attendee"])
    body = {
        "language": "ro",
        "first_name": "Mallory",
        "last_name": "X",
        "email": "mallory@example.org",
        "phone": "+40700000000",
        "session": holder["later_session"].pk,
        "slot": holder["slot"].pk,
        "health_consent": "on",
    }
    if name.startswith("api-") and method != "get":
        response = getattr(client, method)(
            _url(name, text, holder), json.dumps(body), content_type="application/json"
        )
    else:
        response = getattr(client, method)(_url(name, text, holder), body)
    assert response.status_code == 404
    assert _snapshot(holder["attendee"]) == before
    page = response.content.decode(errors="replace")
    assert holder["attendee"].last_name not in page and holder["attendee"].email not in page


def test_the_manage_key_opens_every_page_and_api_of_the_holder(client, api_client, holder):
    attendee, ticket = holder["attendee"], holder["ticket"]
    key = ticket.manage_key
    page = client.get(_url("ticket", key, holder))
    assert page.status_code == 200 and attendee.last_name in page.content.decode()
    assert client.get(_url("ticket-pdf", key, holder))["Content-Type"] == "application/pdf"
    assert client.get(_url("ticket-ics", key, holder))["Content-Type"].startswith("text/calendar")
    export = client.get(_url("ticket-export", key, holder))
    data = json.loads(export.content)
    assert data["registration"]["email"] == attendee.email
    assert key not in export.content.decode()  # the download never carries the key
    for name in ("ticket-contact", "ticket-cancel", "ticket-erase", "training-page"):
        assert client.get(_url(name, key, holder)).status_code == 200, name
    assert client.get(_url("screenings:ticket", key, holder)).status_code == 200
    assert client.get(_url("ticket-stamps", key, holder)).status_code == 200
    assert client.get(_url("screenings:book", key, holder)).status_code == 200
    pdf = client.get(_url("training-certificate-pdf", key, holder))
    assert pdf["Content-Type"] == "application/pdf"

    contact = client.post(
        _url("ticket-contact", key, holder),
        {"first_name": "Ioana", "last_name": "Nouă", "email": attendee.email, "phone": ""},
    )
    assert contact.status_code == 302
    assert client.post(_url("ticket-language", key, holder), {"language": "ro"}).status_code == 302
    attendee.refresh_from_db()
    assert (attendee.last_name, attendee.language) == ("Nouă", "ro")

    detail = api_client.get(_url("api-ticket-detail", key, holder)).json()
    assert detail["manage_key"] == key and detail["manage_url"].endswith(f"/t/{key}/")
    assert api_client.get(_url("api-ticket-pdf", key, holder)).status_code == 200
    assert len(api_client.get(_url("api-appointments", key, holder)).json()) == 1
    assert api_client.get(_url("api-ticket-bookings", key, holder)).status_code == 200
    booked = client.post(
        _url("training-book", key, holder), {"session": holder["later_session"].pk}
    )
    assert booked.status_code == 302
    later = TrainingBooking.objects.get(attendee=attendee, session=holder["later_session"])
    assert client.post(reverse("training-cancel", args=[key, later.pk])).status_code == 302
    later.refresh_from_db()
    assert later.status == TrainingBooking.Status.CANCELLED
    appointments = reverse("api-appointments", args=[key])
    again = api_client.post(
        appointments, {"slot": holder["slot"].pk, "health_consent": True}, format="json"
    )
    assert again.status_code == 409  # one appointment per service: the API answered, as holder
    assert api_client.delete(_url("api-appointment-cancel", key, holder)).status_code == 204
    rebooked = api_client.post(
        appointments, {"slot": holder["slot"].pk, "health_consent": True}, format="json"
    )
    assert rebooked.status_code == 201
    cancel = reverse("screenings:cancel", args=[key, rebooked.json()["id"]])
    assert client.post(cancel).status_code == 302
    assert not Appointment.objects.filter(attendee=attendee, status="booked").exists()
    assert api_client.delete(_url("api-ticket-booking-cancel", key, holder)).status_code == 204

    assert client.post(_url("ticket-cancel", key, holder)).status_code == 302
    attendee.refresh_from_db()
    assert attendee.status == Attendee.Status.CANCELLED


def test_erasure_rotates_the_manage_key_and_the_code(client, holder):
    ticket = holder["ticket"]
    old_key, old_code = ticket.manage_key, ticket.code
    assert client.post(_url("ticket-erase", old_key, holder)).status_code == 302
    ticket.refresh_from_db()
    assert ticket.manage_key != old_key and ticket.code != old_code
    assert client.get(_url("ticket", old_key, holder)).status_code == 404


def test_gate_search_answers_no_credential_and_admits_by_id(event, staff_client, holder):
    volunteer = staff_client(event, "volunteer")
    ticket = holder["ticket"]
    search = volunteer.get(
        reverse("api-checkin-search", args=[event.slug]), {"q": holder["attendee"].last_name}
    )
    text = search.content.decode()
    assert ticket.code not in text and ticket.manage_key not in text
    assert ticket.code_for_humans not in text
    (row,) = search.json()
    assert set(row) == {"id", "display_name", "email", "category", "status", "checked_in_at"}
    assert (row["status"], row["category"]) == ("confirmed", holder["attendee"].category)

    admit = reverse("api-checkin-create", args=[event.slug])
    answer = volunteer.post(admit, {"attendee": row["id"], "method": "manual"}, format="json")
    assert answer.status_code == 200 and answer.json()["result"] == "ok"
    assert ticket.manage_key not in answer.content.decode()
    assert CheckIn.objects.filter(ticket=ticket, method="manual").count() == 1
    again = volunteer.post(admit, {"attendee": row["id"], "method": "manual"}, format="json")
    assert again.json()["result"] == "already_checked_in"
    assert volunteer.get(
        reverse("api-checkin-search", args=[event.slug]), {"q": holder["attendee"].last_name}
    ).json()[0]["checked_in_at"]

    stranger = AttendeeFactory(event=EventFactory())
    other = volunteer.post(admit, {"attendee": stranger.pk, "method": "manual"}, format="json")
    assert other.json()["result"] == "invalid"
    assert not CheckIn.objects.filter(ticket=stranger.ticket).exists()
    assert volunteer.post(admit, {"method": "manual"}, format="json").status_code == 400


def test_a_kiosk_answer_carries_neither_the_code_nor_the_key(api_client, event, holder):
    kiosk = KioskFactory(event=event, kind="checkin")
    ticket = holder["ticket"]
    answer = api_client.post(
        reverse("api-kiosk-lookup", args=[kiosk.token]),
        {"payload": ticket.qr_payload},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["result"] == "ok"
    text = answer.content.decode()
    assert holder["attendee"].first_name in text
    assert ticket.code not in text and ticket.manage_key not in text
    assert holder["attendee"].last_name not in text and holder["attendee"].email not in text
