"""The stand sign's QR code, read back from the PDF, opens the project's
page; from their ticket page a visitor collects each stand's stamp once;
the report counts visits per stand and names nobody."""

import pytest
from django.test import Client

from eventhub.core.models import StaffRole
from eventhub.projects.models import StandVisit
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory
from tests.pdf_tools import decode_pdf_qr, needs_poppler
from tests.projects.helpers import JPVS, LAPNET, put_projects

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    event = EventFactory()
    return event, put_projects(event, JPVS, LAPNET)


def organizer_client(event):
    client = Client()
    client.force_login(StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user)
    return client


@needs_poppler
def test_the_sign_qr_decodes_to_the_project_page_with_the_stamp_code(fair, tmp_path, settings):
    settings.SITE_URL = "https://fair.example.org"
    event, projects = fair
    response = organizer_client(event).get(f"/staff/events/{event.slug}/projects/jpvs/sign.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    jpvs = projects["JPVS"]
    url = f"https://fair.example.org/e/{event.slug}/projects/jpvs/?stamp={jpvs.stamp_code}"
    assert decode_pdf_qr(response.content, tmp_path) == [url]
    page = Client().get(url.removeprefix("https://fair.example.org"))
    assert page.status_code == 200 and "HUSKROUA/23/RI/2.1/047" in page.content.decode()


def test_the_sign_is_for_organizers_only(fair):
    event, _ = fair
    url = f"/staff/events/{event.slug}/projects/jpvs/sign.pdf"
    assert Client().get(url).status_code == 302
    volunteer = Client()
    volunteer.force_login(StaffRoleFactory(event=event, role=StaffRole.Role.VOLUNTEER).user)
    assert volunteer.get(url).status_code == 403


def test_scanning_a_stand_from_the_ticket_page_stamps_the_card_once(fair):
    event, projects = fair
    attendee = AttendeeFactory(event=event, language="en")
    code = attendee.ticket.manage_key
    client = Client()
    jpvs = projects["JPVS"]
    scanned = f"http://testserver/e/{event.slug}/projects/jpvs/?stamp={jpvs.stamp_code}"

    first = client.post(f"/t/{code}/stamps/", {"scanned": scanned}, follow=True)
    assert "Stamp collected: stand 7, JPVS." in first.content.decode()
    again = client.post(f"/t/{code}/stamps/", {"scanned": jpvs.stamp_code.lower()}, follow=True)
    assert "You already have the stamp of stand 7, JPVS." in again.content.decode()
    assert StandVisit.objects.filter(ticket=attendee.ticket).count() == 1

    ticket_page = client.get(f"/t/{code}/").content.decode()
    assert "Stands visited: 1 of 2" in ticket_page
    assert f'href="/t/{code}/stamps/"' in ticket_page


def test_a_wrong_code_or_another_fairs_stand_stamps_nothing(fair):
    event, projects = fair
    other_event = EventFactory()
    other = put_projects(other_event, JPVS)["JPVS"]
    attendee = AttendeeFactory(event=event, language="en")
    client = Client()
    for scanned in ("NOTACODE", other.stamp_code, f"/e/{event.slug}/projects/jpvs/"):
        response = client.post(f"/t/{attendee.ticket.manage_key}/stamps/", {"scanned": scanned})
        assert response.status_code == 400
        assert "This is not the code of a stand at this fair." in response.content.decode()
    assert not StandVisit.objects.exists()


def test_a_cancelled_ticket_collects_no_stamps(fair):
    event, projects = fair
    attendee = AttendeeFactory(event=event, status="cancelled")
    response = Client().post(
        f"/t/{attendee.ticket.manage_key}/stamps/", {"scanned": projects["JPVS"].stamp_code}
    )
    assert response.status_code == 404
    assert not StandVisit.objects.exists()


def test_the_report_counts_visits_per_stand_without_names(fair):
    event, projects = fair
    people = [AttendeeFactory(event=event, first_name="Zorica") for _ in range(3)]
    for person in people:
        StandVisit.objects.create(project=projects["JPVS"], ticket=person.ticket)
    StandVisit.objects.create(project=projects["LapNet"], ticket=people[0].ticket)
    response = organizer_client(event).get(f"/staff/events/{event.slug}/dashboard/report/")
    html = response.content.decode()
    section = html[html.index('id="section-stands"') :]
    section = section[: section.index("</section>")]
    assert '<td>7</td><th scope="row">JPVS</th><td class="n">3</td>' in section
    assert '<td>3</td><th scope="row">LapNet</th><td class="n">1</td>' in section
    assert "Zorica" not in section and people[0].last_name not in section


def test_the_report_links_each_stand_sign(fair):
    event, _ = fair
    html = organizer_client(event).get(f"/staff/events/{event.slug}/dashboard/report/").text
    assert f'href="/staff/events/{event.slug}/projects/jpvs/sign.pdf"' in html


def test_the_holders_data_export_lists_their_stamps(fair):
    event, projects = fair
    attendee = AttendeeFactory(event=event, language="en")
    StandVisit.objects.create(project=projects["LapNet"], ticket=attendee.ticket)
    exported = Client().get(f"/t/{attendee.ticket.manage_key}/my-data.json").json()
    assert [s["project"] for s in exported["stand_stamps"]] == ["LapNet"]
    assert exported["stand_stamps"][0]["stand"] == 3
