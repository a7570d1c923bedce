"""Exports of attendees, training bookings and screening appointments, and the
writers of the programme report: CSV (UTF-8 with a byte order mark, so Excel
reads Romanian and Serbian letters right) and XLSX (openpyxl).

Large exports never sit in memory: the CSV is a generator behind a
``StreamingHttpResponse`` and the XLSX is written by openpyxl's write-only
mode into a temporary file, which is then sent with its length. Cells that
a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@`` first) are
made plain text: a quote in front in CSV, a text cell in XLSX.
"""

import csv
import datetime as dt
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from registrations.models import Attendee, CheckIn, TrainingBooking
from screenings.models import Appointment

BOM = "\ufeff"
CSV_BATCH = 500
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# A phone number in E.164 (+ and digits only) runs no formula anywhere; it
# keeps its plus rather than gain a quote.
E164 = re.compile(r"\+\d{6,15}")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: Callable
    # Ticked on the form unless it is a credential (ticket codes open the
    # attendee's own pages).
    default: bool = True


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    columns: tuple[Column, ...]
    queryset: Callable[[int], QuerySet]
    health_data: bool = False

    def column_choices(self) -> list[tuple[str, str]]:
        return [(c.key, c.label) for c in self.columns]

    def pick(self, keys: Iterable[str]) -> list[Column]:
        wanted = set(keys)
        return [c for c in self.columns if c.key in wanted]


def _attendees(event_id: int) -> QuerySet:
    gate = CheckIn.objects.filter(ticket__attendee=OuterRef("pk"), target="event")
    return (
        Attendee.objects.filter(event_id=event_id)
        .select_related("region", "ticket")
        .annotate(
            gate_checked_in_at=Subquery(gate.values("checked_in_at")[:1]),
            gate_name=Subquery(gate.values("gate")[:1]),
        )
        .order_by("last_name", "first_name", "pk")
    )


def _bookings(event_id: int) -> QuerySet:
    return (
        TrainingBooking.objects.filter(module__event_id=event_id)
        .select_related("session", "module", "attendee", "certificate")
        .order_by("session__starts_at", "session_id", "created_at", "pk")
    )


def _appointments(event_id: int) -> QuerySet:
    return (
        Appointment.objects.filter(service__event_id=event_id)
        .select_related("slot", "service", "attendee")
        .order_by("service__position", "service__code", "slot__starts_at", "pk")
    )


def _certificate_code(booking) -> str:
    certificate = getattr(booking, "certificate", None)
    return certificate.code_for_humans if certificate else ""


def _ticket_code(attendee) -> str:
    ticket = getattr(attendee, "ticket", None)
    return ticket.code_for_humans if ticket else ""


C = Column

ATTENDEES = Dataset(
    key="attendees",
    title=gettext_lazy("Attendees"),
    queryset=_attendees,
    columns=(
        C("id", gettext_lazy("Registration number"), lambda a: a.pk),
        C("first_name", gettext_lazy("First name"), lambda a: a.first_name),
        C("last_name", gettext_lazy("Last name"), lambda a: a.last_name),
        C("email", gettext_lazy("E-mail"), lambda a: a.email),
        C("phone", gettext_lazy("Phone"), lambda a: a.phone),
        C("country", gettext_lazy("Country"), lambda a: a.country),
        C("region", gettext_lazy("Region of origin"), lambda a: a.region.name if a.region else ""),
        C("category", gettext_lazy("Category"), lambda a: a.get_category_display()),
        C("gender", gettext_lazy("Gender"), lambda a: a.get_gender_display()),
        C("language", gettext_lazy("Language"), lambda a: a.language),
        C("status", gettext_lazy("Status"), lambda a: a.get_status_display()),
        C("source", gettext_lazy("Source"), lambda a: a.get_source_display()),
        C("needs_transport", gettext_lazy("Needs free transport"), lambda a: a.needs_transport),
        C(
            "accessibility_needs",
            gettext_lazy("Accessibility needs"),
            lambda a: a.accessibility_needs,
        ),
        C("registered_at", gettext_lazy("Registered at"), lambda a: a.created_at),
        C("checked_in_at", gettext_lazy("Checked in at"), lambda a: a.gate_checked_in_at),
        C("gate", gettext_lazy("Gate"), lambda a: a.gate_name or ""),
        C("ticket", gettext_lazy("Ticket code"), _ticket_code, default=False),
    ),
)

TRAINING_BOOKINGS = Dataset(
    key="training",
    title=gettext_lazy("Training bookings"),
    queryset=_bookings,
    columns=(
        C("id", gettext_lazy("Booking number"), lambda b: b.pk),
        C("module", gettext_lazy("Training module"), lambda b: b.module.title),
        C("starts_at", gettext_lazy("Session starts at"), lambda b: b.session.starts_at),
        C("room", gettext_lazy("Room"), lambda b: b.session.room),
        C("first_name", gettext_lazy("First name"), lambda b: b.attendee.first_name),
        C("last_name", gettext_lazy("Last name"), lambda b: b.attendee.last_name),
        C("email", gettext_lazy("E-mail"), lambda b: b.attendee.email),
        C("status", gettext_lazy("Status"), lambda b: b.get_status_display()),
        C("walk_in", gettext_lazy("Walk-in at the door"), lambda b: b.walk_in),
        C("booked_at", gettext_lazy("Booked at"), lambda b: b.created_at),
        C("checked_in_at", gettext_lazy("Checked in at"), lambda b: b.checked_in_at),
        C("certificate", gettext_lazy("Certificate code"), _certificate_code),
    ),
)

APPOINTMENTS = Dataset(
    key="appointments",
    title=gettext_lazy("Screening appointments"),
    queryset=_appointments,
    health_data=True,
    columns=(
        C("id", gettext_lazy("Appointment number"), lambda a: a.pk),
        C(
            "service",
            gettext_lazy("Screening service"),
            lambda a: f"{a.service.code} · {a.service.name}",
        ),
        C("slot", gettext_lazy("Slot starts at"), lambda a: a.slot.starts_at),
        C("first_name", gettext_lazy("First name"), lambda a: a.attendee.first_name),
        C("last_name", gettext_lazy("Last name"), lambda a: a.attendee.last_name),
        C("email", gettext_lazy("E-mail"), lambda a: a.attendee.email),
        C("phone", gettext_lazy("Phone"), lambda a: a.attendee.phone),
        C("status", gettext_lazy("Status"), lambda a: a.get_status_display()),
        C("age", gettext_lazy("Age"), lambda a: a.age),
        C("sex", gettext_lazy("Sex"), lambda a: a.sex),
        C("flags", gettext_lazy("Flags"), lambda a: ", ".join(str(f) for f in a.flags or [])),
        C("referral", gettext_lazy("Referral recommended"), lambda a: a.referral_recommended),
        C("note", gettext_lazy("Doctor's note"), lambda a: a.note),
        C("booked_at", gettext_lazy("Booked at"), lambda a: a.created_at),
        C(
            "consent_at",
            gettext_lazy("Health data consent given at"),
            lambda a: a.health_consent_at,
        ),
    ),
)

DATASETS = {d.key: d for d in (ATTENDEES, TRAINING_BOOKINGS, APPOINTMENTS)}


# --- Cell values ------------------------------------------------------------------


def cell(value, *, tz: ZoneInfo, xlsx: bool = False):
    """One value as a spreadsheet cell: local times, yes/no, formulas defused."""
    if value is None:
        return None if xlsx else ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        local = value.astimezone(tz).replace(tzinfo=None, microsecond=0)
        return local if xlsx else local.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value if xlsx else value.isoformat()
    if isinstance(value, str):
        if xlsx or E164.fullmatch(value):
            return value  # XLSX cells are written as text (see xlsx_file)
        return "'" + value if value.startswith(FORMULA_START) else value
    return value


def export_rows(
    dataset: Dataset, columns: list[Column], *, event_id: int, tz: ZoneInfo, xlsx: bool = False
) -> Iterator[list]:
    """The header, then one list of cells per record, read in chunks."""
    yield [str(c.label) for c in columns]
    for obj in dataset.queryset(event_id).iterator(chunk_size=2000):
        yield [cell(c.value(obj), tz=tz, xlsx=xlsx) for c in columns]


# --- Writers ------------------------------------------------------------------------


class _Echo:
    """A file-like object whose ``write`` hands the line back (csv.writer target)."""

    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[list]) -> Iterator[str]:
    """CSV text in batches of lines, starting with the byte order mark."""
    writer = csv.writer(_Echo())
    batch = [BOM]
    for row in rows:
        batch.append(writer.writerow(row))
        if len(batch) >= CSV_BATCH:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def csv_bytes(rows: Iterable[list]) -> bytes:
    return "".join(csv_stream(rows)).encode("utf-8")


def xlsx_file(rows: Iterable[list], *, title: str, bold_header: bool = True):
    """An XLSX workbook written in openpyxl's write-only mode into a temporary file.

    Return the open file, at its start, and its size in bytes. The caller
    closes it (``FileResponse`` does), which deletes it.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_sheet_title(title))
    bold = Font(bold=True)
    for index, row in enumerate(rows):
        cells = []
        for value in row:
            item = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                item.data_type = "s"  # never a formula, whatever the first letter
            if index == 0 and bold_header:
                item.font = bold
            cells.append(item)
        sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response)
    workbook.save(handle)
    size = handle.tell()
    handle.seek(0)
    return handle, size


def xlsx_bytes(rows: Iterable[list], *, title: str) -> bytes:
    handle, _size = xlsx_file(rows, title=title)
    with handle:
        return handle.read()


def _sheet_title(title: str) -> str:
    """Excel's sheet names: at most 31 characters, none of ``[]:*?/\\``."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title))
    return cleaned[:31] or "Sheet"


def filename(*parts: str, ext: str) -> str:
    return "-".join(p for p in parts if p) + f".{ext}"
