"""The audit log page (personal and health data, filterable) and the privacy
notice in each language, linked from the registration form and the ticket."""

import pytest
from django.urls import reverse

from eventhub.core.models import AuditLog, StaffRole
from eventhub.core.services import personal_data_access_log
from screenings.services.access import health_access_log
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db


def test_the_export_hook_writes_one_row_with_the_agreed_signature(fair, organizer):
    row = personal_data_access_log(
        user=organizer, event_id=fair.pk, action="export", detail="attendees.csv, 3 columns"
    )
    assert (row.user, row.event, row.action, row.attendee_id, row.detail) == (
        organizer,
        fair,
        "export",
        None,
        "attendees.csv, 3 columns",
    )


def test_the_audit_page_lists_personal_and_health_data_and_filters_by_action(
    organizer_client, fair, organizer
):
    ana = AttendeeFactory(event=fair)
    doctor = StaffRoleFactory(event=fair, role=StaffRole.Role.DOCTOR).user
    personal_data_access_log(
        user=organizer,
        event_id=fair.pk,
        action=AuditLog.Action.VIEW,
        attendee_id=ana.pk,
        detail="personal details page",
    )
    personal_data_access_log(
        user=organizer, event_id=fair.pk, action="export", detail="attendees.csv"
    )
    health_access_log(
        event_id=fair.pk,
        actor="doctor",
        action="view",
        what="console of station 4",
        user=doctor,
        attendee_id=ana.pk,
    )
    personal_data_access_log(
        user=None, event_id=EventFactory().pk, action="export", detail="another fair's export"
    )
    url = reverse("organizer:audit", args=[fair.slug])

    body = organizer_client.get(url).content.decode()
    assert body.count("<tr data-action=") == 3
    assert "personal details page" in body and "attendees.csv" in body
    assert "console of station 4" in body and doctor.username in body
    assert "another fair" not in body

    only_views = organizer_client.get(url, {"action": "view"}).content.decode()
    assert only_views.count("<tr data-action=") == 1 and f"#{ana.pk}" in only_views
    health = organizer_client.get(url, {"action": "health_view"}).content.decode()
    assert health.count('<tr data-action="health_view">') == 1
    assert "personal details page" not in health
    unknown = organizer_client.get(url, {"action": "nonsense"}).content.decode()
    assert unknown.count("<tr data-action=") == 3


@pytest.mark.parametrize(
    ("language", "heading", "rights"),
    [
        ("en", "Privacy notice", "Your rights"),
        ("ro", "Notă de informare privind datele personale", "Drepturile dumneavoastră"),
        ("sr-latn", "Obaveštenje o privatnosti", "Vaša prava"),
    ],
)
def test_the_privacy_notice_speaks_each_language_and_names_the_retention(
    client, language, heading, rights
):
    event = EventFactory(name="Ziua Cooperării", personal_data_retention_days=120)
    body = client.get(
        reverse("privacy-notice", args=[event.slug]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert heading in body and rights in body
    assert "120" in body


def test_the_form_and_the_ticket_link_the_privacy_notice_and_the_erasure(client, fair):
    notice = reverse("privacy-notice", args=[fair.slug])
    assert notice in client.get(reverse("register", args=[fair.slug])).content.decode()
    ticket = AttendeeFactory(event=fair).ticket
    page = client.get(reverse("ticket", args=[ticket.manage_key])).content.decode()
    assert notice in page and reverse("ticket-erase", args=[ticket.manage_key]) in page


def test_a_draft_fair_has_no_public_privacy_page(client):
    draft = EventFactory(status="draft")
    assert client.get(reverse("privacy-notice", args=[draft.slug])).status_code == 404


def test_staff_looking_up_people_at_the_gate_and_the_training_door_is_logged(client, fair):
    from rest_framework.test import APIClient

    from tests.training.factories import TrainingSessionFactory

    AttendeeFactory(event=fair, first_name="Dragana", last_name="Kovač")
    volunteer = StaffRoleFactory(event=fair, role=StaffRole.Role.VOLUNTEER).user
    api = APIClient()
    api.force_authenticate(volunteer)
    url = reverse("api-checkin-search", args=[fair.slug])
    assert len(api.get(url, {"q": "Kovač"}).json()) == 1
    assert api.get(url, {"q": "Nobody"}).json() == []
    session = TrainingSessionFactory(module__event=fair)
    client.force_login(volunteer)
    roster = client.get(reverse("staff-training-roster", args=[fair.slug, session.pk]))
    assert roster.status_code == 200
    rows = list(AuditLog.objects.filter(event=fair, user=volunteer).order_by("pk"))
    assert [(r.action, r.detail) for r in rows] == [
        ("view", "gate search: 1 people listed"),
        ("view", f"training roster of session {session.pk}"),
    ]
