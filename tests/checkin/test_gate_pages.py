"""The gate's HTML pages: scanner, attendance, printable PDF list, paper check-ins."""

import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from eventhub.core.models import StaffRole
from registrations.models import Attendee, CheckIn
from registrations.services.checkin import ticket_check_in
from tests.factories import AttendeeFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db
Role = StaffRole.Role


def logged_in(event, role):
    client = Client()
    client.force_login(StaffRoleFactory(event=event, role=role).user)
    return client


def test_the_scanner_page_is_for_volunteers_and_organizers(event, client):
    url = reverse("checkin-scanner", args=[event.slug])
    assert client.get(url).status_code == 302  # to the login page
    assert logged_in(event, Role.DOCTOR).get(url).status_code == 403
    page = logged_in(event, Role.VOLUNTEER).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="scan-input"' in html and "scanner-config" in html
    assert "js/scanner.js" in html and "vendor/jsqr/jsQR.js" in html


def test_the_scanner_page_speaks_romanian(event):
    client = logged_in(event, Role.VOLUNTEER)
    page = client.get(reverse("checkin-scanner", args=[event.slug]), HTTP_ACCEPT_LANGUAGE="ro")
    assert "Scan a ticket or type its code" not in page.content.decode()


def test_organizer_pages_refuse_volunteers(event):
    volunteer = logged_in(event, Role.VOLUNTEER)
    for name in ("checkin-attendance", "checkin-print", "checkin-paper"):
        assert volunteer.get(reverse(name, args=[event.slug])).status_code == 403


def test_attendance_page_shows_the_totals(event):
    AttendeeFactory(event=event)
    page = logged_in(event, Role.ORGANIZER).get(reverse("checkin-attendance", args=[event.slug]))
    assert page.status_code == 200
    assert f"/ws/events/{event.slug}/stats/" in page.content.decode()


def test_printable_list_is_an_alphabetical_pdf_of_confirmed_attendees(event, tmp_path):
    AttendeeFactory(event=event, first_name="Zoran", last_name="Živković")
    AttendeeFactory(event=event, first_name="Ștefan", last_name="Mureșan")
    AttendeeFactory(event=event, first_name="Ana", last_name="Albu")
    AttendeeFactory(event=event, last_name="Gone", status=Attendee.Status.CANCELLED)
    response = logged_in(event, Role.ORGANIZER).get(reverse("checkin-print", args=[event.slug]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    pdf = tmp_path / "list.pdf"
    pdf.write_bytes(response.content)
    try:
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
    except FileNotFoundError:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    assert text.index("Albu") < text.index("Mureșan") < text.index("Živković")
    assert "Gone" not in text
    albu = Attendee.objects.get(last_name="Albu")
    assert albu.ticket.code_for_humans in text


def test_paper_check_ins_are_entered_from_the_ticked_list(event):
    ana, ion = AttendeeFactory(event=event), AttendeeFactory(event=event)
    organizer = logged_in(event, Role.ORGANIZER)
    url = reverse("checkin-paper", args=[event.slug])
    page = organizer.get(url)
    assert ana.ticket.code in page.content.decode()
    response = organizer.post(
        url, {"tickets": [ana.ticket.code], "codes": "", "time": "10:30", "gate": "Paper"}
    )
    assert response.status_code == 302
    check_in = CheckIn.objects.get(ticket=ana.ticket)
    assert check_in.method == "paper" and check_in.gate == "Paper"
    # Typed codes too; an already-admitted one is reported, not counted twice.
    response = organizer.post(
        url, {"codes": f"{ana.ticket.code}\n{ion.ticket.code_for_humans}", "gate": "P"}
    )
    assert response.status_code == 200
    assert "Already checked in, not counted twice" in response.content.decode()
    assert "already_checked_in" not in response.content.decode()
    assert CheckIn.objects.filter(ticket=ion.ticket).exists()


def test_a_paper_batch_enters_everyone_it_can_and_lists_who_was_already_in(event):
    ana, ion, vera = (AttendeeFactory(event=event, first_name=n) for n in ("Ana", "Ion", "Vera"))
    organizer = logged_in(event, Role.ORGANIZER)
    url = reverse("checkin-paper", args=[event.slug])
    page = organizer.get(url).content.decode()
    assert all(p.ticket.code in page for p in (ana, ion, vera))
    # While the list was being ticked, Ion was admitted at the gate.
    ticket_check_in(event_id=event.pk, payload=ion.ticket.code, gate="North")

    ticked = [ana.ticket.code, ion.ticket.code, vera.ticket.code]
    response = organizer.post(url, {"tickets": ticked, "codes": "", "gate": "Paper"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tick at least one person" not in html
    assert CheckIn.objects.filter(ticket__in=[ana.ticket, vera.ticket], method="paper").count() == 2
    assert CheckIn.objects.filter(ticket=ion.ticket).get().gate == "North"
    assert "2 check-ins entered." in html
    already = html.split('id="already-in"')[1].split("</div>")[0]
    assert ion.full_name in already and "North" in already
    assert ana.full_name not in already


def test_an_empty_paper_form_says_what_to_fix(event):
    response = logged_in(event, Role.ORGANIZER).post(
        reverse("checkin-paper", args=[event.slug]), {"codes": "", "gate": "Paper"}
    )
    assert response.status_code == 200
    assert "Tick at least one person" in response.content.decode()


def test_search_finds_people_by_name_or_email_for_volunteers_only(event, staff_client):
    AttendeeFactory(event=event, first_name="Milica", last_name="Jovanović", email="mj@example.rs")
    AttendeeFactory(event=event, first_name="Andrei", last_name="Ionescu")
    url = reverse("api-checkin-search", args=[event.slug])
    volunteer = staff_client(event, Role.VOLUNTEER)
    rows = volunteer.get(url, {"q": "milica jov"}).json()
    assert [r["display_name"] for r in rows] == ["Milica Jovanović"]
    assert rows[0]["email"] == "mj***@example.rs" and rows[0]["checked_in_at"] is None
    assert [r["display_name"] for r in volunteer.get(url, {"q": "MJ@EXAMPLE"}).json()] == [
        "Milica Jovanović"
    ]
    assert volunteer.get(url, {"q": "x"}).json() == []
    assert staff_client(event, Role.DOCTOR).get(url, {"q": "milica"}).status_code == 403


def test_search_shows_who_is_already_in(event, staff_client):
    ana = AttendeeFactory(event=event, first_name="Ana", last_name="Albu")
    ticket_check_in(event_id=event.pk, payload=ana.ticket.code)
    rows = (
        staff_client(event, Role.VOLUNTEER)
        .get(reverse("api-checkin-search", args=[event.slug]), {"q": "albu"})
        .json()
    )
    assert rows[0]["checked_in_at"] is not None


def test_lists_file_accented_names_under_their_letter():
    from registrations.selectors.checkin import alphabetical_key

    names = ["Živković", "Petrović", "Čolić", "Đorđević", "Albu", "Dumitrescu", "Ștefan"]
    assert sorted(names, key=alphabetical_key) == [
        "Albu",
        "Čolić",
        "Đorđević",
        "Dumitrescu",
        "Petrović",
        "Ștefan",
        "Živković",
    ]


def test_attendance_api_gives_the_totals_per_gate(event, staff_client):
    ana, _ion = AttendeeFactory(event=event), AttendeeFactory(event=event)
    ticket_check_in(event_id=event.pk, payload=ana.ticket.code, gate="North")
    body = (
        staff_client(event, Role.VOLUNTEER).get(reverse("api-attendance", args=[event.slug])).json()
    )
    assert body == {
        "registered": 2,
        "confirmed": 2,
        "waitlisted": 0,
        "checked_in": 1,
        "capacity": event.capacity,
        "by_gate": {"North": 1},
        "double_entries": 0,
    }
