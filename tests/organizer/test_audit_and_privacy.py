"""The audit log page (personal and health data, filterable) and the privacy
notice in each language, linked from the registration form and the ticket."""

import ast
from pathlib import Path

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


# The door to personal and health data (docs/privacy.md).

ROOT = Path(__file__).resolve().parents[2]
DISPLAY_LAYER_DIRS = {"views", "api", "templatetags"}
DISPLAY_LAYER_FILES = {"views.py", "api.py", "consumers.py", "admin.py"}
# Audit writers and the raw reads behind the access functions.
BEHIND_THE_DOOR = {
    "personal_data_access_log",
    "health_access_log",
    "attendee_search",
    "attendees_for_print",
    "training_session_roster",
    "attendee_data_export",
    "appointments_for_attendee",
    "station_console_snapshot",
}
AUDIT_MODELS = {"AuditLog", "HealthDataAccess"}
# Models whose rows are people: a display module never queries them itself.
PERSONAL_MODELS = {"Attendee"}


def display_layer_modules() -> list[Path]:
    found = []
    for package in ("eventhub", "registrations", "screenings"):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = set(path.relative_to(ROOT).parts[:-1])
            if "migrations" in parts:
                continue
            if parts & DISPLAY_LAYER_DIRS or path.name in DISPLAY_LAYER_FILES:
                found.append(path)
    return found


def reads_behind_the_door(source: str) -> list[str]:
    """The audit writers, raw personal-data reads and audit-row creations
    that ``source`` calls or imports."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            found += [alias.name for alias in node.names if alias.name in BEHIND_THE_DOOR]
        elif isinstance(node, ast.Call):
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", None)
            if name in BEHIND_THE_DOOR:
                found.append(name)
            # get_object_or_404(Attendee, ...): the model itself as the source.
            if name in ("get_object_or_404", "get_list_or_404") and node.args:
                first = node.args[0]
                if getattr(first, "id", None) in PERSONAL_MODELS:
                    found.append(f"{name}({first.id})")
            # AuditLog.objects.create(...), HealthDataAccess.objects.create(...)
            if (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Attribute)
                and func.value.attr == "objects"
                and getattr(func.value.value, "id", None) in AUDIT_MODELS
                and func.attr in ("create", "bulk_create", "update", "delete")
            ):
                found.append(f"{func.value.value.id}.objects.{func.attr}")
        # Attendee.objects...: a person read around the access functions.
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in ("objects", "_default_manager")
            and getattr(node.value, "id", None) in PERSONAL_MODELS
        ):
            found.append(f"{node.value.id}.objects")
    return found


def _called_names(node) -> set[str]:
    return {
        getattr(call.func, "id", None) or getattr(call.func, "attr", None)
        for call in ast.walk(node)
        if isinstance(call, ast.Call)
    }


# The pages of a people admin that name a person: the detail page, its
# history, the delete confirmation (one person or "delete selected").
PERSON_PAGES = ("change_view", "history_view", "get_deleted_objects")


def personal_admin_doors(source: str) -> dict[str, dict[str, set[str]]]:
    """For each ModelAdmin of ``source`` registered for a personal model, the
    ``access_*`` functions its pages naming a person (``PERSON_PAGES``) and
    its list (the ``get_results`` of the class ``get_changelist`` returns)
    call."""
    tree = ast.parse(source)
    classes = {node.name: node for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}

    def method(cls, name):
        return next(
            (n for n in cls.body if isinstance(n, ast.FunctionDef) and n.name == name), None
        )

    def doors(node) -> set[str]:
        if node is None:
            return set()
        return {name for name in _called_names(node) if name and name.startswith("access_")}

    found = {}
    for cls in classes.values():
        registered = {
            arg.id
            for deco in cls.decorator_list
            if isinstance(deco, ast.Call) and getattr(deco.func, "attr", None) == "register"
            for arg in deco.args
            if isinstance(arg, ast.Name)
        }
        if not registered & PERSONAL_MODELS:
            continue
        changelist = None
        getter = method(cls, "get_changelist")
        if getter is not None:
            returned = [n.value for n in ast.walk(getter) if isinstance(n, ast.Return)]
            names = [getattr(value, "id", None) for value in returned]
            changelist = classes.get(names[0]) if names else None
        found[cls.name] = {page: doors(method(cls, page)) for page in PERSON_PAGES}
        found[cls.name]["changelist"] = doors(changelist and method(changelist, "get_results"))
    return found


def test_the_door_check_spots_a_direct_read_or_audit_write():
    source = (
        "from screenings.services.access import health_access_log\n"
        "def view(request):\n"
        "    rows = attendee_search(event_id=1, query='x')\n"
        "    AuditLog.objects.create(event_id=1, action='view')\n"
    )
    assert reads_behind_the_door(source) == [
        "health_access_log",
        "attendee_search",
        "AuditLog.objects.create",
    ]
    assert reads_behind_the_door("access_attendee_search(user=u, event_id=1)") == []
    direct = (
        "def view(request, pk):\n"
        "    a = get_object_or_404(Attendee, pk=pk)\n"
        "    b = get_object_or_404(Attendee.objects.select_related('ticket'), pk=pk)\n"
    )
    assert reads_behind_the_door(direct) == ["get_object_or_404(Attendee)", "Attendee.objects"]


def test_the_door_check_spots_a_people_admin_without_doors():
    source = (
        "class People(ChangeList):\n"
        "    def get_results(self, request):\n"
        "        super().get_results(request)\n"
        "@admin.register(Attendee)\n"
        "class AttendeeAdmin(admin.ModelAdmin):\n"
        "    def get_changelist(self, request, **kwargs):\n"
        "        return People\n"
    )
    assert personal_admin_doors(source) == {
        "AttendeeAdmin": {
            "change_view": set(),
            "history_view": set(),
            "get_deleted_objects": set(),
            "changelist": set(),
        }
    }


def test_view_modules_read_personal_data_only_through_the_doors():
    modules = display_layer_modules()
    names = {str(path.relative_to(ROOT)) for path in modules}
    # Views, API classes, consumers, admin and template tags of every app.
    assert {
        "registrations/views/ticket.py",
        "registrations/api/checkin.py",
        "screenings/api/queue.py",
        "screenings/consumers.py",
        "screenings/admin.py",
        "screenings/templatetags/screenings.py",
        "eventhub/organizer/views.py",
        "eventhub/dashboard/views.py",
        "eventhub/kiosks/views.py",
    } <= names
    offenders = {}
    for path in modules:
        name = str(path.relative_to(ROOT))
        found = reads_behind_the_door(path.read_text(encoding="utf-8"))
        if found:
            offenders[name] = found
    assert offenders == {}, "read personal data through registrations/screenings selectors.access"


def test_the_admin_of_people_lists_and_shows_them_only_through_the_doors():
    doors = personal_admin_doors((ROOT / "registrations/admin.py").read_text(encoding="utf-8"))
    assert doors == {
        "AttendeeAdmin": {
            "change_view": {"access_attendee_personal_data"},
            "history_view": {"access_attendee_personal_data"},
            "get_deleted_objects": {"access_attendee_rows"},
            "changelist": {"access_attendee_rows"},
        }
    }
    others = {
        str(path.relative_to(ROOT)): found
        for path in display_layer_modules()
        if path.name == "admin.py" and path != ROOT / "registrations/admin.py"
        if (found := personal_admin_doors(path.read_text(encoding="utf-8")))
    }
    assert others == {}, "a second admin of people: route it through the doors too"


def test_a_person_of_another_fair_is_not_found_and_nothing_is_logged(organizer_client, fair):
    stranger = AttendeeFactory(event=EventFactory())
    response = organizer_client.get(reverse("organizer:person", args=[fair.slug, stranger.pk]))
    assert response.status_code == 404
    assert not AuditLog.objects.filter(attendee_id=stranger.pk).exists()


def test_a_volunteer_cannot_search_people_from_another_fair_and_nothing_is_logged(fair):
    from rest_framework.test import APIClient

    other = EventFactory()
    AttendeeFactory(event=other, last_name="Kovač")
    volunteer = StaffRoleFactory(event=fair, role=StaffRole.Role.VOLUNTEER).user
    api = APIClient()
    api.force_authenticate(volunteer)
    response = api.get(reverse("api-checkin-search", args=[other.slug]), {"q": "Kovač"})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"
    assert not AuditLog.objects.exists()


def test_a_doctor_of_another_service_is_refused_a_queue_entry_and_nothing_is_logged(fair):
    from rest_framework.test import APIClient

    from screenings.models import HealthDataAccess
    from screenings.services.queue import queue_join
    from tests.screenings.helpers import doctor_of, make_service

    thyroid = make_service(fair, code="T")
    breast = make_service(fair, code="B")
    joined = queue_join(service_id=thyroid.pk, ticket=AttendeeFactory(event=fair).ticket.code)
    api = APIClient()
    api.force_authenticate(doctor_of(breast))

    refused = api.post(f"/api/v1/queue-entries/{joined.entry.pk}/cancel/")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "permission_denied"
    assert not HealthDataAccess.objects.exists()

    api.force_authenticate(doctor_of(thyroid))
    started = api.post(f"/api/v1/queue-entries/{joined.entry.pk}/cancel/")
    assert started.status_code == 200
    row = HealthDataAccess.objects.get()
    assert (row.actor, row.action, row.attendee_id) == ("doctor", "view", joined.entry.attendee_id)
    assert row.what == f"cancel entry {joined.entry.pk}"


def test_opening_a_person_or_a_queue_entry_in_the_admin_is_logged(client, fair):
    from eventhub.core.services import staff_add
    from screenings.models import HealthDataAccess
    from screenings.services.queue import queue_join
    from tests.factories import UserFactory
    from tests.screenings.helpers import make_service

    staff_add(event_id=fair.pk, role=StaffRole.Role.ORGANIZER, username="org")
    organizer = UserFactory(username="org")
    client.force_login(organizer)
    ana = AttendeeFactory(event=fair)
    entry = queue_join(service_id=make_service(fair).pk, ticket=ana.ticket.code).entry

    page = client.get(reverse("admin:registrations_attendee_change", args=[ana.pk]))
    assert page.status_code == 200
    row = AuditLog.objects.get(attendee_id=ana.pk)
    assert (row.user, row.action, row.detail) == (organizer, "view", "admin page")

    page = client.get(reverse("admin:screenings_queueentry_change", args=[entry.pk]))
    assert page.status_code == 200
    health = HealthDataAccess.objects.get()
    assert (health.user, health.actor, health.attendee_id) == (organizer, "organizer", ana.pk)
    assert health.what == f"queue entry {entry.pk} (admin)"


def test_the_printed_gate_list_and_the_paper_check_ins_are_logged(organizer_client, fair):
    AttendeeFactory(event=fair)
    AttendeeFactory(event=fair)
    printed = organizer_client.get(reverse("checkin-print", args=[fair.slug]))
    assert printed.status_code == 200 and printed["Content-Type"] == "application/pdf"
    assert organizer_client.get(reverse("checkin-paper", args=[fair.slug])).status_code == 200
    assert list(AuditLog.objects.order_by("pk").values_list("action", "detail")) == [
        ("view", "printed list: 2 people listed"),
        ("view", "paper check-ins: 2 people listed"),
    ]


def test_the_admins_list_and_search_of_people_are_logged_per_fair(client, fair):
    from eventhub.core.services import staff_add
    from tests.factories import UserFactory

    other = EventFactory()
    staff_add(event_id=fair.pk, role=StaffRole.Role.ORGANIZER, username="org")
    staff_add(event_id=other.pk, role=StaffRole.Role.ORGANIZER, username="org")
    organizer = UserFactory(username="org")
    client.force_login(organizer)
    AttendeeFactory(event=fair, last_name="Kovač")
    AttendeeFactory(event=fair, last_name="Popescu")
    AttendeeFactory(event=other, last_name="Ionescu")
    AttendeeFactory(event=EventFactory(), last_name="Stranger")
    url = reverse("admin:registrations_attendee_changelist")

    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Kovač" in body and "Ionescu" in body and "Stranger" not in body
    rows = AuditLog.objects.order_by("event_id").values_list("event_id", "user", "detail")
    assert list(rows) == [
        (fair.pk, organizer.pk, "admin list: 2 people listed"),
        (other.pk, organizer.pk, "admin list: 1 people listed"),
    ]

    AuditLog.objects.all().delete()
    found = client.get(url, {"q": "Kovač"})
    assert "Kovač" in found.content.decode() and "Popescu" not in found.content.decode()
    row = AuditLog.objects.get()
    assert (row.event_id, row.action, row.detail) == (
        fair.pk,
        "view",
        "admin list: 1 people listed",
    )
    assert "Kovač" not in row.detail  # ids and counts only, never the search words

    AuditLog.objects.all().delete()
    assert client.get(url, {"q": "Nobody"}).status_code == 200
    assert not AuditLog.objects.exists()


def test_a_volunteer_cannot_list_people_in_the_admin_and_nothing_is_logged(client, fair):
    from django.contrib.auth.models import Permission

    AttendeeFactory(event=fair, last_name="Kovač")
    volunteer = StaffRoleFactory(event=fair, role=StaffRole.Role.VOLUNTEER).user
    client.force_login(volunteer)
    url = reverse("admin:registrations_attendee_changelist")
    assert client.get(url).status_code == 302  # not admin staff: the login page

    # Even made admin staff with the model's permission, the rows are scoped
    # to the fairs they organize: none.
    volunteer.is_staff = True
    volunteer.save()
    volunteer.user_permissions.add(Permission.objects.get(codename="view_attendee"))
    client.force_login(volunteer)
    listed = client.get(url)
    assert listed.status_code == 200 and "Kovač" not in listed.content.decode()
    assert not AuditLog.objects.exists()


def test_the_rows_door_refuses_a_volunteer_and_logs_nothing(fair):
    from eventhub.core.exceptions import PermissionDenied as NotAllowed
    from registrations.models import Attendee
    from registrations.selectors.access import access_attendee_rows

    AttendeeFactory(event=fair)
    volunteer = StaffRoleFactory(event=fair, role=StaffRole.Role.VOLUNTEER).user
    with pytest.raises(NotAllowed):
        access_attendee_rows(
            user=volunteer, rows=Attendee.objects.filter(event=fair), purpose="admin list"
        )
    assert not AuditLog.objects.exists()


def test_the_self_check_in_receipt_is_recorded_by_the_scan_log_not_the_audit_log(api_client, fair):
    from eventhub.core.models import Kiosk
    from registrations.models import ScanLog
    from tests.factories import KioskFactory

    ana = AttendeeFactory(event=fair, first_name="Ana")
    terminal = KioskFactory(event=fair, kind=Kiosk.Kind.CHECKIN, name="Tent")
    answer = api_client.post(
        reverse("api-kiosk-lookup", args=[terminal.token]),
        {"payload": ana.ticket.code},
        format="json",
    )
    assert answer.status_code == 200 and answer.json()["first_name"] == "Ana"
    scan = ScanLog.objects.get(ticket=ana.ticket)
    assert (scan.gate, scan.device, scan.result) == ("Tent", f"kiosk:{terminal.pk}", "ok")
    assert not AuditLog.objects.exists()


@pytest.mark.parametrize(
    ("kind", "active", "other_fair", "refusal"),
    [
        ("board", True, False, "permission_denied"),
        ("stats", True, False, "permission_denied"),
        ("checkin", False, False, "permission_denied"),
        ("checkin", True, True, "not_found"),
    ],
)
def test_the_kiosk_door_opens_only_to_a_check_in_terminal_of_the_persons_fair(
    fair, kind, active, other_fair, refusal
):
    from eventhub.core.exceptions import DomainError
    from registrations.selectors.access import access_kiosk_visitor
    from tests.factories import KioskFactory

    ana = AttendeeFactory(event=EventFactory() if other_fair else fair)
    terminal = KioskFactory(event=fair, kind="checkin")
    assert access_kiosk_visitor(kiosk=terminal, attendee_id=AttendeeFactory(event=fair).pk)
    asking = KioskFactory(event=fair, kind=kind, active=active)
    with pytest.raises(DomainError) as refused:
        access_kiosk_visitor(kiosk=asking, attendee_id=ana.pk)
    assert refused.value.code == refusal
    assert not AuditLog.objects.exists()


def test_the_erase_confirmation_page_is_logged_and_refused_to_a_volunteer(
    client, organizer_client, fair, organizer
):
    ana = AttendeeFactory(event=fair, last_name="Kovač")
    url = reverse("organizer:person-erase", args=[fair.slug, ana.pk])

    volunteer = StaffRoleFactory(event=fair, role=StaffRole.Role.VOLUNTEER).user
    client.force_login(volunteer)
    assert client.get(url).status_code == 403
    assert not AuditLog.objects.exists()

    client.force_login(organizer)
    page = client.get(url)
    assert page.status_code == 200 and "Kovač" in page.content.decode()
    row = AuditLog.objects.get()
    assert (row.user, row.action, row.attendee_id, row.detail) == (
        organizer,
        "view",
        ana.pk,
        "erase confirmation page",
    )
    stranger = AttendeeFactory(event=EventFactory())
    other_url = reverse("organizer:person-erase", args=[fair.slug, stranger.pk])
    assert client.get(other_url).status_code == 404
    assert AuditLog.objects.count() == 1
