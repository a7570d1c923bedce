"""The consultation API: the questionnaires in the reader's language, an
answer stored (201) or refused whole with the field named (400), one answer
per ticket, and the results for organizers only."""

import pytest

from eventhub.consultation.models import Response
from eventhub.core.models import Event, StaffRole
from tests.consultation.helpers import CITIZEN_ANSWERS, questionnaires, timis
from tests.factories import AttendeeFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair():
    event = EventFactory()
    return event, questionnaires(event), timis(event)


def post(api_client, survey, body):
    return api_client.post(f"/api/v1/surveys/{survey.pk}/responses/", body, format="json")


def test_the_list_has_five_citizen_and_ten_stakeholder_questions(fair, api_client):
    event, _, _ = fair
    body = api_client.get(f"/api/v1/events/{event.slug}/surveys/").json()
    assert {s["audience"]: len(s["questions"]) for s in body} == {"citizen": 5, "stakeholder": 10}
    citizen = next(s for s in body if s["audience"] == "citizen")
    assert set(citizen) >= {"id", "audience", "questions"}
    kinds = {q["key"]: q["kind"] for q in citizen["questions"]}
    assert kinds == {
        "heard": "single",
        "noticed": "multiple",
        "better_life": "scale",
        "priority": "single",
        "idea": "text",
    }
    heard = citizen["questions"][0]
    assert heard["text"].startswith("Had you heard")
    assert [c["key"] for c in heard["choices"]] == ["yes", "no", "unsure"]
    scale = citizen["questions"][2]
    assert [c["key"] for c in scale["choices"]] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("how", "first_words", "yes"),
    [
        ({"QUERY_STRING": "lang=ro"}, "Ați auzit", "Da"),
        ({"HTTP_ACCEPT_LANGUAGE": "sr-latn"}, "Da li ste", "Da"),
        ({"HTTP_ACCEPT_LANGUAGE": "de"}, "Had you heard", "Yes"),
    ],
)
def test_texts_come_in_the_readers_language_falling_back_to_english(
    fair, api_client, how, first_words, yes
):
    event, _, _ = fair
    body = api_client.get(f"/api/v1/events/{event.slug}/surveys/", **how).json()
    heard = next(s for s in body if s["audience"] == "citizen")["questions"][0]
    assert heard["text"].startswith(first_words)
    assert heard["choices"][0]["text"] == yes


def test_an_answer_is_stored_anonymously(fair, api_client):
    _, surveys, region = fair
    response = post(
        api_client, surveys["citizen"], {"answers": CITIZEN_ANSWERS, "region": region.pk}
    )
    assert response.status_code == 201
    stored = Response.objects.get(pk=response.json()["id"])
    assert stored.answers == CITIZEN_ANSWERS
    assert stored.region == region and stored.channel == "online"
    assert stored.ticket is None and stored.contact_email == ""


def test_other_region_and_optional_text_left_out_are_fine(fair, api_client):
    _, surveys, _ = fair
    answers = {k: v for k, v in CITIZEN_ANSWERS.items() if k != "idea"}
    response = post(api_client, surveys["citizen"], {"answers": answers, "region": "other"})
    assert response.status_code == 201
    assert Response.objects.get().region_other is True


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"unknown_question": "x"}, "answers.unknown_question"),
        ({"better_life": 9}, "answers.better_life"),
        ({"better_life": 0}, "answers.better_life"),
        ({"better_life": "four"}, "answers.better_life"),
        ({"heard": "perhaps"}, "answers.heard"),
        ({"noticed": ["health", "moon"]}, "answers.noticed"),
        ({"priority": None}, "answers.priority"),
        ({"idea": "x" * 2001}, "answers.idea"),
    ],
)
def test_bad_answers_get_400_naming_the_field_and_store_nothing(fair, api_client, change, field):
    _, surveys, region = fair
    answers = {**CITIZEN_ANSWERS, **change}
    response = post(api_client, surveys["citizen"], {"answers": answers, "region": region.pk})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "answers_invalid"
    assert field in error["fields"]
    assert not Response.objects.exists()


def test_a_missing_required_answer_and_region_are_both_named(fair, api_client):
    _, surveys, _ = fair
    response = post(api_client, surveys["citizen"], {"answers": {"heard": "yes"}})
    fields = response.json()["error"]["fields"]
    assert response.status_code == 400
    assert {"answers.noticed", "answers.better_life", "answers.priority", "region"} <= set(fields)
    assert "answers.idea" not in fields  # optional


def test_a_region_of_another_programme_is_refused(fair, api_client):
    _, surveys, _ = fair
    from tests.factories import ProgrammeFactory, RegionFactory

    elsewhere = RegionFactory(programme=ProgrammeFactory(code="bg-mk"), name="Blagoevgrad")
    response = post(
        api_client, surveys["citizen"], {"answers": CITIZEN_ANSWERS, "region": elsewhere.pk}
    )
    assert response.status_code == 400
    assert "region" in response.json()["error"]["fields"]


def test_contact_details_are_kept_only_when_ticked(fair, api_client):
    _, surveys, region = fair
    base = {"answers": CITIZEN_ANSWERS, "region": region.pk}
    post(api_client, surveys["citizen"], {**base, "contact_name": "Ana", "contact_email": "a@x.ro"})
    post(
        api_client,
        surveys["citizen"],
        {**base, "contact_ok": True, "contact_name": "Ana", "contact_email": "ana@example.org"},
    )
    first, second = Response.objects.order_by("pk")
    assert (first.contact_ok, first.contact_email) == (False, "")
    assert (second.contact_ok, second.contact_email) == (True, "ana@example.org")
    refused = post(api_client, surveys["citizen"], {**base, "contact_ok": True})
    assert refused.status_code == 400
    assert "contact_email" in refused.json()["error"]["fields"]


def test_one_answer_per_ticket(fair, api_client):
    event, surveys, region = fair
    ticket = AttendeeFactory(event=event).ticket
    body = {"answers": CITIZEN_ANSWERS, "region": region.pk, "ticket": ticket.manage_key}
    assert post(api_client, surveys["citizen"], body).status_code == 201
    again = post(api_client, surveys["citizen"], body)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "already_answered"
    assert Response.objects.filter(ticket=ticket).count() == 1
    other_fair_ticket = AttendeeFactory().ticket
    stray = post(api_client, surveys["citizen"], {**body, "ticket": other_fair_ticket.manage_key})
    assert stray.status_code == 404


def test_a_closed_questionnaire_or_draft_fair_takes_no_answers(fair, api_client):
    event, surveys, region = fair
    surveys["citizen"].open = False
    surveys["citizen"].save()
    closed = post(api_client, surveys["citizen"], {"answers": CITIZEN_ANSWERS, "region": region.pk})
    assert closed.status_code == 409
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    assert (
        post(api_client, surveys["stakeholder"], {"answers": {}, "region": "other"}).status_code
        == 404
    )
    assert api_client.get(f"/api/v1/events/{event.slug}/surveys/").status_code == 404


def test_results_count_answers_per_question_with_free_texts_for_organizers(
    fair, api_client, staff_client
):
    event, surveys, region = fair
    survey = surveys["citizen"]
    post(api_client, survey, {"answers": CITIZEN_ANSWERS, "region": region.pk})
    post(
        api_client,
        survey,
        {
            "answers": {**CITIZEN_ANSWERS, "better_life": 2, "idea": "", "noticed": ["health"]},
            "region": "other",
        },
    )
    url = f"/api/v1/events/{event.slug}/surveys/{survey.pk}/results/"
    body = staff_client(event, StaffRole.Role.ORGANIZER).get(url).json()
    assert body["responses"] == 2 and body["audience"] == "citizen"
    by_key = {q["key"]: q for q in body["questions"]}
    noticed = {c["choice"]: c["count"] for c in by_key["noticed"]["counts"]}
    assert noticed["health"] == 2 and noticed["tourism"] == 1
    scale = {c["choice"]: c["count"] for c in by_key["better_life"]["counts"]}
    assert scale == {1: 0, 2: 1, 3: 0, 4: 1, 5: 0}
    assert by_key["better_life"]["average"] == 3
    assert by_key["idea"]["texts"] == ["A bus line from Vršac to Timișoara"]
    regions = {r["region"]: r["responses"] for r in body["by_region"]}
    assert regions["Timiș (RO)"] == 1 and regions["Elsewhere"] == 1

    only_timis = staff_client(event, StaffRole.Role.ORGANIZER).get(url + f"?region={region.pk}")
    assert only_timis.json()["responses"] == 1


def test_results_are_closed_to_the_public_and_to_volunteers(fair, api_client, staff_client):
    event, surveys, _ = fair
    url = f"/api/v1/events/{event.slug}/surveys/{surveys['citizen'].pk}/results/"
    assert api_client.get(url).status_code == 401
    assert staff_client(event, StaffRole.Role.VOLUNTEER).get(url).status_code == 403
