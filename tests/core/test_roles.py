"""Staff roles are per event: the permission helper and the admin obey them."""

import pytest
from django.contrib import admin
from django.urls import reverse

from eventhub.core.models import Event, StaffRole
from eventhub.core.permissions import has_event_role
from eventhub.core.services import staff_add
from tests.factories import EventFactory, KioskFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


@pytest.mark.parametrize(
    ("held", "asked", "allowed"),
    [
        (Role.VOLUNTEER, Role.VOLUNTEER, True),
        (Role.VOLUNTEER, Role.DOCTOR, False),
        (Role.VOLUNTEER, Role.ORGANIZER, False),
        (Role.DOCTOR, Role.VOLUNTEER, False),
        (Role.DOCTOR, Role.DOCTOR, True),
        (Role.ORGANIZER, Role.VOLUNTEER, True),
        (Role.ORGANIZER, Role.DOCTOR, True),
    ],
)
def test_role_check_matrix(held, asked, allowed):
    role = StaffRoleFactory(role=held)
    assert has_event_role(role.user, role.event_id, asked) is allowed


def test_a_role_at_one_event_gives_nothing_at_another():
    role = StaffRoleFactory(role=Role.ORGANIZER)
    other = EventFactory()
    assert not has_event_role(role.user, other.pk, Role.VOLUNTEER)


def test_anonymous_and_inactive_users_hold_no_role():
    from django.contrib.auth.models import AnonymousUser

    role = StaffRoleFactory(role=Role.ORGANIZER)
    assert not has_event_role(AnonymousUser(), role.event_id, Role.VOLUNTEER)
    role.user.is_active = False
    role.user.save()
    assert not has_event_role(role.user, role.event_id, Role.VOLUNTEER)


def test_a_volunteer_cannot_open_the_admin(client):
    role = StaffRoleFactory(role=Role.VOLUNTEER)
    client.force_login(role.user)
    response = client.get(reverse("admin:eventhub_event_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_an_organizer_sees_only_the_events_they_organize_in_the_admin(client):
    mine, theirs = EventFactory(name="Timișoara fair"), EventFactory(name="Vršac fair")
    staff_add(event_id=mine.pk, role=Role.ORGANIZER, username="org")
    client.force_login(UserFactory(username="org"))
    response = client.get(reverse("admin:eventhub_event_changelist"))
    assert response.status_code == 200
    assert "Timișoara fair" in response.text
    assert "Vršac fair" not in response.text
    assert client.get(reverse("admin:eventhub_event_change", args=[theirs.pk])).status_code == 302


def test_every_admin_page_loads_for_a_superuser(client):
    KioskFactory()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    ours = ("eventhub", "registrations", "screenings")
    append_only = {"auditlog", "healthdataaccess", "scanlog"}  # written by the code only
    for model in [m for m in admin.site._registry if m._meta.app_label in ours]:
        meta = model._meta
        for view in ("changelist", "add"):
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}")
            response = client.get(url)
            refused = view == "add" and meta.model_name in append_only
            assert response.status_code == (403 if refused else 200), url
        obj = model.objects.first()
        if obj is not None:
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            assert client.get(url).status_code == 200, url


def test_staff_home_lists_the_users_events(client):
    role = StaffRoleFactory(role=Role.DOCTOR, event__name="Smederevo open day")
    client.force_login(role.user)
    response = client.get(reverse("staff-home"))
    assert "Smederevo open day" in response.text
    assert Event.objects.count() == 1
