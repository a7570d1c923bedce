"""Deleting a check-in in the admin undoes the admission through
``check_in_undo``, as the undo at the gate does (docs/privacy.md, "Deleting
in the admin"): the scan log's ``undone`` row, the totals told, the ticket
admissible again. Only an organizer of the fair (or a superuser) may."""

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.test import Client
from django.urls import reverse

from eventhub.core.models import StaffRole
from registrations.models import CheckIn, ScanLog
from registrations.services.checkin import ticket_check_in
from tests.conftest import client_for
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory
from tests.organizer.test_admin_delete import organizer_of
from tests.training.factories import TrainingSessionFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role
CHANGELIST = "admin:registrations_checkin_changelist"


@pytest.fixture
def admitted(event):
    """Ana and Ion let in at the North gate by a volunteer."""
    volunteer = StaffRoleFactory(event=event, role=Role.VOLUNTEER).user
    people = [
        AttendeeFactory(event=event, first_name="Ana", last_name="Kovač"),
        AttendeeFactory(event=event, first_name="Ion", last_name="Pop"),
    ]
    for person in people:
        answer = ticket_check_in(
            event_id=event.pk, payload=person.ticket.code, gate="North", user=volunteer
        )
        assert answer.ok
    return people


def checked_in_total(client, event):
    page = client.get(reverse("checkin-attendance", args=[event.slug])).content.decode()
    return int(page.split('data-total="checked_in">', 1)[1].split("<", 1)[0])


def test_deleting_a_check_in_undoes_the_admission_and_the_ticket_admits_again(
    client, event, admitted, monkeypatch
):
    told = []
    monkeypatch.setattr(
        "registrations.services.checkin.stats_changed_on_commit",
        lambda **kwargs: told.append(kwargs),
    )
    ana = admitted[0]
    organizer = organizer_of(client, event)
    check_in = CheckIn.objects.get(ticket=ana.ticket)
    assert checked_in_total(client, event) == 2
    url = reverse("admin:registrations_checkin_delete", args=[check_in.pk])

    page = client.get(url).content.decode()
    assert "Deleting a check-in undoes the admission" in page
    assert "can be admitted again" in page and "Yes, undo them" in page
    assert ana.ticket.code_for_humans in page
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302 and response.url == reverse(CHANGELIST)
    listed = client.get(response.url).content.decode()
    assert "1 admission undone: the person can be admitted again." in listed

    assert not CheckIn.objects.filter(ticket=ana.ticket).exists()
    undo = ScanLog.objects.get(result="undone")
    assert (undo.ticket, undo.user, undo.gate) == (ana.ticket, organizer, "North")
    assert undo.admitted_at == check_in.checked_in_at
    assert "undone in the admin" in undo.note
    assert told == [{"event_id": event.pk, "part": "attendance"}]
    assert checked_in_total(client, event) == 1
    # Nothing was deleted behind the service's back.
    assert not LogEntry.objects.filter(action_flag=DELETION).exists()

    # The ticket admits again, at the gate's own API.
    volunteer = client_for(StaffRoleFactory(event=event, role=Role.VOLUNTEER).user)
    again = volunteer.post(
        reverse("api-checkin-create", args=[event.slug]),
        {"payload": ana.ticket.qr_payload, "gate": "South"},
        format="json",
    )
    assert again.json()["result"] == "ok"
    assert checked_in_total(client, event) == 2


def test_undo_selected_undoes_each_gate_admission_and_leaves_training_doors(
    client, event, admitted
):
    organizer_of(client, event)
    session = TrainingSessionFactory(module__event=event)
    door = CheckIn.objects.create(
        event=event,
        ticket=admitted[0].ticket,
        target=f"training:{session.pk}",
        checked_in_at=CheckIn.objects.get(ticket=admitted[0].ticket).checked_in_at,
    )
    gates = list(CheckIn.objects.filter(target="event").values_list("pk", flat=True))
    chosen = [*gates, door.pk]
    changelist = reverse(CHANGELIST)
    assert "Undo the selected admissions" in client.get(changelist).content.decode()

    page = client.post(changelist, {"action": "delete_selected", "_selected_action": chosen})
    assert page.status_code == 200
    assert "Deleting a check-in undoes the admission" in page.content.decode()
    done = client.post(
        changelist,
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
        follow=True,
    ).content.decode()
    assert "2 admissions undone: these people can be admitted again." in done
    assert "1 was left as it was: a training door" in done
    assert list(CheckIn.objects.values_list("pk", flat=True)) == [door.pk]
    assert ScanLog.objects.filter(result="undone").count() == 2
    # A training door's admission has no delete page of its own.
    url = reverse("admin:registrations_checkin_delete", args=[door.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert CheckIn.objects.filter(pk=door.pk).exists()


def test_a_volunteer_cannot_undo_in_the_admin(client, event, admitted):
    check_in = CheckIn.objects.get(ticket=admitted[0].ticket)
    client.force_login(StaffRoleFactory(event=event, role=Role.VOLUNTEER).user)
    url = reverse("admin:registrations_checkin_delete", args=[check_in.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))
    assert CheckIn.objects.count() == 2
    assert not ScanLog.objects.filter(result="undone").exists()


def test_an_organizer_of_another_fair_undoes_nothing_here(event, admitted):
    client = Client()
    organizer_of(client, EventFactory(name="Cooperation Day Vidin"), username="org-vidin")
    check_in = CheckIn.objects.get(ticket=admitted[0].ticket)
    url = reverse("admin:registrations_checkin_delete", args=[check_in.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302 and response.url == reverse("admin:index")
    client.post(
        reverse(CHANGELIST),
        {"action": "delete_selected", "_selected_action": [check_in.pk], "post": "yes"},
    )
    assert CheckIn.objects.count() == 2
    assert not ScanLog.objects.filter(result="undone").exists()
