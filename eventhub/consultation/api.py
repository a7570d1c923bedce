"""Consultation API: the questionnaires (public), answering one (public),
and its results (organizers of the event)."""

from django.http import Http404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.consultation.models import Response as Answer
from eventhub.consultation.models import Survey
from eventhub.consultation.selectors import (
    survey_get,
    survey_results_payload,
    surveys_for_event,
)
from eventhub.consultation.serializers import (
    SurveyOutput,
    SurveyResponseInput,
    SurveyResponseOutput,
)
from eventhub.consultation.services import response_submit
from eventhub.core.models import Event
from eventhub.core.permissions import StaffApiPermissions, require_event_role
from eventhub.core.selectors import event_get_public
from eventhub.core.throttling import PublicRateThrottle, PublicWriteRateThrottle
from registrations.exceptions import TicketNotFound
from registrations.selectors.tickets import ticket_for_manage_key


def _language(request) -> str:
    """``?lang=`` wins over ``Accept-Language`` (already active)."""
    choice = request.query_params.get("lang", "")
    try:
        return translation.get_supported_language_variant(choice) if choice else ""
    except LookupError:
        return ""


class SurveyListApi(APIView):
    throttle_classes = [PublicRateThrottle]

    @extend_schema(responses=SurveyOutput(many=True), operation_id="surveys_list")
    def get(self, request, event):
        event_obj = event_get_public(slug=event)
        if event_obj is None:
            raise Http404
        with translation.override(_language(request) or translation.get_language()):
            data = SurveyOutput(surveys_for_event(event_id=event_obj.pk), many=True).data
        return Response(data)


class SurveyResponseCreateApi(APIView):
    """Answer a questionnaire. Anonymous unless ``contact_ok``; with
    ``ticket`` (the ticket's manage key) the answer is linked to it, once."""

    throttle_classes = [PublicWriteRateThrottle]

    @extend_schema(
        request=SurveyResponseInput,
        responses={201: SurveyResponseOutput},
        operation_id="survey_respond",
    )
    def post(self, request, survey_id):
        survey = Survey.objects.filter(pk=survey_id).select_related("event").first()
        if survey is None or not survey.event.is_public:
            raise Http404
        data = SurveyResponseInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        ticket_id = None
        if values.get("ticket"):
            ticket = ticket_for_manage_key(key=values["ticket"])
            if ticket is None or ticket.attendee.event_id != survey.event_id:
                raise TicketNotFound()
            ticket_id = ticket.pk
        answer = response_submit(
            survey_id=survey.pk,
            answers=values["answers"],
            region=values["region"],
            channel=Answer.Channel.ONLINE,
            language=_language(request) or translation.get_language(),
            ticket_id=ticket_id,
            contact_ok=values["contact_ok"],
            contact_name=values.get("contact_name", ""),
            contact_email=values.get("contact_email", ""),
        )
        return Response(SurveyResponseOutput(answer).data, status=201)


class SurveyResultsApi(StaffApiPermissions, APIView):
    """Counts per question, free texts included: organizers of the event."""

    @extend_schema(responses={200: dict}, operation_id="survey_results")
    def get(self, request, event, survey_id):
        event_obj = Event.objects.filter(slug=event).first()
        if event_obj is None:
            raise Http404
        require_event_role(request.user, event_obj.pk)
        survey = survey_get(survey_id=survey_id, event_id=event_obj.pk)
        if survey is None:
            raise Http404
        region = request.query_params.get("region", "")
        with translation.override(_language(request) or translation.get_language()):
            body = survey_results_payload(survey=survey, region=region)
        return Response(body)
