"""The admin is scoped: shared programme areas are the superuser's, an
organizer's lists and filters show their fairs only, audit trails are
append-only for everyone (issue 12)."""

import pytest
from django.urls import reverse

from eventhub.core.models import AuditLog, StaffRole
from eventhub.core.services import staff_add
from registrations.models import ScanLog
from registrations.services.checkin import ticket_check_in
from tests.factories import AttendeeFactory, EventFactory, RegionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_fairs():
    mine = EventFactory(name="Cooperation Day Timișoara")
    theirs = EventFactory(name="Cooperation Day Vidin", programme=mine.programme)
    return mine, theirs


def organizer_of(client, event, username="org-b"):
    staff_add(event_id=event.pk, role=StaffRole.Role.ORGANIZER, username=username)
    client.force_login(UserFactory(username=username))
    return client


def test_an_organizer_reads_the_shared_regions_but_cannot_change_them(client, two_fairs):
    mine, theirs = two_fairs
    region = RegionFactory(programme=mine.programme, name="Timiș")
    organizer_of(client, theirs)
    change_url = reverse("admin:eventhub_region_change", args=[region.pk])
    assert client.get(change_url).status_code == 200  # a read-only page
    response = client.post(change_url, {"name": "Renamed", "country": "RO", "kind": "county"})
    assert response.status_code == 403
    region.refresh_from_db()
    assert region.name == "Timiș"
    programme_url = reverse("admin:eventhub_programme_change", args=[mine.programme.pk])
    assert client.post(programme_url, {"name": "Renamed"}).status_code == 403
    assert client.get(reverse("admin:eventhub_region_add")).status_code == 403


def test_a_superuser_still_edits_the_programme_areas(client, two_fairs):
    mine, _ = two_fairs
    region = RegionFactory(programme=mine.programme, name="Timiș")
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    url = reverse("admin:eventhub_region_change", args=[region.pk])
    data = {"name": "Timiș County", "country": "RO", "kind": "county"}
    data["programme"] = mine.programme.pk
    assert client.post(url, data).status_code == 302
    region.refresh_from_db()
    assert region.name == "Timiș County"


def test_the_filter_by_event_lists_only_the_organizers_fairs(client, two_fairs):
    mine, theirs = two_fairs
    AttendeeFactory(event=mine)
    AttendeeFactory(event=theirs)
    organizer_of(client, theirs)
    for name in ("registrations_attendee", "registrations_scanlog", "eventhub_auditlog"):
        page = client.get(reverse(f"admin:{name}_changelist"))
        assert page.status_code == 200
        assert "Cooperation Day Timișoara" not in page.text, name


def test_scan_logs_and_audit_rows_are_deleted_or_edited_by_nobody(client, two_fairs):
    mine, _ = two_fairs
    attendee = AttendeeFactory(event=mine)
    ticket_check_in(event_id=mine.pk, payload=attendee.ticket.code, gate="North")
    scan = ScanLog.objects.get()
    row = AuditLog.objects.create(event=mine, action=AuditLog.Action.VIEW, detail="x")
    for user in (None, "root"):
        if user:
            client.force_login(UserFactory(username=user, is_superuser=True, is_staff=True))
        else:
            organizer_of(client, mine, username="org-a")
        for model, pk in (("registrations_scanlog", scan.pk), ("eventhub_auditlog", row.pk)):
            delete = client.post(reverse(f"admin:{model}_delete", args=[pk]), {"post": "yes"})
            assert delete.status_code == 403, (user, model)
            change = client.post(reverse(f"admin:{model}_change", args=[pk]), {})
            assert change.status_code == 403, (user, model)
        changelist = client.get(reverse("admin:registrations_scanlog_changelist"))
        assert "delete_selected" not in changelist.text
    assert ScanLog.objects.filter(pk=scan.pk).exists()
    assert AuditLog.objects.filter(pk=row.pk).exists()
