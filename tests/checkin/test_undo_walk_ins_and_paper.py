"""Undoing a check-in, walk-ins at the gate, paper lists, and the target extension point."""

import datetime as dt
import importlib
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from eventhub.core.exceptions import PermissionDenied
from eventhub.core.models import StaffRole
from registrations.exceptions import EventFull, NotCheckedIn
from registrations.models import Attendee, CheckIn, ScanLog
from registrations.services.checkin import (
    CheckInTarget,
    check_in_undo,
    paper_check_ins_record,
    ticket_check_in,
    walk_in_check_in,
)
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


@pytest.fixture
def organizer(event):
    return StaffRoleFactory(event=event, role=Role.ORGANIZER).user


@pytest.fixture
def volunteer(event):
    return StaffRoleFactory(event=event, role=Role.VOLUNTEER).user


def test_an_organizer_undoes_a_check_in_and_the_ticket_can_be_scanned_again(
    event, organizer, volunteer
):
    attendee = AttendeeFactory(event=event)
    code = attendee.ticket.code
    assert ticket_check_in(event_id=event.pk, payload=code, gate="A", user=volunteer).ok
    admitted_at = CheckIn.objects.get().checked_in_at
    check_in_undo(event_id=event.pk, ticket_code=code, user=organizer, reason="wrong person")
    assert not CheckIn.objects.exists()
    undo = ScanLog.objects.get(result="undone")
    assert undo.user == organizer
    assert (undo.gate, undo.admitted_at) == ("A", admitted_at)
    assert "wrong person" in undo.note and " A " in f" {undo.note} "
    assert ticket_check_in(event_id=event.pk, payload=code, gate="B", user=volunteer).ok


def test_undos_logged_before_admitted_at_existed_read_it_from_their_note(event, organizer):
    from django.apps import apps

    migration = importlib.import_module("registrations.migrations.0010_scanlog_admitted_at")
    attendee = AttendeeFactory(event=event)
    ticket_check_in(event_id=event.pk, payload=attendee.ticket.code, gate="A")
    admitted_at = CheckIn.objects.get().checked_in_at
    check_in_undo(
        event_id=event.pk, ticket_code=attendee.ticket.code, user=organizer, reason="wrong"
    )
    ScanLog.objects.update(admitted_at=None)  # as logged before the field
    ScanLog.objects.create(event=event, result="undone", note="by hand", scanned_at=admitted_at)

    migration.admitted_at_from_notes(apps, None)
    undos = ScanLog.objects.filter(result="undone").order_by("pk")
    assert [u.admitted_at for u in undos] == [admitted_at.replace(microsecond=0), None]


def test_a_volunteer_cannot_undo(event, volunteer):
    attendee = AttendeeFactory(event=event)
    ticket_check_in(event_id=event.pk, payload=attendee.ticket.code, user=volunteer)
    with pytest.raises(PermissionDenied):
        check_in_undo(event_id=event.pk, ticket_code=attendee.ticket.code, user=volunteer)
    assert CheckIn.objects.count() == 1


def test_undo_of_a_ticket_never_admitted_is_not_checked_in(event, organizer):
    attendee = AttendeeFactory(event=event)
    with pytest.raises(NotCheckedIn) as exc:
        check_in_undo(event_id=event.pk, ticket_code=attendee.ticket.code, user=organizer)
    assert exc.value.code == "not_checked_in"


def test_undo_through_the_api_is_for_organizers_only(event, staff_client):
    attendee = AttendeeFactory(event=event)
    url = reverse("api-checkin-undo", args=[event.slug])
    volunteer = staff_client(event, Role.VOLUNTEER)
    volunteer.post(
        reverse("api-checkin-create", args=[event.slug]),
        {"payload": attendee.ticket.code},
        format="json",
    )
    assert volunteer.post(url, {"ticket": attendee.ticket.code}, format="json").status_code == 403
    organizer = staff_client(event, Role.ORGANIZER)
    response = organizer.post(url, {"ticket": attendee.ticket.code_for_humans}, format="json")
    assert response.status_code == 204
    again = organizer.post(url, {"ticket": attendee.ticket.code}, format="json")
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "not_checked_in"


def test_a_walk_in_is_registered_and_admitted_in_one_step(event, volunteer):
    attendee, result = walk_in_check_in(
        event_id=event.pk,
        first_name="Dragan",
        last_name="Čolić",
        category="authority",
        gate="North",
        user=volunteer,
    )
    assert result.ok and result.display_name == "Dragan Čolić"
    assert attendee.source == Attendee.Source.WALK_IN
    assert attendee.status == Attendee.Status.CONFIRMED
    check_in = CheckIn.objects.get(ticket=attendee.ticket)
    assert check_in.method == "walk_in" and check_in.gate == "North"


def test_walk_ins_are_welcome_after_online_registration_closed(volunteer, event):
    event.registration_closes_at = timezone.now() - dt.timedelta(minutes=1)
    event.registration_opens_at = timezone.now() - dt.timedelta(days=2)
    event.save()
    _attendee, result = walk_in_check_in(
        event_id=event.pk, first_name="Ana", last_name="Țurcanu", user=volunteer
    )
    assert result.ok


def test_a_walk_in_at_a_full_fair_is_refused_and_nothing_is_kept(volunteer):
    event = EventFactory(capacity=1)
    StaffRoleFactory(event=event, user=volunteer, role=Role.VOLUNTEER)
    AttendeeFactory(event=event)
    with pytest.raises(EventFull) as exc:
        walk_in_check_in(event_id=event.pk, first_name="Ana", last_name="Late", user=volunteer)
    assert exc.value.code == "event_full"
    assert Attendee.objects.filter(event=event).count() == 1
    assert not CheckIn.objects.exists()


def test_a_walk_in_through_the_api_answers_201_with_the_ticket(event, staff_client):
    client = staff_client(event, Role.VOLUNTEER)
    response = client.post(
        reverse("api-walk-in-create", args=[event.slug]),
        {"first_name": "Jelena", "last_name": "Živković", "category": "student", "gate": "S"},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["result"] == "ok"
    # A staff answer never carries the manage key (the walk-in's own pages).
    attendee = Attendee.objects.get(pk=body["attendee"])
    assert attendee.ticket.manage_key not in response.content.decode()
    assert "ticket_url" not in body
    missing = client.post(
        reverse("api-walk-in-create", args=[event.slug]), {"first_name": ""}, format="json"
    )
    assert missing.status_code == 400
    assert set(missing.json()["error"]["fields"]) >= {"first_name", "last_name"}


def test_paper_check_ins_are_backdated_and_never_counted_twice(event, organizer):
    first, second = AttendeeFactory(event=event), AttendeeFactory(event=event)
    ticket_check_in(event_id=event.pk, payload=second.ticket.code, gate="A", user=organizer)
    at = timezone.now() - dt.timedelta(hours=2)
    results = paper_check_ins_record(
        event_id=event.pk,
        ticket_codes=[first.ticket.code_for_humans, second.ticket.code, "NOT-A-CODE", ""],
        user=organizer,
        gate="Paper",
        at=at,
    )
    assert [r.result for _code, r in results] == ["ok", "already_checked_in", "invalid"]
    check_in = CheckIn.objects.get(ticket=first.ticket)
    assert check_in.checked_in_at == at and check_in.method == "paper"


def test_paper_check_ins_are_for_organizers_only(event, volunteer):
    with pytest.raises(PermissionDenied):
        paper_check_ins_record(event_id=event.pk, ticket_codes=[], user=volunteer)


@dataclass(frozen=True)
class BookedOnly(CheckInTarget):
    """A target admitting only some attendees, as a training session would."""

    allowed: tuple = ()

    def refusal(self, attendee):
        return None if attendee.pk in self.allowed else ScanLog.Result.NOT_ADMISSIBLE


def test_another_target_admits_the_same_ticket_once_more_with_its_own_rule(event, volunteer):
    booked, other = AttendeeFactory(event=event), AttendeeFactory(event=event)
    session = BookedOnly(key="training-session:1", stats_part="training", allowed=(booked.pk,))
    assert ticket_check_in(event_id=event.pk, payload=booked.ticket.code, user=volunteer).ok
    assert ticket_check_in(
        event_id=event.pk, payload=booked.ticket.code, user=volunteer, target=session
    ).ok
    again = ticket_check_in(
        event_id=event.pk, payload=booked.ticket.code, user=volunteer, target=session
    )
    assert again.result == "already_checked_in"
    refused = ticket_check_in(
        event_id=event.pk, payload=other.ticket.code, user=volunteer, target=session
    )
    assert refused.result == "not_admissible"
    assert CheckIn.objects.filter(target="training-session:1").count() == 1
