"""Inviting staff by e-mail, the set-password link, revoking, and who may manage the team."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from eventhub.core.models import AuditLog, StaffRole
from eventhub.core.permissions import user_event_roles
from tests.factories import EventFactory, StaffRoleFactory, UserFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def team_url(event):
    return reverse("organizer:team", args=[event.slug])


def test_an_invited_doctor_sets_a_password_from_the_email_and_logs_in(
    client, organizer_client, fair, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = organizer_client.post(
            team_url(fair), {"email": "Dr.Jovanovic@example.rs", "role": "doctor"}
        )
    assert response.status_code == 302
    user = get_user_model().objects.get(email="Dr.Jovanovic@example.rs")
    assert user.username == "dr.jovanovic@example.rs"
    assert not user.has_usable_password()
    assert user_event_roles(user, fair.pk) == {Role.DOCTOR}

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["Dr.Jovanovic@example.rs"]
    assert fair.name in message.subject
    link = re.search(r"https?://\S+/accounts/set-password/\S+/", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    anonymous = client.__class__()
    page = anonymous.get("/" + path, follow=True)
    assert page.status_code == 200
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else "/" + path
    done = anonymous.post(
        form_url,
        {"new_password1": "Ultrasound-2026-timis", "new_password2": "Ultrasound-2026-timis"},
        follow=True,
    )
    assert done.redirect_chain[-1][0] == reverse("login")
    assert "Your password is set" in done.content.decode()

    login = anonymous.post(
        reverse("login"),
        {"username": "dr.jovanovic@example.rs", "password": "Ultrasound-2026-timis"},
    )
    assert login.status_code == 302 and login["Location"] == reverse("staff-home")
    home = anonymous.get(reverse("staff-home")).content.decode()
    assert fair.name in home and "Doctor" in home

    # The link works once.
    again = anonymous.get("/" + path, follow=True)
    assert "This link has been used or has expired" in again.content.decode()
    assert AuditLog.objects.filter(event=fair, action="staff_invite").count() == 1


def test_inviting_an_existing_account_reuses_it(organizer_client, fair):
    existing = UserFactory(username="ana", email="ana@example.org")
    organizer_client.post(team_url(fair), {"email": "ANA@example.org", "role": "volunteer"})
    assert get_user_model().objects.filter(email__iexact="ana@example.org").count() == 1
    assert user_event_roles(existing, fair.pk) == {Role.VOLUNTEER}
    existing.refresh_from_db()
    assert existing.check_password("correct horse battery staple")


def test_a_bad_invitation_keeps_the_input_and_says_what_to_fix_in_romanian(organizer_client, fair):
    response = organizer_client.post(
        team_url(fair), {"email": "not-an-email", "role": "doctor"}, HTTP_ACCEPT_LANGUAGE="ro"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="not-an-email"' in body
    assert "Introduceți o adresă de email validă." in body
    assert '<option value="doctor" selected>' in body
    assert get_user_model().objects.filter(email="not-an-email").count() == 0


def test_revoking_a_role_takes_it_away(organizer_client, fair):
    volunteer = StaffRoleFactory(event=fair, role=Role.VOLUNTEER)
    response = organizer_client.post(
        reverse("organizer:team-revoke", args=[fair.slug, volunteer.pk])
    )
    assert response.status_code == 302
    assert user_event_roles(volunteer.user, fair.pk) == set()
    assert AuditLog.objects.filter(event=fair, action="staff_revoke").count() == 1


def test_an_organizer_cannot_revoke_a_role_of_another_event(organizer_client, fair):
    other = StaffRoleFactory(role=Role.VOLUNTEER)
    response = organizer_client.post(reverse("organizer:team-revoke", args=[fair.slug, other.pk]))
    assert response.status_code == 404
    assert StaffRole.objects.filter(pk=other.pk).exists()


ORGANIZER_PAGES = ["team", "kiosks", "people", "audit", "copy"]


@pytest.mark.parametrize("page", ORGANIZER_PAGES)
@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.DOCTOR])
def test_volunteers_and_doctors_are_refused(client, fair, page, role):
    client.force_login(StaffRoleFactory(event=fair, role=role).user)
    assert client.get(reverse(f"organizer:{page}", args=[fair.slug])).status_code == 403


@pytest.mark.parametrize("page", ORGANIZER_PAGES)
def test_anonymous_users_get_the_login_page(client, fair, page):
    url = reverse(f"organizer:{page}", args=[fair.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login")) and "next=" in response["Location"]


@pytest.mark.parametrize("page", ORGANIZER_PAGES)
def test_an_organizer_of_another_event_is_refused(client, fair, page):
    client.force_login(StaffRoleFactory(event=EventFactory(), role=Role.ORGANIZER).user)
    assert client.get(reverse(f"organizer:{page}", args=[fair.slug])).status_code == 403


def test_a_volunteer_cannot_invite_by_posting(client, fair):
    client.force_login(StaffRoleFactory(event=fair, role=Role.VOLUNTEER).user)
    response = client.post(team_url(fair), {"email": "x@example.org", "role": "organizer"})
    assert response.status_code == 403
    assert not get_user_model().objects.filter(email="x@example.org").exists()


def test_the_staff_home_links_the_organizer_pages(organizer_client, fair):
    body = organizer_client.get(reverse("staff-home")).content.decode()
    for page in ORGANIZER_PAGES:
        assert reverse(f"organizer:{page}", args=[fair.slug]) in body


def test_an_organizer_cannot_lock_themselves_out(organizer_client, fair, organizer):
    own = StaffRole.objects.get(event=fair, user=organizer)
    response = organizer_client.post(
        reverse("organizer:team-revoke", args=[fair.slug, own.pk]), follow=True
    )
    assert "You cannot remove your own organizer role." in response.content.decode()
    assert user_event_roles(organizer, fair.pk) == {Role.ORGANIZER}
