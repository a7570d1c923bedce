"""The consultation's pages: answering online (anonymous from the event
page, or linked to a ticket from its page) and staff entering paper forms.
Form validates through the service; on an error every answer is kept."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from eventhub.consultation.exceptions import AnswersInvalid
from eventhub.consultation.forms import answers_from_post, form_values, question_rows
from eventhub.consultation.models import Response, Survey
from eventhub.consultation.selectors import (
    answered_surveys,
    region_choices,
    survey_for_audience,
    surveys_for_event,
)
from eventhub.consultation.services import response_submit
from eventhub.core.exceptions import DomainError
from eventhub.core.models import StaffRole
from eventhub.core.permissions import event_role_required
from eventhub.core.selectors import event_get_public
from registrations.models import Attendee
from registrations.selectors.tickets import ticket_for_manage_key
from registrations.views.registration import throttled
from registrations.views.ticket import in_holder_language


def _public_event(slug):
    event = event_get_public(slug=slug)
    if event is None:
        raise Http404
    return event


def _survey(event, audience) -> Survey:
    survey = survey_for_audience(event_id=event.pk, audience=audience)
    if survey is None:
        raise Http404
    return survey


def answer_form(
    request, *, event, survey, channel, template, done_url, ticket=None, extra=None, done=""
):
    """GET: the empty form. POST: store the answers and go to ``done_url``,
    or show the form again with every answer kept and each error named."""
    errors, data = {}, None
    if request.method == "POST":
        if response := throttled(request):
            return response
        data = request.POST
        try:
            response_submit(
                survey_id=survey.pk,
                answers=answers_from_post(survey, data),
                region=data.get("region", ""),
                channel=channel,
                language=translation.get_language(),
                ticket_id=ticket.pk if ticket else None,
                contact_ok=data.get("contact_ok") == "on",
                contact_name=data.get("contact_name", ""),
                contact_email=data.get("contact_email", ""),
                entered_by_id=request.user.pk if channel == Response.Channel.PAPER else None,
            )
        except AnswersInvalid as exc:
            errors = exc.fields
        except DomainError as exc:
            errors = {"form": [str(exc.message)]}
        else:
            if done:
                messages.success(request, done)
            return redirect(done_url)
    context = {
        "event": event,
        "survey": survey,
        "rows": question_rows(survey, form_values(survey, data), errors),
        "regions": region_choices(programme_id=event.programme_id),
        "region": (data or {}).get("region", ""),
        "contact": {
            "ok": bool(data and data.get("contact_ok") == "on"),
            "name": (data or {}).get("contact_name", ""),
            "email": (data or {}).get("contact_email", ""),
        },
        "errors": errors,
        "ticket": ticket,
        "channel": channel,
        **(extra or {}),
    }
    return render(request, template, context, status=400 if errors else 200)


def consultation_index(request, event):
    event_obj = _public_event(event)
    surveys = surveys_for_event(event_id=event_obj.pk)
    if not surveys:
        raise Http404
    return render(request, "consultation/index.html", {"event": event_obj, "surveys": surveys})


@require_http_methods(["GET", "POST"])
def consultation_answer(request, event, audience):
    event_obj = _public_event(event)
    return answer_form(
        request,
        event=event_obj,
        survey=_survey(event_obj, audience),
        channel=Response.Channel.ONLINE,
        template="consultation/answer.html",
        done_url=reverse("consultation-thanks", args=[event_obj.slug]),
    )


def consultation_thanks(request, event):
    return render(request, "consultation/thanks.html", {"event": _public_event(event)})


@require_http_methods(["GET", "POST"])
@in_holder_language
def ticket_consultation(request, key, audience):
    """Answer from the ticket page: linked to the ticket, once."""
    ticket = ticket_for_manage_key(key=key)
    if ticket is None or ticket.attendee.status == Attendee.Status.CANCELLED:
        raise Http404
    event = ticket.attendee.event
    survey = _survey(event, audience)
    if survey.pk in answered_surveys(ticket_id=ticket.pk):
        messages.info(request, _("Thank you: you have already answered this questionnaire."))
        return redirect("ticket", key=ticket.manage_key)
    response = answer_form(
        request,
        event=event,
        survey=survey,
        channel=Response.Channel.ONLINE,
        template="consultation/answer.html",
        done_url=reverse("ticket", args=[ticket.manage_key]),
        done=_("Thank you for your answers."),
        ticket=ticket,
    )
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
@event_role_required(StaffRole.Role.VOLUNTEER)
def paper_entry(request, event, audience):
    """Staff type in a paper form; the page comes back empty for the next."""
    survey = _survey(event, audience)
    response = answer_form(
        request,
        event=event,
        survey=survey,
        channel=Response.Channel.PAPER,
        template="consultation/paper.html",
        done_url=reverse("consultation-paper", args=[event.slug, audience]),
        done=_("Paper form saved. The next one, please."),
        extra={"count": survey.responses.filter(channel=Response.Channel.PAPER).count()},
    )
    return response
