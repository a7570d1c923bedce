"""``manage.py import_projects EVENT FILE``: the seed's record comes in whole
from JSON or CSV; a bad row names its row and field and imports nothing."""

import csv
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from eventhub.projects.models import Project
from tests.factories import EventFactory
from tests.projects.helpers import JPVS, LAPNET, record

pytestmark = pytest.mark.django_db

CSV_COLUMNS = [
    "acronym",
    "project_id",
    "title",
    "status",
    "theme",
    "regions",
    "start_date",
    "end_date",
    "budget_eur",
    "stand",
    "description",
    "activities",
    "partners",
]


def write_json(tmp_path, records, name="projects.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return str(path)


def write_csv(tmp_path, records, columns=CSV_COLUMNS):
    path = tmp_path / "projects.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for item in records:
            row = dict(item)
            row["regions"] = "|".join(item["regions"])
            row["activities"] = "|".join(item.get("activities", []))
            row["partners"] = json.dumps(item.get("partners", []), ensure_ascii=False)
            writer.writerow(row)
    return str(path)


def test_the_seed_record_comes_in_whole_from_json(tmp_path, capsys):
    event = EventFactory()
    call_command("import_projects", event.slug, write_json(tmp_path, [JPVS, LAPNET]))
    assert "Imported 2 projects (2 new, 0 updated)" in capsys.readouterr().out
    jpvs = Project.objects.get(event=event, acronym="JPVS")
    assert jpvs.project_id == "HUSKROUA/23/RI/2.1/047"
    assert jpvs.status == Project.Status.IN_PROGRESS
    assert jpvs.budget_eur == Decimal("540600.00")
    assert jpvs.regions == ["Chernivetska oblast", "Județul Suceava"]
    assert str(jpvs.starts_on) == "2025-02-01" and str(jpvs.ends_on) == "2026-09-30"
    assert jpvs.stand == 7
    partners = list(jpvs.partners.values_list("role", "name", "funding_eur"))
    assert partners == [
        ("lead", JPVS["partners"][0]["name"], Decimal("230157.00")),
        ("partner", "Suceava County Council", Decimal("256384.00")),
    ]


def test_the_same_records_come_in_from_csv_with_partners_as_a_json_column(tmp_path):
    event = EventFactory()
    call_command("import_projects", event.slug, write_csv(tmp_path, [JPVS, LAPNET]))
    jpvs = Project.objects.get(event=event, acronym="JPVS")
    assert jpvs.regions == ["Chernivetska oblast", "Județul Suceava"]
    assert jpvs.activities == JPVS["activities"]
    assert jpvs.partners.count() == 2
    assert Project.objects.get(event=event, acronym="LapNet").stand == 3


def test_importing_again_updates_by_project_id_and_replaces_partners(tmp_path, capsys):
    event = EventFactory()
    call_command("import_projects", event.slug, write_json(tmp_path, [JPVS]))
    changed = record(stand=9, partners=[{"role": "lead", "name": "Suceava County Council"}])
    call_command("import_projects", event.slug, write_json(tmp_path, [changed], "again.json"))
    assert "(0 new, 1 updated)" in capsys.readouterr().out
    jpvs = Project.objects.get(event=event)
    assert jpvs.stand == 9
    assert list(jpvs.partners.values_list("name", flat=True)) == ["Suceava County Council"]


@pytest.mark.parametrize(
    ("bad", "row", "field"),
    [
        ({"budget_eur": "abc"}, 2, "budget_eur"),
        ({"start_date": "soon"}, 2, "start_date"),
        ({"status": "dreaming"}, 2, "status"),
        ({"stand": "A"}, 2, "stand"),
        ({"partners": [{"role": "boss", "name": "X"}]}, 2, "partners[1].role"),
        (
            {"partners": [{"role": "lead", "name": "X", "funding_eur": "lots"}]},
            2,
            "partners[1].funding_eur",
        ),
    ],
)
def test_a_bad_row_names_its_row_and_field_and_imports_nothing(tmp_path, bad, row, field):
    event = EventFactory()
    path = write_json(tmp_path, [LAPNET, record(**bad)])
    with pytest.raises(CommandError) as caught:
        call_command("import_projects", event.slug, path)
    message = str(caught.value)
    assert f"Row {row}, {field}:" in message
    assert "Nothing was imported." in message
    assert not Project.objects.filter(event=event).exists()


def test_a_csv_without_a_required_column_names_the_column(tmp_path):
    event = EventFactory()
    columns = [c for c in CSV_COLUMNS if c != "budget_eur"]
    with pytest.raises(CommandError, match="budget_eur: This column is missing"):
        call_command("import_projects", event.slug, write_csv(tmp_path, [JPVS], columns))
    assert not Project.objects.exists()


def test_a_budget_abc_in_csv_is_refused_with_its_row(tmp_path):
    event = EventFactory()
    path = write_csv(tmp_path, [LAPNET, {**JPVS, "budget_eur": "abc"}])
    with pytest.raises(CommandError, match=r"Row 2, budget_eur: “abc” is not an amount in euros"):
        call_command("import_projects", event.slug, path)
    assert not Project.objects.exists()


def test_a_project_id_twice_in_one_file_is_refused(tmp_path):
    event = EventFactory()
    path = write_json(tmp_path, [JPVS, record(acronym="JPVS2")])
    with pytest.raises(CommandError, match="Row 2, project_id:"):
        call_command("import_projects", event.slug, path)
    assert not Project.objects.exists()


def test_an_unknown_event_or_file_type_is_a_clear_error(tmp_path):
    event = EventFactory()
    with pytest.raises(CommandError, match="No event with the slug"):
        call_command("import_projects", "nowhere", write_json(tmp_path, [JPVS]))
    other = tmp_path / "projects.txt"
    other.write_text("x")
    with pytest.raises(CommandError, match="Use a .csv or a .json file"):
        call_command("import_projects", event.slug, str(other))
