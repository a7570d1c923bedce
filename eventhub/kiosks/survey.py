"""The consultation tablet (kiosk kind ``survey``): a visitor picks their
questionnaire, answers, and the tablet thanks them and goes back to the
start on its own a few seconds later, ready for the next person. Answers
are anonymous (no contact fields on a shared device)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from eventhub.consultation.models import Response
from eventhub.consultation.selectors import survey_for_audience, surveys_for_event
from eventhub.consultation.views import answer_form
from eventhub.core.models import Kiosk
from eventhub.core.selectors import kiosk_for_token
from eventhub.core.services import kiosk_touch

RESET_SECONDS = 6


def _survey_kiosk(token: str) -> Kiosk:
    kiosk = kiosk_for_token(token=token, kinds=(Kiosk.Kind.SURVEY,))
    if kiosk is None:
        raise Http404
    kiosk_touch(kiosk_id=kiosk.pk)
    return kiosk


def survey_kiosk_start(request, kiosk: Kiosk):
    """The start screen (and, after an answer, the thank-you that resets)."""
    return render(
        request,
        "kiosk/survey_start.html",
        {
            "kiosk": kiosk,
            "event": kiosk.event,
            "surveys": surveys_for_event(event_id=kiosk.event_id),
            "done": request.GET.get("done") == "1",
            "reset_seconds": RESET_SECONDS,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def survey_kiosk_answer(request, token, audience):
    kiosk = _survey_kiosk(token)
    survey = survey_for_audience(event_id=kiosk.event_id, audience=audience)
    if survey is None:
        raise Http404
    return answer_form(
        request,
        event=kiosk.event,
        survey=survey,
        channel=Response.Channel.KIOSK,
        template="kiosk/survey.html",
        done_url=reverse("kiosk", args=[kiosk.token]) + "?done=1",
        extra={"kiosk": kiosk},
    )
