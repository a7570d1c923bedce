"""The staff queue API and who may see health data: the attendee, the service's
doctors and organizers; never volunteers, other doctors or kiosks."""

import datetime as dt

import pytest
from django.utils import timezone

from eventhub.core.models import StaffRole
from screenings.models import HealthDataAccess, QueueEntry, Slot
from screenings.services.appointments import appointment_book
from screenings.services.queue import queue_join
from tests.conftest import client_for
from tests.factories import KioskFactory
from tests.screenings.helpers import doctor_of, make_attendee, make_service, make_slot

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


@pytest.fixture
def service(event):
    return make_service(event, stations=2)


def join_url(service):
    return f"/api/v1/events/{service.event.slug}/screenings/{service.code}/queue/"


def test_a_volunteer_adds_a_walk_in_and_gets_number_position_and_wait(staff_client, service):
    client = staff_client(service.event, Role.VOLUNTEER)
    response = client.post(
        join_url(service),
        {"walk_in": {"first_name": "Vasile", "flags": ["interpreter"]}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "T-001"
    assert body["position"] == 1
    assert body["estimated_wait_minutes"] == 0
    assert "first_name" not in body


def test_a_ticket_joins_by_code_or_scanned_qr_and_lowercase_service(staff_client, service):
    client = staff_client(service.event, Role.VOLUNTEER)
    attendee = make_attendee(service.event)
    url = f"/api/v1/events/{service.event.slug}/screenings/t/queue/"
    first = client.post(url, {"ticket": attendee.ticket.qr_payload}, format="json")
    assert first.status_code == 201
    again = client.post(url, {"ticket": attendee.ticket.code.lower()}, format="json")
    assert again.status_code == 200 and again.json()["number"] == first.json()["number"]


def test_bad_queue_requests_answer_with_codes(staff_client, service):
    client = staff_client(service.event, Role.VOLUNTEER)
    assert client.post(join_url(service), {}, format="json").json()["error"]["code"] == "invalid"
    unknown = client.post(join_url(service), {"ticket": "NOPE"}, format="json")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "ticket_not_found"
    url = f"/api/v1/events/{service.event.slug}/screenings/Z/queue/"
    missing = client.post(url, {"walk_in": {"first_name": "A"}}, format="json")
    assert missing.json()["error"]["code"] == "service_not_found"


def test_staff_of_another_event_and_anonymous_clients_cannot_add(api_client, staff_client, service):
    other = make_service(code="B")
    outsider = staff_client(other.event, Role.ORGANIZER)
    body = {"walk_in": {"first_name": "A"}}
    assert outsider.post(join_url(service), body, format="json").status_code == 403
    assert api_client.post(join_url(service), body, format="json").status_code == 401


def test_the_services_doctor_calls_next_and_sees_first_name_and_flags(service):
    station = service.stations.first()
    doctor = client_for(doctor_of(service, station))
    attendee = make_attendee(service.event, first_name="Ioana", needs_transport=True)
    queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    response = doctor.post(f"/api/v1/stations/{station.pk}/call-next/")
    assert response.status_code == 200
    entry = response.json()
    assert entry["number"] == "T-001"
    assert entry["first_name"] == "Ioana"
    assert entry["flags"] == ["free_transport"]
    assert entry["status"] == "called"
    assert "last_name" not in entry and "email" not in entry
    assert doctor.post(f"/api/v1/stations/{station.pk}/call-next/").status_code == 204
    for action in ["recall", "start", "complete"]:
        step = doctor.post(f"/api/v1/queue-entries/{entry['id']}/{action}/", format="json")
        assert step.status_code == 200, (action, step.json())
    assert QueueEntry.objects.get(pk=entry["id"]).status == "done"
    assert HealthDataAccess.objects.filter(user__isnull=False, actor="doctor").count() >= 4


def test_call_next_reads_and_writes_a_pinned_number_of_statements(
    service, django_assert_num_queries
):
    """A doctor's click: token, station, one role query, on-duty check, queue
    lock, station re-read, next entry (with its slot, which the broadcast
    uses as it is), two updates, the board figures (5: order, recent visits,
    open stations, when the order next changes by itself), the access-log row,
    and the savepoint pair. The token and the role are then remembered by the process
    (STAFF_AUTH_CACHE_SECONDS): the next click skips them. Nobody waiting:
    the reads up to the empty head."""
    station = service.stations.first()
    doctor = client_for(doctor_of(service, station))
    slot = make_slot(service, in_hours=1)
    holder = make_attendee(service.event, first_name="Ioana")
    appointment_book(slot_id=slot.pk, attendee_id=holder.pk, health_consent=True)
    start = timezone.now() - dt.timedelta(minutes=1)
    Slot.objects.filter(pk=slot.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(minutes=15)
    )
    queue_join(service_id=service.pk, ticket=holder.ticket.code)
    queue_join(service_id=service.pk, walk_in={"first_name": "Vasile"})
    url = f"/api/v1/stations/{station.pk}/call-next/"

    with django_assert_num_queries(16):
        called = doctor.post(url)
    assert called.status_code == 200
    assert called.json()["first_name"] == "Ioana" and called.json()["slot_starts_at"]
    with django_assert_num_queries(14):  # token and role remembered
        assert doctor.post(url).json()["first_name"] == "Vasile"
    with django_assert_num_queries(7):
        assert doctor.post(url).status_code == 204
    logged = HealthDataAccess.objects.filter(what__startswith="called entry")
    assert list(logged.values_list("actor", flat=True)) == ["doctor", "doctor"]


def test_a_wrong_transition_is_409_invalid_transition(service):
    station = service.stations.first()
    doctor = client_for(doctor_of(service, station))
    entry = queue_join(service_id=service.pk, walk_in={"first_name": "A"}).entry
    response = doctor.post(f"/api/v1/queue-entries/{entry.pk}/start/")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"


def test_pausing_a_station_blocks_call_next_with_station_paused(service):
    station = service.stations.first()
    doctor = client_for(doctor_of(service, station))
    assert doctor.post(f"/api/v1/stations/{station.pk}/pause/").json()["open"] is False
    queue_join(service_id=service.pk, walk_in={"first_name": "A"})
    paused = doctor.post(f"/api/v1/stations/{station.pk}/call-next/")
    assert paused.status_code == 409 and paused.json()["error"]["code"] == "station_paused"
    assert doctor.post(f"/api/v1/stations/{station.pk}/open/").json()["open"] is True


@pytest.mark.parametrize("who", ["volunteer", "doctor_elsewhere", "doctor_other_event"])
def test_people_without_health_access_get_403_on_console_and_actions(staff_client, service, who):
    station = service.stations.first()
    entry = queue_join(service_id=service.pk, walk_in={"first_name": "Ioana"}).entry
    if who == "volunteer":
        client = staff_client(service.event, Role.VOLUNTEER)
    elif who == "doctor_elsewhere":
        other_service = make_service(service.event, code="B")
        client = client_for(doctor_of(other_service))
    else:
        client = client_for(doctor_of(make_service(code="C")))
    for method, url in [
        ("get", f"/api/v1/stations/{station.pk}/"),
        ("post", f"/api/v1/stations/{station.pk}/call-next/"),
        ("post", f"/api/v1/queue-entries/{entry.pk}/no-show/"),
        ("post", f"/api/v1/stations/{station.pk}/pause/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 403, (who, url)
        assert response.json()["error"]["code"] == "permission_denied"
        assert "Ioana" not in response.content.decode()


def test_a_kiosk_token_gives_no_access_to_health_data(api_client, service):
    kiosk = KioskFactory(event=service.event, kind="board", service_code="T")
    station = service.stations.first()
    for header in [f"Token {kiosk.token}", f"Bearer {kiosk.token}"]:
        api_client.credentials(HTTP_AUTHORIZATION=header)
        assert api_client.get(f"/api/v1/stations/{station.pk}/").status_code in (401, 403)
    api_client.credentials()
    assert api_client.get(f"/api/v1/stations/{station.pk}/?kiosk={kiosk.token}").status_code == 401


def test_organizers_read_the_console_and_the_figures(staff_client, service):
    organizer = staff_client(service.event, Role.ORGANIZER)
    station = service.stations.first()
    attendee = make_attendee(service.event)
    queue_join(service_id=service.pk, ticket=attendee.ticket.code)
    entry = organizer.post(f"/api/v1/stations/{station.pk}/call-next/").json()
    organizer.post(f"/api/v1/queue-entries/{entry['id']}/start/")
    organizer.post(
        f"/api/v1/queue-entries/{entry['id']}/complete/",
        {"referral_recommended": True, "note": "see GP"},
        format="json",
    )
    queue_join(service_id=service.pk, walk_in={"first_name": "B", "category": "student"})
    gone = organizer.post(f"/api/v1/stations/{station.pk}/call-next/").json()
    organizer.post(f"/api/v1/queue-entries/{gone['id']}/no-show/")
    snapshot = organizer.get(f"/api/v1/stations/{station.pk}/").json()
    assert snapshot["type"] == "snapshot" and snapshot["station"]["id"] == station.pk
    figures = organizer.get(f"/api/v1/events/{service.event.slug}/screenings/figures/").json()
    day = figures["services"][0]["days"][0]
    assert day["performed"] == 1 and day["no_show"] == 1 and day["no_show_rate"] == 0.5
    assert day["referrals"] == 1
    assert day["by_category"] == {"citizen": 1}
    assert day["average_service_minutes"] is not None
    assert HealthDataAccess.objects.filter(actor="organizer").exists()


def test_volunteers_cannot_read_the_figures(staff_client, service):
    volunteer = staff_client(service.event, Role.VOLUNTEER)
    url = f"/api/v1/events/{service.event.slug}/screenings/figures/"
    assert volunteer.get(url).status_code == 403


def test_the_attendee_sees_the_doctors_referral_and_note_on_their_appointments(api_client, service):
    slot = make_slot(service)
    attendee = make_attendee(service.event)
    code = attendee.ticket.manage_key
    api_client.post(
        f"/api/v1/tickets/{code}/appointments/",
        {"slot": slot.pk, "health_consent": True},
        format="json",
    )
    from screenings.models import Appointment

    Appointment.objects.update(referral_recommended=True, note="See an endocrinologist")
    mine = api_client.get(f"/api/v1/tickets/{code}/appointments/").json()[0]
    assert mine["referral_recommended"] is True and mine["note"] == "See an endocrinologist"


def test_a_visitor_joins_by_scanning_their_ticket_at_a_kiosk(api_client, service):
    kiosk = KioskFactory(event=service.event, kind="checkin")
    attendee = make_attendee(service.event, first_name="Ioana")
    url = join_url(service) + "kiosk/"
    # The health consent is asked on screen (tests/kiosks/test_kiosk_http.py).
    response = api_client.post(
        url,
        {"kiosk": kiosk.token, "ticket": attendee.ticket.qr_payload, "health_consent": True},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["number"] == "T-001"
    assert "Ioana" not in response.content.decode()
    stats = KioskFactory(event=service.event, kind="stats")
    refused = api_client.post(
        url, {"kiosk": stats.token, "ticket": attendee.ticket.code}, format="json"
    )
    assert refused.status_code == 403
    other_event = KioskFactory(kind="checkin")
    assert (
        api_client.post(
            url, {"kiosk": other_event.token, "ticket": attendee.ticket.code}, format="json"
        ).status_code
        == 403
    )
