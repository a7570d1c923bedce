"""The consultation's pages: answering online from the event page and the
ticket page, paper forms typed in by staff, the tablet kiosk that starts
over after each answer, and the organizers' results with their downloads."""

import io

import openpyxl
import pytest
from django.test import Client

from eventhub.consultation.models import Response
from eventhub.core.models import Kiosk, StaffRole
from tests.consultation.helpers import CITIZEN_ANSWERS, form_data, questionnaires, timis
from tests.factories import AttendeeFactory, EventFactory, KioskFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    event = EventFactory()
    return event, questionnaires(event), timis(event)


def logged_in(event, role):
    client = Client()
    client.force_login(StaffRoleFactory(event=event, role=role).user)
    return client


def test_the_event_page_links_to_the_consultation(fair):
    event, _, _ = fair
    html = Client().get(f"/e/{event.slug}/").content.decode()
    assert f'href="/e/{event.slug}/consultation/"' in html
    index = Client().get(f"/e/{event.slug}/consultation/").content.decode()
    assert f'href="/e/{event.slug}/consultation/citizen/"' in index
    assert f'href="/e/{event.slug}/consultation/stakeholder/"' in index


def test_the_form_shows_every_question_in_romanian(fair):
    event, _, _ = fair
    client = Client(headers={"accept-language": "ro"})
    html = client.get(f"/e/{event.slug}/consultation/stakeholder/").content.decode()
    assert html.count('class="question card') == 10
    assert "Ce tip de organizație reprezentați?" in html
    assert "Timiș (RO)" in html


def test_answering_online_stores_an_anonymous_answer(fair):
    event, surveys, region = fair
    response = Client().post(
        f"/e/{event.slug}/consultation/citizen/", form_data(CITIZEN_ANSWERS, region=region.pk)
    )
    assert response.status_code == 302
    assert response["Location"] == f"/e/{event.slug}/consultation/thanks/"
    stored = Response.objects.get()
    assert stored.answers == CITIZEN_ANSWERS and stored.contact_ok is False
    assert stored.ticket is None and stored.channel == "online"


def test_a_wrong_form_keeps_every_answer_and_names_what_to_fix(fair):
    event, _, region = fair
    data = form_data({**CITIZEN_ANSWERS, "better_life": ""}, region=region.pk)
    response = Client().post(f"/e/{event.slug}/consultation/citizen/", data)
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="err-better_life"' in html and "This question needs an answer." in html
    assert 'value="tourism" checked' in html and 'value="yes" checked' in html
    assert "A bus line from Vršac to Timișoara</textarea>" in html
    assert f'value="{region.pk}" selected' in html
    assert not Response.objects.exists()


def test_ticking_contact_keeps_name_and_email(fair):
    event, _, region = fair
    data = form_data(
        CITIZEN_ANSWERS,
        region=region.pk,
        contact_ok="on",
        contact_name="Ana Ionescu",
        contact_email="ana@example.org",
    )
    Client().post(f"/e/{event.slug}/consultation/citizen/", data)
    stored = Response.objects.get()
    assert (stored.contact_name, stored.contact_email) == ("Ana Ionescu", "ana@example.org")


def test_from_the_ticket_page_the_answer_is_linked_once(fair):
    event, surveys, region = fair
    attendee = AttendeeFactory(event=event)
    code = attendee.ticket.manage_key
    client = Client()
    ticket_page = client.get(f"/t/{code}/").content.decode()
    assert f'href="/t/{code}/consultation/citizen/"' in ticket_page
    response = client.post(
        f"/t/{code}/consultation/citizen/", form_data(CITIZEN_ANSWERS, region="other")
    )
    assert response["Location"] == f"/t/{code}/"
    assert Response.objects.get().ticket == attendee.ticket
    again = client.get(f"/t/{code}/consultation/citizen/")
    assert again.status_code == 302
    assert Response.objects.count() == 1
    assert (
        f'href="/t/{code}/consultation/citizen/"' not in client.get(f"/t/{code}/").content.decode()
    )


def test_staff_type_in_paper_forms(fair):
    event, surveys, region = fair
    url = f"/staff/events/{event.slug}/consultation/citizen/paper/"
    assert Client().get(url).status_code == 302
    volunteer = logged_in(event, StaffRole.Role.VOLUNTEER)
    assert volunteer.get(url).status_code == 200
    response = volunteer.post(url, form_data(CITIZEN_ANSWERS, region=region.pk), follow=True)
    assert "Paper form saved." in response.content.decode()
    assert "1 paper form entered so far." in response.content.decode()
    stored = Response.objects.get()
    assert stored.channel == "paper" and stored.entered_by is not None
    assert logged_in(EventFactory(), StaffRole.Role.ORGANIZER).get(url).status_code == 403


def test_the_survey_kiosk_thanks_and_starts_over_after_each_answer(fair):
    event, surveys, region = fair
    kiosk = KioskFactory(event=event, kind=Kiosk.Kind.SURVEY)
    client = Client()
    start = client.get(f"/kiosk/{kiosk.token}/").content.decode()
    assert f'href="/kiosk/{kiosk.token}/survey/citizen/"' in start
    form = client.get(f"/kiosk/{kiosk.token}/survey/citizen/").content.decode()
    assert 'name="contact_email"' not in form  # a shared tablet asks for no contact
    response = client.post(
        f"/kiosk/{kiosk.token}/survey/citizen/", form_data(CITIZEN_ANSWERS, region=region.pk)
    )
    assert response["Location"] == f"/kiosk/{kiosk.token}/?done=1"
    thanks = client.get(response["Location"]).content.decode()
    assert f'http-equiv="refresh" content="6;url=/kiosk/{kiosk.token}/"' in thanks
    assert Response.objects.get().channel == "kiosk"
    second = client.post(
        f"/kiosk/{kiosk.token}/survey/citizen/", form_data(CITIZEN_ANSWERS, region="other")
    )
    assert second.status_code == 302 and Response.objects.count() == 2


def test_another_kind_of_kiosk_cannot_take_answers(fair):
    event, _, region = fair
    stats = KioskFactory(event=event, kind=Kiosk.Kind.STATS)
    response = Client().post(
        f"/kiosk/{stats.token}/survey/citizen/", form_data(CITIZEN_ANSWERS, region=region.pk)
    )
    assert response.status_code == 404
    assert not Response.objects.exists()


@pytest.fixture
def answered(fair, api_client):
    event, surveys, region = fair
    survey = surveys["citizen"]
    for answers, where in (
        (CITIZEN_ANSWERS, region.pk),
        ({**CITIZEN_ANSWERS, "noticed": ["health"], "idea": "=HYPERLINK(1)"}, "other"),
    ):
        api_client.post(
            f"/api/v1/surveys/{survey.pk}/responses/",
            {"answers": answers, "region": where},
            format="json",
        )
    return event, survey, region


def test_the_results_page_has_a_chart_and_table_per_question(answered):
    event, survey, region = answered
    organizer = logged_in(event, StaffRole.Role.ORGANIZER)
    url = f"/staff/events/{event.slug}/dashboard/consultation/{survey.pk}/"
    html = organizer.get(url).content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart"') == 5  # 4 + regions
    assert '<th scope="row">Health care</th><td class="n">2</td>' in html
    assert '<th scope="row">Tourism and culture</th><td class="n">1</td>' in html
    assert "A bus line from Vršac to Timișoara" in html
    filtered = organizer.get(url + "?region=other").content.decode()
    assert '<th scope="row">Tourism and culture</th><td class="n">0</td>' in filtered
    assert logged_in(event, StaffRole.Role.VOLUNTEER).get(url).status_code == 403


def test_the_answers_download_as_csv_and_xlsx(answered):
    event, survey, region = answered
    organizer = logged_in(event, StaffRole.Role.ORGANIZER)
    base = f"/staff/events/{event.slug}/dashboard/consultation/{survey.pk}/answers"
    csv_text = organizer.get(base + ".csv").content.decode("utf-8-sig")
    lines = csv_text.strip().splitlines()
    assert lines[0] == "Answer,Answered at,Channel,Region,heard,noticed,better_life,priority,idea"
    assert "Timiș (RO),yes,health; tourism,4,health,A bus line" in lines[1]
    assert lines[2].endswith(",'=HYPERLINK(1)")  # a formula is defused
    book = openpyxl.load_workbook(io.BytesIO(organizer.get(base + ".xlsx").content))
    rows = list(book.active.values)
    assert rows[0][4:] == ("heard", "noticed", "better_life", "priority", "idea")
    assert len(rows) == 3
    assert logged_in(event, StaffRole.Role.VOLUNTEER).get(base + ".csv").status_code == 403


def test_the_programme_report_links_each_questionnaire_with_its_count(answered):
    event, survey, _ = answered
    html = (
        logged_in(event, StaffRole.Role.ORGANIZER)
        .get(f"/staff/events/{event.slug}/dashboard/report/")
        .content.decode()
    )
    section = html[html.index('id="section-consultation"') :]
    assert 'Interreg LISTENS: questions for citizens</th><td class="n">2</td>' in section
    assert f'href="/staff/events/{event.slug}/dashboard/consultation/{survey.pk}/"' in section


def test_free_texts_never_reach_the_public(answered, api_client):
    event, survey, _ = answered
    public = [
        Client().get(f"/e/{event.slug}/consultation/").content.decode(),
        Client().get(f"/e/{event.slug}/consultation/citizen/").content.decode(),
        api_client.get(f"/api/v1/events/{event.slug}/surveys/").content.decode(),
    ]
    assert not any("A bus line" in text for text in public)


def test_the_staff_home_links_the_paper_forms_for_volunteers(fair):
    event, _, _ = fair
    html = logged_in(event, StaffRole.Role.VOLUNTEER).get("/staff/").text
    assert f'href="/staff/events/{event.slug}/consultation/citizen/paper/"' in html
    assert f'href="/staff/events/{event.slug}/consultation/stakeholder/paper/"' in html
    doctor = logged_in(event, StaffRole.Role.DOCTOR).get("/staff/").text
    assert "/paper/" not in doctor
