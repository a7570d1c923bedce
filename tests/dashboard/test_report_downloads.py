"""The programme report as a page, CSV, XLSX and a one-page PDF: the same
numbers everywhere, because all four render ``programme_report``."""

import csv
import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tests.conftest import rows_for_module
from tests.dashboard.dataset import build_fair

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def fair(django_db_setup, django_db_blocker):
    """Built once: these tests only read it."""
    with rows_for_module(django_db_blocker):
        yield build_fair()


@pytest.fixture
def client(fair):
    client = Client()
    client.force_login(fair.organizer)
    return client


def get(client, fair, fmt):
    response = client.get(reverse("dashboard-report-download", args=[fair.event.slug, fmt]))
    assert response.status_code == 200
    return response


def test_the_report_csv_has_every_figure_with_diacritics(client, fair):
    response = get(client, fair, "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "programme-report.csv" in response["Content-Disposition"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Figure", fair.d1.isoformat(), fair.d2.isoformat(), "Total"]
    by_figure = {row[1]: row[2:] for row in rows[1:]}
    assert by_figure["Participants"] == ["3", "2", "5"]
    assert by_figure["Romania · Timiș"] == ["1", "0", "1"]
    assert by_figure["Serbia · Južno Banatski"] == ["1", "1", "2"]
    assert by_figure["All screenings · referrals recommended"] == ["1", "1", "2"]
    assert by_figure["Participants who asked for free transport"] == ["2", "0", "2"]
    assert by_figure["Female"] == ["1", "1", "2"]


def test_the_report_xlsx_holds_the_same_rows_as_numbers(client, fair):
    response = get(client, fair, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Section", "Figure", fair.d1.isoformat(), fair.d2.isoformat(), "Total"]
    by_figure = {row[1]: row[2:] for row in rows[1:]}
    assert by_figure["Participants"] == [3, 2, 5]
    assert by_figure["Romania · Caraș-Severin"] == [0, 0, 0]
    assert by_figure["All training · certificates issued"] == [1, 1, 2]
    assert by_figure["Returning"] == [1, 0, 1]


def test_the_report_pdf_is_one_page_with_the_key_figures_and_charts(client, fair):
    response = get(client, fair, "pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Cooperation Day — Timișoara" in text
    for figure in ("Registered", "Participants", "Certificates issued", "Referrals recommended"):
        assert figure in text
    assert "Participants 3 2 5" in text
    assert "All screenings · performed 2 1 3" in text
    assert "Participants who asked for free transport 2 0 2" in text
    # Chart labels (the SVG text) come through as text too.
    assert "Serbia · Južno Banatski" in text and "T · Thyroid ultrasound 2" in text
    assert "Female 2" in text


def test_the_report_page_shows_the_sections_and_download_links(client, fair):
    html = client.get(reverse("dashboard-report", args=[fair.event.slug])).text
    for fmt in ("csv", "xlsx", "pdf"):
        assert reverse("dashboard-report-download", args=[fair.event.slug, fmt]) in html
    assert "Participants by country and region of origin" in html
    assert "Participants by gender" in html
    assert html.count('class="chart"') == 4
    assert '<th scope="row">Romania · Timiș</th><td class="n">1</td><td class="n">0</td>' in html


def test_an_unknown_report_format_is_not_found(client, fair):
    url = f"/staff/events/{fair.event.slug}/dashboard/report.doc"
    assert client.get(url).status_code == 404


def test_the_pdf_stays_on_one_page_for_the_whole_programme_area(client, fair):
    from eventhub.demo.fair import load_programme_areas

    load_programme_areas()  # the nine regions of Romania–Serbia (seeds/001)
    reader = PdfReader(io.BytesIO(get(client, fair, "pdf").content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Serbia · Braničevski" in text and "Romania · Mehedinți" in text
