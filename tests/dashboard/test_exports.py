"""Exports of attendees, training bookings and appointments: chosen columns,
encodings that keep Romanian and Serbian letters, streaming, and the logs."""

import csv
import io

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse

from eventhub.core.models import AuditLog, StaffRole
from screenings.models import HealthDataAccess
from screenings.services.appointments import appointment_book
from tests.factories import AttendeeFactory, StaffRoleFactory
from tests.screenings.helpers import make_service, make_slot

pytestmark = pytest.mark.django_db
Role = StaffRole.Role
NAMES = [("Ștefan", "Mureșan-Țurcanu"), ("Milan", "Živković"), ("Đorđe", "Čolić")]


@pytest.fixture
def organizer(event):
    return StaffRoleFactory(event=event, role=Role.ORGANIZER).user


@pytest.fixture
def client(organizer):
    client = Client()
    client.force_login(organizer)
    return client


@pytest.fixture
def people(event):
    return [
        AttendeeFactory(event=event, first_name=first, last_name=last, phone="+40712345678")
        for first, last in NAMES
    ]


def download(client, event, dataset, fmt, columns):
    url = reverse("dashboard-export", args=[event.slug, dataset])
    return client.get(url, {"format": fmt, "columns": columns})


def body(response) -> bytes:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content)
    return b"".join(response)


def read_csv(response) -> list[list[str]]:
    raw = body(response)
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte order mark for Excel"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def read_xlsx(response) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(body(response))).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_attendee_csv_streams_the_chosen_columns_with_diacritics(client, event, people):
    response = download(client, event, "attendees", "csv", ["last_name", "first_name", "email"])
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}-attendees.csv"'
    assert response["X-Export-Rows"] == "3"
    rows = read_csv(response)
    # Columns in the dataset's order, whatever the order they were asked in.
    assert rows[0] == ["First name", "Last name", "E-mail"]
    assert sorted(r[:2] for r in rows[1:]) == sorted([list(n) for n in NAMES])
    assert "Ștefan" in body(download(client, event, "attendees", "csv", ["first_name"])).decode()


def test_the_attendee_xlsx_keeps_diacritics_and_only_the_chosen_columns(client, event, people):
    response = download(client, event, "attendees", "xlsx", ["first_name", "last_name"])
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert int(response["Content-Length"]) > 0
    rows = read_xlsx(response)
    assert rows[0] == ["First name", "Last name"]
    assert sorted(rows[1:]) == sorted([list(n) for n in NAMES])


def test_the_form_lists_every_column_and_ticks_all_but_the_ticket_code(client, event, people):
    page = client.get(reverse("dashboard-exports", args=[event.slug])).text
    assert page.count('name="columns"') == 18 + 12 + 15
    # Every column but the ticket code (a credential) is ticked, and CSV in each form.
    assert page.count(" checked>") == 17 + 12 + 15 + 3
    assert 'value="ticket" id="id_attendees_columns_17">' in page  # a credential: opt in
    everything = [
        "id", "first_name", "last_name", "email", "phone", "country", "region", "category",
        "language", "status", "source", "needs_transport", "accessibility_needs",
        "registered_at", "checked_in_at", "gate", "ticket",
    ]  # fmt: skip
    rows = read_csv(download(client, event, "attendees", "csv", everything))
    assert len(rows[0]) == 17 and len(rows) == 4
    stefan = dict(zip(rows[0], next(r for r in rows if r[1] == "Ștefan"), strict=True))
    assert stefan["Status"] == "Confirmed" and stefan["Needs free transport"] == "no"
    assert stefan["Checked in at"] == "" and stefan["Ticket code"]


def test_cells_that_look_like_formulas_are_kept_as_text(client, event):
    AttendeeFactory(event=event, first_name='=HYPERLINK("http://x")', last_name="Ionescu")
    rows = read_csv(download(client, event, "attendees", "csv", ["first_name", "phone"]))
    assert rows[1][0] == '\'=HYPERLINK("http://x")'
    xlsx = openpyxl.load_workbook(
        io.BytesIO(body(download(client, event, "attendees", "xlsx", ["first_name"])))
    ).active
    assert xlsx["A2"].data_type == "s"
    assert xlsx["A2"].value == '=HYPERLINK("http://x")'  # a text cell needs no quote


def test_phone_numbers_keep_their_plus_in_csv_and_xlsx(client, event):
    AttendeeFactory(event=event, first_name="Ana", phone="+40722123456")
    rows = read_csv(download(client, event, "attendees", "csv", ["first_name", "phone"]))
    assert rows[1] == ["Ana", "+40722123456"]
    xlsx = openpyxl.load_workbook(
        io.BytesIO(body(download(client, event, "attendees", "xlsx", ["first_name", "phone"])))
    ).active
    assert xlsx["B2"].value == "+40722123456" and xlsx["B2"].data_type == "s"


def test_no_column_or_a_bad_format_keeps_the_form_and_says_why(client, event, people):
    response = download(client, event, "attendees", "csv", [])
    assert response.status_code == 400
    assert "Choose at least one column." in response.text
    response = download(client, event, "training", "pdf", ["email", "module"])
    assert response.status_code == 400
    assert "Choose CSV or XLSX." in response.text
    # The choices made are still ticked.
    assert 'value="email" id="id_training_columns_6" checked' in response.text
    assert 'value="room" id="id_training_columns_3" checked' not in response.text
    response = download(client, event, "attendees", "csv", ["password"])
    assert response.status_code == 400
    assert "Choose columns from the list." in response.text


def test_a_personal_data_export_is_written_to_the_audit_log(client, event, people, organizer):
    response = download(client, event, "attendees", "csv", ["email"])
    body(response)
    (entry,) = AuditLog.objects.filter(event=event, action=AuditLog.Action.EXPORT)
    assert entry.user == organizer
    assert "attendees csv, 3 rows, columns: email" in entry.detail


def book_appointment(event):
    service = make_service(event, code="T", name="Thyroid ultrasound")
    slot = make_slot(service)
    person = AttendeeFactory(event=event, first_name="Đorđe", last_name="Živković")
    return appointment_book(slot_id=slot.pk, attendee_id=person.pk, health_consent=True, age=44)


def test_appointments_export_goes_to_the_health_data_access_log(client, event, organizer):
    book_appointment(event)
    before = HealthDataAccess.objects.count()
    response = download(client, event, "appointments", "xlsx", ["service", "last_name", "age"])
    rows = read_xlsx(response)
    assert rows == [
        ["Screening service", "Last name", "Age"],
        ["T · Thyroid ultrasound", "Živković", 44],
    ]
    assert HealthDataAccess.objects.count() == before + 1
    log = HealthDataAccess.objects.order_by("-pk").first()
    assert (log.user, log.actor, log.action) == (organizer, "organizer", "view")
    assert "export of appointments" in log.what and "1 rows" in log.what


def test_a_doctor_cannot_export_appointments(event):
    book_appointment(event)
    doctor = StaffRoleFactory(event=event, role=Role.DOCTOR).user
    client = Client()
    client.force_login(doctor)
    before = HealthDataAccess.objects.count()
    assert download(client, event, "appointments", "csv", ["note"]).status_code == 403
    assert HealthDataAccess.objects.count() == before


def test_training_bookings_export(client, event):
    from registrations.services.training import training_booking_create
    from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory

    session = TrainingSessionFactory(module=TrainingModuleFactory(event=event, title="Prim ajutor"))
    person = AttendeeFactory(event=event, first_name="Ștefan", last_name="Țurcanu")
    training_booking_create(attendee_id=person.pk, session_id=session.pk)
    rows = read_csv(download(client, event, "training", "csv", ["module", "last_name", "status"]))
    assert rows == [
        ["Training module", "Last name", "Status"],
        ["Prim ajutor", "Țurcanu", "Confirmed"],
    ]


def test_a_large_export_arrives_in_several_chunks(client, event):
    AttendeeFactory.create_batch(1200, event=event)
    response = download(client, event, "attendees", "csv", ["id", "last_name"])
    chunks = list(response.streaming_content)
    assert len(chunks) >= 3
    assert b"".join(chunks).count(b"\n") == 1201


def test_the_exports_page_shows_the_row_counts_for_the_progress_bar(client, event, people):
    page = client.get(reverse("dashboard-exports", args=[event.slug])).text
    assert 'data-rows="3"' in page
    assert "Preparing the file" in page


@pytest.mark.django_db(transaction=True)
async def test_under_asgi_the_csv_streams_without_being_read_whole_first(close_db_connections):
    import warnings

    from asgiref.sync import sync_to_async
    from django.test import AsyncClient

    from tests.factories import EventFactory

    @sync_to_async
    def seed():
        event = EventFactory()
        AttendeeFactory.create_batch(600, event=event, first_name="Ștefan")
        return event, StaffRoleFactory(event=event, role=Role.ORGANIZER).user

    event, organizer = await seed()
    client = AsyncClient()
    await client.aforce_login(organizer)
    url = reverse("dashboard-export", args=[event.slug, "attendees"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "must consume synchronous iterators" would raise
        response = await client.get(url, {"format": "csv", "columns": ["first_name"]})
        assert response.status_code == 200
        chunks = [chunk async for chunk in response.streaming_content]
    assert len(chunks) >= 2
    text = b"".join(chunks).decode("utf-8-sig")
    assert text.count("Ștefan") == 600
