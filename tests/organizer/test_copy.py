"""The set-up wizard: a new draft fair from a previous one, every time moved to
the new date at the same wall-clock time, nothing personal copied."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from eventhub.core.models import Event, StaffRole
from eventhub.core.permissions import user_event_roles
from eventhub.organizer.services import event_copy
from registrations.models import TrainingModule, TrainingSession
from screenings.models import EligibilityQuestion, Service, Slot, Station
from tests.factories import AttendeeFactory, EventFactory, StaffRoleFactory
from tests.screenings.helpers import make_service
from tests.training.factories import TrainingModuleFactory

pytestmark = pytest.mark.django_db
BUCHAREST = ZoneInfo("Europe/Bucharest")


def local(year, month, day, hour, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=BUCHAREST)


@pytest.fixture
def summer_fair():
    """A fair in summer time (UTC+3) with its programme and some people."""
    event = EventFactory(
        slug="cooperation-day-2026",
        name="Cooperation Day 2026",
        starts_at=local(2026, 6, 12, 9),
        ends_at=local(2026, 6, 12, 18, 30),
        registration_opens_at=local(2026, 5, 1, 8),
        registration_closes_at=local(2026, 6, 12, 16),
        capacity=300,
        personal_data_retention_days=90,
    )
    module = TrainingModuleFactory(event=event, title="Basic life support")
    for start in (local(2026, 6, 12, 10), local(2026, 6, 12, 14, 30)):
        TrainingSession.objects.create(
            module=module,
            starts_at=start,
            ends_at=start + dt.timedelta(minutes=90),
            room="Tent B",
            capacity=15,
            booked_count=7,
        )
    service = make_service(
        event,
        code="T",
        name="Thyroid ultrasound",
        stations=2,
        min_age=18,
        questions=[
            {"key": "pregnant", "text": "Are you pregnant?", "flag_if": "yes", "flag": "pregnant"}
        ],
    )
    station = service.stations.first()
    station.is_open = False
    station.save()
    doctor = StaffRoleFactory(event=event, role=StaffRole.Role.DOCTOR).user
    station.doctors.add(doctor)
    Slot.objects.create(
        service=service,
        starts_at=local(2026, 6, 12, 9),
        ends_at=local(2026, 6, 12, 9, 15),
        capacity=2,
        booked_count=2,
        seq=5,
    )
    Slot.objects.create(
        service=service,
        starts_at=local(2026, 6, 12, 17, 45),
        ends_at=local(2026, 6, 12, 18),
        capacity=2,
    )
    AttendeeFactory(event=event)
    return event


def test_the_copy_keeps_the_times_of_day_across_the_change_to_winter_time(summer_fair):
    organizer = StaffRoleFactory(event=summer_fair, role=StaffRole.Role.ORGANIZER).user
    new = event_copy(
        source_event_id=summer_fair.pk,
        name="Cooperation Day — winter edition",
        slug="cooperation-day-winter",
        starts_on=dt.date(2026, 12, 4),
        user=organizer,
    )
    assert new.status == Event.Status.DRAFT
    assert (new.name, new.slug, new.capacity, new.personal_data_retention_days) == (
        "Cooperation Day — winter edition",
        "cooperation-day-winter",
        300,
        90,
    )
    # Winter time is UTC+2: same local times, one hour later in UTC.
    assert new.starts_at == dt.datetime(2026, 12, 4, 7, 0, tzinfo=dt.UTC)
    assert new.ends_at == dt.datetime(2026, 12, 4, 16, 30, tzinfo=dt.UTC)
    assert new.registration_opens_at == local(2026, 10, 23, 8)
    assert new.registration_closes_at == local(2026, 12, 4, 16)

    sessions = TrainingSession.objects.filter(module__event=new).order_by("starts_at")
    assert [(s.starts_at, s.ends_at, s.room, s.capacity, s.booked_count) for s in sessions] == [
        (local(2026, 12, 4, 10), local(2026, 12, 4, 11, 30), "Tent B", 15, 0),
        (local(2026, 12, 4, 14, 30), local(2026, 12, 4, 16), "Tent B", 15, 0),
    ]
    assert list(TrainingModule.objects.filter(event=new).values_list("title", flat=True)) == [
        "Basic life support"
    ]
    service = Service.objects.get(event=new)
    assert (service.code, service.name, service.min_age) == ("T", "Thyroid ultrasound", 18)
    slots = Slot.objects.filter(service=service).order_by("starts_at")
    assert [(s.starts_at, s.ends_at, s.capacity, s.booked_count, s.seq) for s in slots] == [
        (local(2026, 12, 4, 9), local(2026, 12, 4, 9, 15), 2, 0, 0),
        (local(2026, 12, 4, 17, 45), local(2026, 12, 4, 18), 2, 0, 0),
    ]
    stations = Station.objects.filter(service=service)
    assert [(s.name, s.is_open, s.doctors.count()) for s in stations] == [
        ("Station 1", True, 0),
        ("Station 2", True, 0),
    ]
    assert list(EligibilityQuestion.objects.filter(service=service).values_list("key", "flag")) == [
        ("pregnant", "pregnant")
    ]
    assert not new.attendees.exists()
    assert not new.kiosks.exists()
    assert user_event_roles(organizer, new.pk) == {"organizer"}
    assert StaffRole.objects.filter(event=new).count() == 1
    # The source is untouched.
    assert TrainingSession.objects.filter(module__event=summer_fair, booked_count=7).count() == 2


def test_the_wizard_page_creates_the_draft(client, summer_fair):
    organizer = StaffRoleFactory(event=summer_fair, role=StaffRole.Role.ORGANIZER).user
    client.force_login(organizer)
    url = reverse("organizer:copy", args=[summer_fair.slug])
    day = timezone.localdate() + dt.timedelta(days=200)
    response = client.post(
        url, {"name": "Ziua Cooperării 2027", "slug": "ziua-2027", "starts_on": day.isoformat()}
    )
    new = Event.objects.get(slug="ziua-2027")
    assert response["Location"] == reverse("admin:eventhub_event_change", args=[new.pk])
    assert new.starts_at == local(day.year, day.month, day.day, 9)
    assert new.status == Event.Status.DRAFT
    assert client.get(response["Location"]).status_code == 200


def test_bad_input_keeps_the_form_and_says_what_to_fix_in_romanian(client, summer_fair):
    client.force_login(StaffRoleFactory(event=summer_fair, role=StaffRole.Role.ORGANIZER).user)
    url = reverse("organizer:copy", args=[summer_fair.slug])
    response = client.post(
        url,
        {"name": "Ziua Cooperării 2027", "slug": summer_fair.slug, "starts_on": "11.06.2027x"},
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Ziua Cooperării 2027"' in body
    assert 'value="11.06.2027x"' in body
    assert "Alt târg folosește deja această adresă." in body
    assert "Introduceți o dată precum 2027-05-21." in body
    assert Event.objects.count() == 1
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    past = client.post(
        url,
        {"name": "X", "slug": "x", "starts_on": yesterday.isoformat()},
        HTTP_ACCEPT_LANGUAGE="ro",
    )
    assert past.status_code == 400
    assert "Alegeți o dată care nu este în trecut." in past.content.decode()


def test_the_wizard_copies_the_projects_at_their_stands_and_the_questionnaires(client, summer_fair):
    from eventhub.consultation.models import Response
    from eventhub.projects.models import StandVisit
    from eventhub.projects.services import stand_visit_record
    from tests.consultation.helpers import questionnaires
    from tests.projects.helpers import JPVS, LAPNET, put_projects

    projects = put_projects(summer_fair, JPVS, LAPNET)
    surveys = questionnaires(summer_fair)
    visitor = AttendeeFactory(event=summer_fair)
    stand_visit_record(
        event_id=summer_fair.pk, ticket_id=visitor.ticket.pk, scanned=projects["JPVS"].stamp_code
    )
    Response.objects.create(survey=surveys["citizen"], channel="paper", answers={"heard": "yes"})
    client.force_login(StaffRoleFactory(event=summer_fair, role=StaffRole.Role.ORGANIZER).user)
    url = reverse("organizer:copy", args=[summer_fair.slug])
    page = client.get(url).content.decode()
    assert "the projects at their stands" in page and "consultation questionnaires" in page
    day = timezone.localdate() + dt.timedelta(days=200)

    response = client.post(
        url, {"name": "Ziua Cooperării 2027", "slug": "ziua-2027", "starts_on": day.isoformat()}
    )

    assert response.status_code == 302
    new = Event.objects.get(slug="ziua-2027")
    copied = {p.acronym: p for p in new.projects.all()}
    assert {(p.acronym, p.stand, p.title, p.budget_eur) for p in copied.values()} == {
        (p.acronym, p.stand, p.title, p.budget_eur) for p in projects.values()
    }
    assert [(p.name, p.role, p.funding_eur) for p in copied["JPVS"].partners.all()] == [
        (p.name, p.role, p.funding_eur) for p in projects["JPVS"].partners.all()
    ]
    assert copied["JPVS"].regions == ["Chernivetska oblast", "Județul Suceava"]
    # Last year's stand sign collects no stamp at the new fair.
    assert copied["JPVS"].stamp_code != projects["JPVS"].stamp_code
    assert not StandVisit.objects.filter(project__event=new).exists()

    new_surveys = {s.audience: s for s in new.surveys.all()}
    assert set(new_surveys) == {"citizen", "stakeholder"}
    for audience, survey in surveys.items():
        assert new_surveys[audience].title == survey.title
        assert list(new_surveys[audience].questions.values_list("key", "kind", "text")) == list(
            survey.questions.values_list("key", "kind", "text")
        )
    assert not Response.objects.filter(survey__event=new).exists()
    # The source keeps its own.
    assert summer_fair.projects.count() == 2 and summer_fair.surveys.count() == 2
    assert StandVisit.objects.filter(project__event=summer_fair).count() == 1
