"""The programme report and the dashboard's figures against a known fair
(tests/dashboard/dataset.py): every number is spelled out."""

import pytest

from eventhub.dashboard.selectors import dashboard_figures, programme_report, report_table
from tests.conftest import rows_for_module
from tests.dashboard.dataset import build_fair

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def fair(django_db_setup, django_db_blocker):
    """Built once: these tests only read it."""
    with rows_for_module(django_db_blocker):
        yield build_fair()


def rows(report, key):
    """{label: (values per day..., total)} of one section."""
    return {row.label: (*row.values, row.total) for row in report.section(key).rows}


def test_the_report_runs_over_the_two_days_of_the_fair(fair):
    report = programme_report(event=fair.event)
    assert report.days == [fair.d1, fair.d2]
    assert rows(report, "participants") == {"Participants": (3, 2, 5)}


def test_participants_by_country_and_region_list_the_whole_programme_area(fair):
    report = programme_report(event=fair.event)
    assert list(rows(report, "origin").items()) == [
        ("Romania · Caraș-Severin", (0, 0, 0)),
        ("Romania · Timiș", (1, 0, 1)),
        ("Serbia · Južno Banatski", (1, 1, 2)),
        ("Serbia · outside the programme area", (1, 0, 1)),
        ("Origin not given", (0, 1, 1)),
    ]


def test_participants_by_category_include_empty_categories(fair):
    categories = rows(programme_report(event=fair.event), "category")
    assert categories == {
        "Citizen": (1, 2, 3),
        "Stakeholder / project beneficiary": (1, 0, 1),
        "Public authority": (0, 0, 0),
        "Medical professional": (1, 0, 1),
        "Student": (0, 0, 0),
        "Press": (0, 0, 0),
    }


def test_returning_means_an_active_registration_at_an_earlier_event_of_the_programme(fair):
    # Ștefan registered at an earlier fair (e-mail in another case): returning.
    # Ana's earlier registration was cancelled, Milica's is at a later fair:
    # both first-time. Ioana gave no e-mail.
    assert rows(programme_report(event=fair.event), "returning") == {
        "First time": (2, 1, 3),
        "Returning": (1, 0, 1),
        "Unknown (no e-mail address)": (0, 1, 1),
    }


def test_gender_counts_everyone_admitted_not_answering_is_prefer_not_to_say(fair):
    assert rows(programme_report(event=fair.event), "gender") == {
        "Prefer not to say": (1, 1, 2),
        "Female": (1, 1, 2),
        "Male": (1, 0, 1),
        "Other": (0, 0, 0),
    }


def test_training_participants_and_certificates_per_module_and_day(fair):
    assert rows(programme_report(event=fair.event), "training") == {
        "Basic life support · participants": (2, 0, 2),
        "Basic life support · certificates issued": (1, 0, 1),
        "First aid for children · participants": (0, 1, 1),
        "First aid for children · certificates issued": (0, 1, 1),
        "All training · participants": (2, 1, 3),
        "All training · certificates issued": (1, 1, 2),
    }


def test_screenings_performed_and_referrals_per_service_and_day(fair):
    assert rows(programme_report(event=fair.event), "screenings") == {
        "T · Thyroid ultrasound · performed": (2, 0, 2),
        "T · Thyroid ultrasound · referrals recommended": (1, 0, 1),
        "B · Breast screening · performed": (0, 1, 1),
        "B · Breast screening · referrals recommended": (0, 1, 1),
        "All screenings · performed": (2, 1, 3),
        "All screenings · referrals recommended": (1, 1, 2),
    }


def test_free_transport_counts_participants_and_active_registrations(fair):
    report = programme_report(event=fair.event)
    assert rows(report, "transport") == {"Participants who asked for free transport": (2, 0, 2)}
    # Ștefan, Đorđe and Maria (not checked in); Elena cancelled.
    assert report.summary["transport_registered"] == 3


def test_the_summary_repeats_the_sections_totals(fair):
    assert programme_report(event=fair.event).summary == {
        "registered": 7,
        "participants": 5,
        "returning": 1,
        "training_participants": 3,
        "certificates": 2,
        "screenings_performed": 3,
        "referrals": 2,
        "transport_registered": 3,
        "transport_participants": 2,
        "transport_seats": 0,
    }


def test_the_report_table_has_a_header_and_one_row_per_figure(fair):
    report = programme_report(event=fair.event)
    table = report_table(report)
    assert table[0] == ["Section", "Figure", fair.d1.isoformat(), fair.d2.isoformat(), "Total"]
    assert ["Participants (admitted at the gate)", "Participants", 3, 2, 5] in table
    assert ["Participants by gender", "Female", 1, 1, 2] in table


def test_the_dashboard_figures(fair):
    figures = dashboard_figures(event=fair.event)
    live = figures["live"]
    assert (live["registered"], live["confirmed"], live["waitlisted"]) == (7, 6, 1)
    assert (live["checked_in"], live["capacity"]) == (5, 6)
    assert live["by_gate"] == {"North": 3, "South": 2}
    assert [(s["module"], s["booked"], s["free"], s["checked_in"]) for s in live["training"]] == [
        ("Basic life support", 2, 13, 2),
        ("First aid for children", 1, 9, 1),
    ]
    assert live["screenings"] == [
        {"code": "T", "name": "Thyroid ultrasound", "waiting": 1, "served": 2},
        {"code": "B", "name": "Breast screening", "waiting": 0, "served": 1},
    ]
    hours = figures["check_ins_by_hour"]
    d1, d2 = fair.d1.strftime("%m-%d"), fair.d2.strftime("%m-%d")
    assert hours[0] == (f"{d1} 10:00", 2)
    assert hours[1] == (f"{d1} 11:00", 1)
    assert hours[-2:] == [(f"{d2} 09:00", 1), (f"{d2} 10:00", 1)]
    assert len(hours) == 25 and sum(n for _, n in hours) == 5
    # Everyone registered today (the factories); cancelled Elena is left out.
    assert [(n, running) for _day, n, running in figures["registrations_by_day"]] == [(7, 7)]
    no_shows = figures["no_shows"]
    assert no_shows["gate"] == 1  # Maria
    assert no_shows["training"] == [
        {"label": "Basic life support · 11:00", "count": 1},
        {"label": "First aid for children · 12:00", "count": 0},
    ]
    assert no_shows["screenings"] == [
        {"label": "T · Thyroid ultrasound", "count": 1},
        {"label": "B · Breast screening", "count": 0},
    ]
