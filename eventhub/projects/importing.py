"""Reading an import file of projects (CSV or JSON) into checked rows.

The format is documented in docs/projects.md. Every row is checked before
anything is written, so a bad file imports nothing; the first problem is
raised as ``ProjectImportInvalid`` naming its row (1 = the first project)
and field.
"""

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.text import slugify
from django.utils.translation import gettext as _

from eventhub.projects.exceptions import ProjectImportInvalid
from eventhub.projects.models import Partner, Project

REQUIRED = (
    "acronym",
    "project_id",
    "title",
    "status",
    "regions",
    "start_date",
    "end_date",
    "budget_eur",
    "description",
)
OPTIONAL = ("theme", "summary", "activities", "expected_impact", "stand", "partners")
LIST_SEPARATOR = "|"
STATUSES = {
    "planned": Project.Status.PLANNED,
    "in progress": Project.Status.IN_PROGRESS,
    "in_progress": Project.Status.IN_PROGRESS,
    "ongoing": Project.Status.IN_PROGRESS,
    "completed": Project.Status.COMPLETED,
    "finished": Project.Status.COMPLETED,
    "closed": Project.Status.COMPLETED,
}
ROLES = {
    "lead": Partner.Role.LEAD,
    "lead partner": Partner.Role.LEAD,
    "partner": Partner.Role.PARTNER,
    "project partner": Partner.Role.PARTNER,
}


@dataclass
class PartnerRow:
    role: str
    name: str
    address: str = ""
    web: str = ""
    funding_eur: Decimal | None = None


@dataclass
class ProjectRow:
    acronym: str
    project_id: str
    title: str
    status: str
    regions: list[str]
    starts_on: dt.date
    ends_on: dt.date
    budget_eur: Decimal
    description: str
    slug: str
    theme: str = ""
    summary: str = ""
    activities: list[str] = field(default_factory=list)
    expected_impact: list[str] = field(default_factory=list)
    stand: int | None = None
    partners: list[PartnerRow] = field(default_factory=list)


def read_project_file(path: str | Path) -> list[ProjectRow]:
    """Read and check a ``.json`` or ``.csv`` file. Raise ProjectImportInvalid."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProjectImportInvalid(str(exc), row=None, field="file") from exc
    if path.suffix.lower() == ".json":
        return parse_json(text)
    if path.suffix.lower() == ".csv":
        return parse_csv(text)
    raise ProjectImportInvalid(_("Use a .csv or a .json file."), row=None, field="file")


def parse_json(text: str) -> list[ProjectRow]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ProjectImportInvalid(
            _("Not valid JSON (line %(line)d).") % {"line": exc.lineno}, row=None, field="file"
        ) from exc
    if isinstance(data, dict):
        data = data.get("projects")
    if not isinstance(data, list):
        raise ProjectImportInvalid(_("Expected a list of projects."), row=None, field="projects")
    rows = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ProjectImportInvalid(_("Expected an object."), row=number, field="project")
        rows.append(_project_row(item, number))
    return _unique(rows)


def parse_csv(text: str) -> list[ProjectRow]:
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in reader.fieldnames or []]
    for name in REQUIRED:
        if name not in columns:
            raise ProjectImportInvalid(_("This column is missing."), row=None, field=name)
    rows = []
    for number, raw in enumerate(reader, start=1):
        item = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k}
        for key in ("regions", "activities", "expected_impact"):
            if key in item:
                item[key] = [p.strip() for p in item[key].split(LIST_SEPARATOR) if p.strip()]
        if item.get("partners"):
            try:
                item["partners"] = json.loads(item["partners"])
            except json.JSONDecodeError as exc:
                raise ProjectImportInvalid(
                    _("Not valid JSON."), row=number, field="partners"
                ) from exc
        rows.append(_project_row(item, number))
    return _unique(rows)


def _unique(rows: list[ProjectRow]) -> list[ProjectRow]:
    seen: dict[str, set] = {"project_id": set(), "slug": set(), "stand": set()}
    for number, row in enumerate(rows, start=1):
        for key in seen:
            value = getattr(row, key)
            if value is None:
                continue
            if value in seen[key]:
                name = "acronym" if key == "slug" else key
                raise ProjectImportInvalid(
                    _("The same value appears twice in the file."), row=number, field=name
                )
            seen[key].add(value)
    return rows


def _text(item: dict, key: str, number: int, *, required: bool, limit: int = 0) -> str:
    value = item.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str | int | float):
        raise ProjectImportInvalid(_("Expected text."), row=number, field=key)
    value = str(value).strip()
    if required and not value:
        raise ProjectImportInvalid(_("This field is required."), row=number, field=key)
    if limit and len(value) > limit:
        raise ProjectImportInvalid(
            _("At most %(limit)d characters.") % {"limit": limit}, row=number, field=key
        )
    return value


def _list(item: dict, key: str, number: int, *, required: bool = False) -> list[str]:
    value = item.get(key) or []
    if isinstance(value, str):
        value = [p.strip() for p in value.split(LIST_SEPARATOR)]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProjectImportInvalid(_("Expected a list of texts."), row=number, field=key)
    value = [v.strip() for v in value if v.strip()]
    if required and not value:
        raise ProjectImportInvalid(_("This field is required."), row=number, field=key)
    return value


def parse_amount(value, *, number: int, key: str, required: bool = True) -> Decimal | None:
    """Euros from "540 600", "540600.00", "(EUR) 540 600" or 540600."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ProjectImportInvalid(_("This field is required."), row=number, field=key)
        return None
    text = re.sub(r"\(?EUR\)?|€|\s", "", str(value), flags=re.IGNORECASE)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0 or amount >= 10**12:
        raise ProjectImportInvalid(
            _("“%(value)s” is not an amount in euros.") % {"value": value},
            row=number,
            field=key,
        )
    return amount.quantize(Decimal("0.01"))


def _date(item: dict, key: str, number: int) -> dt.date:
    value = _text(item, key, number, required=True)
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ProjectImportInvalid(
        _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}, row=number, field=key
    )


def _project_row(item: dict, number: int) -> ProjectRow:
    for name in REQUIRED:
        if name not in item:
            raise ProjectImportInvalid(_("This field is missing."), row=number, field=name)
    acronym = _text(item, "acronym", number, required=True, limit=40)
    slug = slugify(acronym)[:60]
    if not slug:
        raise ProjectImportInvalid(
            _("Use letters or digits in the acronym."), row=number, field="acronym"
        )
    status_text = _text(item, "status", number, required=True).lower()
    if status_text not in STATUSES:
        raise ProjectImportInvalid(
            _("Use planned, in progress or completed."), row=number, field="status"
        )
    starts_on = _date(item, "start_date", number)
    ends_on = _date(item, "end_date", number)
    if ends_on < starts_on:
        raise ProjectImportInvalid(
            _("The end date is before the start date."), row=number, field="end_date"
        )
    stand = item.get("stand")
    if stand in (None, ""):
        stand = None
    else:
        try:
            stand = int(str(stand).strip())
        except ValueError:
            stand = -1
        if stand < 1:
            raise ProjectImportInvalid(
                _("A stand number is a whole number from 1."), row=number, field="stand"
            )
    return ProjectRow(
        acronym=acronym,
        project_id=_text(item, "project_id", number, required=True, limit=60),
        title=_text(item, "title", number, required=True, limit=300),
        status=STATUSES[status_text],
        regions=_list(item, "regions", number, required=True),
        starts_on=starts_on,
        ends_on=ends_on,
        budget_eur=parse_amount(item.get("budget_eur"), number=number, key="budget_eur"),
        description=_text(item, "description", number, required=True),
        slug=slug,
        theme=_text(item, "theme", number, required=False, limit=80),
        summary=_text(item, "summary", number, required=False),
        activities=_list(item, "activities", number),
        expected_impact=_list(item, "expected_impact", number),
        stand=stand,
        partners=_partners(item.get("partners"), number),
    )


def _partners(value, number: int) -> list[PartnerRow]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        raise ProjectImportInvalid(_("Expected a list of partners."), row=number, field="partners")
    partners = []
    for index, raw in enumerate(value, start=1):
        key = f"partners[{index}]"
        if not isinstance(raw, dict):
            raise ProjectImportInvalid(_("Expected an object."), row=number, field=key)
        role = str(raw.get("role") or raw.get("type") or "").strip().lower()
        if role not in ROLES:
            raise ProjectImportInvalid(_("Use lead or partner."), row=number, field=f"{key}.role")
        name = str(raw.get("name") or "").strip()
        if not name:
            raise ProjectImportInvalid(
                _("This field is required."), row=number, field=f"{key}.name"
            )
        partners.append(
            PartnerRow(
                role=ROLES[role],
                name=name[:300],
                address=str(raw.get("address") or "").strip()[:300],
                web=str(raw.get("web") or "").strip()[:200],
                funding_eur=parse_amount(
                    raw.get("funding_eur"), number=number, key=f"{key}.funding_eur", required=False
                ),
            )
        )
    return partners
