"""The fair's own texts in the visitor's language (issue 13, docs/i18n.md).

The demo fair is written in English, Romanian and Serbian (Latin); a
Serbian attendee's pages, PDF, e-mail and calendar file carry none of the
English, the API answers in the language asked for, the admin edits the
three side by side and an empty translation falls back to English.
"""

import html
import json
import re
import subprocess
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from eventhub.core.models import Event, Kiosk, StaffRole
from eventhub.demo.fair import DEMO_SLUG
from registrations.models import Attendee, CheckIn
from registrations.services.checkin import ticket_check_in
from registrations.tasks import ticket_email_send
from screenings.models import Appointment, EligibilityQuestion, Service, Station
from screenings.services.appointments import appointment_book
from tests.conftest import rows_for_module
from tests.factories import AttendeeFactory, StaffRoleFactory, UserFactory
from tests.i18n_tools import english_in, json_config, organizer_texts, squeeze, visible
from tests.pdf_tools import needs_poppler
from tests.screenings.helpers import make_service

pytestmark = pytest.mark.django_db
Role = StaffRole.Role
RO_MONTHS = [
    "ianuarie",
    "februarie",
    "martie",
    "aprilie",
    "mai",
    "iunie",
    "iulie",
    "august",
    "septembrie",
    "octombrie",
    "noiembrie",
    "decembrie",
]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo fair, loaded once for the module."""
    with rows_for_module(django_db_blocker):
        call_command("load_demo", stdout=StringIO())
        yield


def texts_in(data, key=None) -> list[str]:
    """The strings a JSON answer shows a person (not its keys or codes)."""
    if isinstance(data, dict):
        return [t for k, v in data.items() for t in texts_in(v, k)]
    if isinstance(data, list):
        return [t for item in data for t in texts_in(item, key)]
    return [data] if isinstance(data, str) and key not in ("key", "code") else []


def serbian_attendee() -> Attendee:
    attendee = Attendee.objects.get(event__slug=DEMO_SLUG, email="milica.jovanovic@example.org")
    assert attendee.language == "sr-latn"
    return attendee


def english_browser() -> Client:
    """A browser asking for English: the attendee's saved language must win."""
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def test_the_demo_fair_is_written_in_all_three_languages(demo):
    for language in ("ro", "sr-latn"):
        texts = organizer_texts(language)
        missing = [en for en, other in texts.items() if not other]
        assert missing == []
        # Only proper names read the same (Timișoara is Temišvar in Serbian).
        assert {en for en, other in texts.items() if en == other} <= {
            "Piața Libertății",
            "Timișoara",
        }


def test_a_serbian_visitor_reads_the_event_page_in_serbian(demo):
    client = Client(HTTP_ACCEPT_LANGUAGE="sr-latn")
    page = client.get(reverse("event-detail", args=[DEMO_SLUG])).content.decode()
    assert english_in(visible(page)) == []
    assert "Dan Interreg saradnje — Temišvar" in page and "Trg slobode" in page
    assert "Ultrazvuk štitne žlezde" in page


@pytest.mark.parametrize("code", ["T", "B", "C"])
def test_the_booking_page_asks_a_serbian_attendee_the_questions_in_serbian(demo, code):
    attendee = serbian_attendee()
    url = reverse("screenings:book", args=[attendee.ticket.manage_key, code])
    page = english_browser().get(url).content.decode()
    assert english_in(visible(page)) == []
    service = Service.objects.get(event__slug=DEMO_SLUG, code=code)
    for question in service.questions.all():
        assert squeeze(question.text_sr_latn) in squeeze(page)
    assert squeeze(service.preparation_sr_latn) in squeeze(page)


def test_the_ticket_and_training_pages_of_a_serbian_attendee_are_serbian(demo):
    attendee = serbian_attendee()
    code = attendee.ticket.manage_key
    client = english_browser()
    for url in (
        reverse("ticket", args=[code]),
        reverse("training-page", args=[code]),
        reverse("screenings:ticket", args=[code]),
    ):
        page = client.get(url).content.decode()
        assert english_in(visible(page)) == [], url
    training = client.get(reverse("training-page", args=[code])).content.decode()
    assert "Svi možemo da spasemo živote — osnovne mere održavanja života" in training
    assert "Šator za obuku" in training


@needs_poppler
def test_the_ticket_pdf_of_a_serbian_attendee_is_serbian(demo, tmp_path):
    attendee = serbian_attendee()
    pdf = english_browser().get(reverse("ticket-pdf", args=[attendee.ticket.manage_key])).content
    (tmp_path / "ticket.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "ticket.pdf", "-"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert english_in(text) == []
    assert "Dan Interreg saradnje" in squeeze(text)


def test_the_ticket_email_and_its_calendar_file_are_serbian(demo):
    attendee = serbian_attendee()
    mail.outbox.clear()
    ticket_email_send(attendee_id=attendee.pk, reason="resent")
    (message,) = mail.outbox
    assert english_in(message.body) == []
    ics = next(a[1] for a in message.attachments if a[0].endswith(".ics"))
    ics = ics.decode() if isinstance(ics, bytes) else ics
    unfolded = ics.replace("\r\n ", "").replace("\\,", ",")
    assert "Dan Interreg saradnje — Temišvar" in unfolded
    assert "Interreg Cooperation Day" not in unfolded
    page = english_browser().get(reverse("ticket-ics", args=[attendee.ticket.manage_key]))
    assert "Dan Interreg saradnje" in page.content.decode()


def test_the_api_answers_in_the_language_asked_for(demo, api_client):
    url = reverse("api-event-detail", args=[DEMO_SLUG])
    romanian = api_client.get(url, {"lang": "ro"}, HTTP_ACCEPT_LANGUAGE="sr-latn")
    assert romanian.status_code == 200
    body = romanian.json()
    assert body["name"] == "Ziua Cooperării Interreg — Timișoara"
    assert body["venue"] == "Piața Libertății"
    assert body["description"].startswith("Un târg de proiecte")
    assert body["programme"] == "Interreg IPA România–Serbia"
    assert romanian["Content-Language"] == "ro"
    # Without ?lang= the Accept-Language header decides; sr-Latn in any case.
    assert api_client.get(url, HTTP_ACCEPT_LANGUAGE="sr-latn").json()["venue"] == "Trg slobode"
    assert api_client.get(url, {"lang": "sr-Latn"}).json()["city"] == "Temišvar"
    # An unknown language is ignored: English.
    assert api_client.get(url, {"lang": "xx"}).json()["venue"] == "Liberty Square"


def test_an_empty_translation_falls_back_to_english(event, api_client):
    Event.objects.filter(pk=event.pk).update(
        name_en="Health Day", name_ro="Ziua Sănătății", name_sr_latn="", venue_ro=None
    )
    url = reverse("api-event-detail", args=[event.slug])
    assert api_client.get(url, {"lang": "ro"}).json()["name"] == "Ziua Sănătății"
    serbian = api_client.get(url, {"lang": "sr-latn"}).json()
    assert serbian["name"] == "Health Day"
    assert serbian["venue"] == Event.objects.get(pk=event.pk).venue_en


def test_the_admin_edits_a_service_in_three_languages_side_by_side(demo):
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    service = Service.objects.get(event__slug=DEMO_SLUG, code="B")
    page = client.get(reverse("admin:screenings_service_change", args=[service.pk]))
    assert page.status_code == 200
    html_text = page.content.decode()
    for field in ("name", "description", "preparation"):
        for suffix in ("en", "ro", "sr_latn"):
            assert f'name="{field}_{suffix}"' in html_text
    assert 'name="questions-0-text_sr_latn"' in html_text
    assert 'name="questions-0-exclusion_reason_ro"' in html_text
    assert 'name="stations-0-name_ro"' in html_text
    assert "Skrining raka dojke" in html_text and "Screening pentru cancerul mamar" in html_text


def test_an_organizer_renames_a_station_in_romanian_in_the_admin(demo):
    station = Station.objects.get(service__event__slug=DEMO_SLUG, name_en="Gynaecology")
    client = Client()
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:screenings_station_change", args=[station.pk]),
        {
            "service": station.service_id,
            "name_en": "Gynaecology",
            "name_ro": "Cabinet ginecologic",
            "name_sr_latn": "",
            "room_en": station.room_en,
            "is_open": "on",
            "position": station.position,
        },
    )
    assert response.status_code == 302
    station.refresh_from_db()
    with translation.override("ro"):
        assert station.name == "Cabinet ginecologic"
    with translation.override("sr-latn"):
        assert station.name == "Gynaecology"  # empty: English


def test_a_board_shows_and_speaks_station_names_in_each_language(demo):
    kiosk = Kiosk.objects.get(event__slug=DEMO_SLUG, kind=Kiosk.Kind.BOARD)
    page = Client().get(reverse("kiosk", args=[kiosk.token])).content.decode()
    stations = json_config(page, "kiosk-config")["stations"]
    names = sorted(stations.values(), key=lambda n: n["en"])
    assert names[0] == {"en": "Ultrasound 1", "ro": "Ecograf 1", "sr-latn": "Ultrazvuk 1"}
    assert "Ecografie tiroidiană" in html.unescape(page)  # the heading cycles too


def test_a_stats_kiosk_carries_module_titles_in_each_language(demo):
    event = Event.objects.get(slug=DEMO_SLUG)
    kiosk = event.kiosks.get(kind=Kiosk.Kind.STATS)
    page = Client().get(reverse("kiosk", args=[kiosk.token])).content.decode()
    names = json_config(page, "kiosk-config")["names"]
    session = event.training_modules.get().sessions.first()
    assert names["sessions"][str(session.pk)]["sr-latn"].startswith("Svi možemo da spasemo")
    assert names["services"]["C"] == {
        "en": "Cervical cancer screening",
        "ro": "Screening pentru cancerul de col uterin",
        "sr-latn": "Skrining raka grlića materice",
    }


def test_a_flag_is_kept_in_english_and_shown_in_the_doctors_language(demo):
    attendee = Attendee.objects.get(event__slug=DEMO_SLUG, email="jelena.zivkovic@example.org")
    service = Service.objects.get(event__slug=DEMO_SLUG, code="C")
    slot = service.slots.order_by("starts_at").first()
    with translation.override("sr-latn"):
        appointment = appointment_book(
            slot_id=slot.pk,
            attendee_id=attendee.pk,
            health_consent=True,
            answers={"hysterectomy": "no", "pregnant": "yes"},
            age=30,
            sex="female",
        )
    assert Appointment.objects.get(pk=appointment.pk).flags == ["pregnant"]
    station = service.stations.get()
    doctor = StaffRoleFactory(event=service.event, role=Role.DOCTOR).user
    station.doctors.add(doctor)
    client = Client(HTTP_ACCEPT_LANGUAGE="ro")
    client.force_login(doctor)
    page = client.get(reverse("screenings:console", args=[station.pk])).content.decode()
    assert json_config(page, "console-config")["flagLabels"]["pregnant"] == "însărcinată"


def test_a_paper_check_in_says_already_checked_in_in_the_volunteers_language(event):
    ana = AttendeeFactory(event=event)
    organizer = Client(HTTP_ACCEPT_LANGUAGE="ro")
    organizer.force_login(StaffRoleFactory(event=event, role=Role.ORGANIZER).user)
    ticket_check_in(event_id=event.pk, payload=ana.ticket.qr_payload, gate="North")
    response = organizer.post(
        reverse("checkin-paper", args=[event.slug]), {"codes": ana.ticket.code, "gate": "P"}
    )
    page = response.content.decode()
    assert "Intrați deja, nu se numără de două ori" in page
    assert "already_checked_in" not in page
    assert CheckIn.objects.filter(ticket=ana.ticket).count() == 1


def test_romanian_months_read_in_lower_case_inside_a_sentence(demo):
    event = Event.objects.get(slug=DEMO_SLUG)
    month = RO_MONTHS[timezone.localtime(event.starts_at).month - 1]
    page = Client(HTTP_ACCEPT_LANGUAGE="ro").get(reverse("event-detail", args=[DEMO_SLUG]))
    text = page.content.decode()
    assert month in text
    assert month.capitalize() not in text


def test_questions_and_reasons_come_in_the_active_language(demo):
    question = EligibilityQuestion.objects.get(service__code="B", key="recent_mammogram")
    with translation.override("ro"):
        assert question.text == "Ați făcut o mamografie în ultimele 12 luni?"
        assert question.exclusion_reason.startswith("O mamografie din ultimul an")
    with translation.override("en"):
        assert question.text == "Have you had a mammogram in the last 12 months?"


def test_a_text_first_written_in_romanian_stands_in_for_the_other_languages(event):
    with translation.override("ro"):
        service = make_service(event, code="X", name="Ecografie tiroidiană")
    with translation.override("sr-latn"):
        assert Service.objects.get(pk=service.pk).name == "Ecografie tiroidiană"
    with translation.override("en"):
        assert Service.objects.get(pk=service.pk).name == "Ecografie tiroidiană"


def test_a_kiosk_cycles_the_events_name_and_place_through_its_languages(demo):
    kiosk = Kiosk.objects.get(event__slug=DEMO_SLUG, kind=Kiosk.Kind.STATS)
    page = html.unescape(Client().get(reverse("kiosk", args=[kiosk.token])).content.decode())
    heading = re.search(r"<h1><span data-i18n='?\"?(\{.*?\})", page)
    assert heading is not None
    assert json.loads(heading.group(1)) == {
        "en": "Interreg Cooperation Day — Timișoara",
        "ro": "Ziua Cooperării Interreg — Timișoara",
        "sr-latn": "Dan Interreg saradnje — Temišvar",
    }
    assert '"sr-latn": "Trg slobode"' in page


def test_a_self_check_in_kiosk_answers_a_serbian_visitor_in_serbian(demo, api_client):
    kiosk = Kiosk.objects.get(event__slug=DEMO_SLUG, kind=Kiosk.Kind.CHECKIN)
    attendee = serbian_attendee()
    response = api_client.post(
        reverse("api-kiosk-lookup", args=[kiosk.token]),
        {"payload": attendee.ticket.qr_payload},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    data = response.json()
    assert data["language"] == "sr-latn"
    assert data["texts"]["event_name"] == "Dan Interreg saradnje — Temišvar"
    assert english_in(" | ".join(texts_in(data))) == []
    names = {queue["name"] for queue in data["queues"]}
    assert "Ultrazvuk štitne žlezde" in names


def test_the_admin_finds_a_service_by_its_name_in_any_language(demo):
    client = Client(HTTP_ACCEPT_LANGUAGE="ro")
    client.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    url = reverse("admin:screenings_service_changelist")
    for query in ("Thyroid", "Ecografie tiroidiană", "štitne"):
        page = client.get(url, {"q": query}).content.decode()
        codes = re.findall(r'class="field-code"><a [^>]*>(\w+)</a>', page)
        assert codes == ["T"], query
    assert len(re.findall(r'class="field-code"', client.get(url).content.decode())) == 3


def test_a_serbian_attendee_turned_away_reads_the_reason_in_serbian(demo):
    attendee = serbian_attendee()
    service = Service.objects.get(event__slug=DEMO_SLUG, code="B")
    slot = service.slots.order_by("starts_at").first()
    response = english_browser().post(
        reverse("screenings:book", args=[attendee.ticket.manage_key, "B"]),
        {
            "slot": slot.pk,
            "age": 52,
            "sex": "female",
            "q_recent_mammogram": "yes",
            "q_pregnant": "no",
            "health_consent": "on",
        },
    )
    assert response.status_code == 200
    page = visible(response.content.decode())
    assert "Mamografija iz poslednjih godinu dana je dovoljno skorašnja" in squeeze(page)
    assert english_in(page) == []
    assert not Appointment.objects.filter(attendee=attendee, service=service).exists()
