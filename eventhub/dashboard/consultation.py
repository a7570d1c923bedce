"""The consultation's results for organizers: a chart per question with its
table, by audience (one questionnaire each) and programme region, free
texts, and the answers as CSV or XLSX. Part of the programme report."""

from zoneinfo import ZoneInfo

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from eventhub.consultation.models import Question
from eventhub.consultation.selectors import (
    region_choices,
    responses_by_region,
    survey_get,
    survey_responses,
    survey_results,
    surveys_for_event,
)
from eventhub.core.permissions import event_role_required
from eventhub.dashboard import charts
from eventhub.dashboard.exports import cell, csv_bytes, filename, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _survey_or_404(event, survey_id):
    survey = survey_get(survey_id=survey_id, event_id=event.pk)
    if survey is None:
        raise Http404
    return survey


@event_role_required()
def consultation_results(request, event, survey_id):
    survey = _survey_or_404(event, survey_id)
    region = request.GET.get("region", "")
    results = survey_results(survey=survey, region=region)
    questions = []
    for result in results["questions"]:
        items = [(label, n) for _key, label, n in result.counts]
        questions.append(
            {
                "result": result,
                "chart": charts.bar_chart(items, title=result.question.text_here) if items else "",
            }
        )
    by_region = responses_by_region(survey=survey)
    return render(
        request,
        "dashboard/consultation.html",
        {
            "event": event,
            "survey": survey,
            "surveys": surveys_for_event(event_id=event.pk, open_only=False),
            "results": results,
            "questions": questions,
            "regions": region_choices(programme_id=event.programme_id),
            "region": region,
            "by_region": by_region,
            "region_chart": charts.bar_chart(by_region, title=_("Answers by region")),
        },
    )


def answer_rows(survey, *, region: str, tz: ZoneInfo, xlsx: bool):
    """Header, then one row per answer: when, channel, region, each question."""
    questions = list(survey.questions.all())
    yield [_("Answer"), _("Answered at"), _("Channel"), _("Region")] + [q.key for q in questions]
    for response in survey_responses(survey=survey, region=region):
        region_name = _("Elsewhere") if response.region_other else str(response.region or "")
        values = []
        for question in questions:
            value = response.answers.get(question.key)
            if question.kind == Question.Kind.MULTIPLE and value:
                value = "; ".join(value)
            values.append(cell(value, tz=tz, xlsx=xlsx))
        yield [
            response.pk,
            cell(response.created_at, tz=tz, xlsx=xlsx),
            response.get_channel_display(),
            region_name,
            *values,
        ]


@event_role_required()
def consultation_download(request, event, survey_id, fmt):
    survey = _survey_or_404(event, survey_id)
    region = request.GET.get("region", "")
    tz = ZoneInfo(event.timezone)
    stem = filename(event.slug, "consultation", survey.audience, ext=fmt)
    if fmt == "xlsx":
        body = xlsx_bytes(
            answer_rows(survey, region=region, tz=tz, xlsx=True), title=survey.audience
        )
        response = HttpResponse(body, content_type=XLSX)
    else:
        body = csv_bytes(answer_rows(survey, region=region, tz=tz, xlsx=False))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}"'
    response["Cache-Control"] = "private, no-store"
    return response
