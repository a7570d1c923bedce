"""Reads of the consultation: an event's questionnaires, the programme
regions to answer from, and the results per question."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from eventhub.consultation.models import OTHER_REGION, Question, Response, Survey
from eventhub.core.models import Region


def surveys_for_event(*, event_id: int, open_only: bool = True) -> list[Survey]:
    surveys = Survey.objects.filter(event_id=event_id).prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position"))
    )
    if open_only:
        surveys = surveys.filter(open=True)
    return list(surveys)


def survey_get(*, survey_id: int, event_id: int | None = None) -> Survey | None:
    surveys = Survey.objects.select_related("event").prefetch_related(
        Prefetch("questions", queryset=Question.objects.order_by("position"))
    )
    if event_id is not None:
        surveys = surveys.filter(event_id=event_id)
    return surveys.filter(pk=survey_id).first()


def survey_for_audience(*, event_id: int, audience: str) -> Survey | None:
    return (
        Survey.objects.filter(event_id=event_id, audience=audience, open=True)
        .select_related("event")
        .prefetch_related(Prefetch("questions", queryset=Question.objects.order_by("position")))
        .first()
    )


def region_choices(*, programme_id: int | None) -> list[tuple[str, str]]:
    """("<id>", "Timiș (RO)") for the programme's regions, then "other"."""
    regions = Region.objects.filter(programme_id=programme_id).order_by("country", "name")
    return [(str(r.pk), str(r)) for r in regions] + [
        (OTHER_REGION, _("Elsewhere (outside the programme area)"))
    ]


def answered_surveys(*, ticket_id: int) -> set[int]:
    return set(Response.objects.filter(ticket_id=ticket_id).values_list("survey_id", flat=True))


@dataclass
class QuestionResult:
    question: Question
    answered: int = 0
    # (key, label, count) per choice, or per scale point 1..5
    counts: list[tuple[str, str, int]] = field(default_factory=list)
    average: float | None = None
    # free texts: organizers only
    texts: list[str] = field(default_factory=list)


def survey_responses(*, survey: Survey, region: str = "") -> list[Response]:
    responses = survey.responses.order_by("created_at", "pk")
    if region == OTHER_REGION:
        responses = responses.filter(region_other=True)
    elif region:
        responses = responses.filter(region_id=region) if region.isdigit() else responses.none()
    return list(responses.select_related("region"))


def survey_results(*, survey: Survey, region: str = "") -> dict:
    """Per question: answer counts (choices, scale points) or the free
    texts, over the responses from ``region`` (a Region id, "other", or all).
    Free texts are for organizers only: call this from their views."""
    responses = survey_responses(survey=survey, region=region)
    results = []
    for question in survey.questions.all():
        values = [r.answers[question.key] for r in responses if question.key in r.answers]
        result = QuestionResult(question=question, answered=len(values))
        if question.kind == Question.Kind.SINGLE:
            counter = Counter(values)
            result.counts = [(k, label, counter[k]) for k, label in question.choices_here()]
        elif question.kind == Question.Kind.MULTIPLE:
            counter = Counter(v for chosen in values for v in chosen)
            result.counts = [(k, label, counter[k]) for k, label in question.choices_here()]
        elif question.kind == Question.Kind.SCALE:
            counter = Counter(values)
            result.counts = [
                (point, str(point), counter[point])
                for point in range(Question.SCALE_MIN, Question.SCALE_MAX + 1)
            ]
            result.average = round(sum(values) / len(values), 2) if values else None
        else:
            result.texts = list(values)
        results.append(result)
    return {"survey": survey, "responses": len(responses), "questions": results}


def responses_by_region(*, survey: Survey) -> list[tuple[str, int]]:
    """(region, number of responses), the programme's regions first."""
    counts = {
        row["region_id"]: row["n"]
        for row in survey.responses.filter(region_other=False)
        .values("region_id")
        .annotate(n=Count("pk"))
    }
    rows = [
        (str(region), counts.get(region.pk, 0))
        for region in Region.objects.filter(programme_id=survey.event.programme_id).order_by(
            "country", "name"
        )
    ]
    rows.append((_("Elsewhere"), survey.responses.filter(region_other=True).count()))
    return rows


def consultation_summary(*, event_id: int) -> list[tuple[Survey, int]]:
    """Each questionnaire of the event with its number of answers."""
    return [
        (s, s.response_count)
        for s in Survey.objects.filter(event_id=event_id).annotate(
            response_count=Count("responses")
        )
    ]


def survey_results_payload(*, survey: Survey, region: str = "") -> dict:
    """The results as JSON for organizers (the results API)."""
    results = survey_results(survey=survey, region=region)
    questions = []
    for result in results["questions"]:
        item = {
            "key": result.question.key,
            "text": result.question.text_here,
            "kind": result.question.kind,
            "answered": result.answered,
        }
        if result.question.kind == Question.Kind.TEXT:
            item["texts"] = result.texts
        else:
            item["counts"] = [
                {"choice": key, "text": label, "count": n} for key, label, n in result.counts
            ]
        if result.question.kind == Question.Kind.SCALE:
            item["average"] = result.average
        questions.append(item)
    return {
        "id": survey.pk,
        "audience": survey.audience,
        "region": region or None,
        "responses": results["responses"],
        "by_region": [
            {"region": name, "responses": n} for name, n in responses_by_region(survey=survey)
        ],
        "questions": questions,
    }


def consultation_data_export(*, attendee_id: int) -> dict:
    """The answers linked to the person's ticket, for their "download
    everything" file (``registrations.hooks.DATA_EXPORT``)."""
    responses = Response.objects.filter(ticket__attendee_id=attendee_id).select_related("survey")
    return {
        "consultation_answers": [
            {
                "questionnaire": r.survey.audience,
                "answered_at": r.created_at.isoformat(),
                "answers": r.answers,
                "contact_name": r.contact_name,
                "contact_email": r.contact_email,
            }
            for r in responses
        ]
    }
