"""Kiosk screens: the page of each kiosk kind, its JSON snapshot fallback and
the self check-in look-up.

A kiosk is paired by the secret token in its URL (``/kiosk/<token>/``);
``eventhub.core.selectors.kiosk_for_token`` is the only gate. Boards and stats
screens live on their socket and poll ``/api/v1/kiosk/<token>/snapshot/``
while it is down (docs/realtime.md). A self check-in terminal posts what it
scanned to ``/api/v1/kiosk/<token>/lookup/``: the ticket is admitted through
the gate's own service and the visitor sees their day, first name only.
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.core.models import Kiosk
from eventhub.core.selectors import kiosk_for_token
from eventhub.core.services import kiosk_touch
from eventhub.core.throttling import PublicRateThrottle
from eventhub.kiosks.selectors import stats_snapshot, visitor_day
from eventhub.kiosks.survey import survey_kiosk_start
from eventhub.kiosks.templatetags.kiosk import in_languages
from registrations.models import ScanLog, TrainingSession
from registrations.selectors.access import access_kiosk_visitor
from registrations.services.checkin import ticket_check_in
from screenings.models import Service
from screenings.selectors.queue import board_snapshot

TEMPLATES = {
    Kiosk.Kind.BOARD: "kiosk/board.html",
    Kiosk.Kind.STATS: "kiosk/stats.html",
    Kiosk.Kind.CHECKIN: "kiosk/checkin.html",
}


def _kiosk_or_404(token: str) -> Kiosk:
    kiosk = kiosk_for_token(token=token)
    if kiosk is None:
        raise Http404
    return kiosk


def _board_service(kiosk: Kiosk) -> Service:
    service = Service.objects.filter(event_id=kiosk.event_id, code=kiosk.service_code).first()
    if service is None:
        raise Http404
    return service


def _config(kiosk: Kiosk, service: Service | None) -> dict:
    event = kiosk.event
    config = {
        "token": kiosk.token,
        "languages": event.languages,
        "event_name": event.name,
        "poll_url": reverse("api-kiosk-snapshot", args=[kiosk.token]),
    }
    if kiosk.kind == Kiosk.Kind.BOARD:
        config["socket_url"] = (
            f"/ws/events/{event.slug}/screenings/{service.code}/board/?kiosk={kiosk.token}"
        )
        # Station names in each language, so that the board shows and speaks
        # them in the language it is cycling through (docs/i18n.md).
        config["stations"] = {
            str(station.pk): in_languages(event.languages, station, "name")
            for station in service.stations.all()
        }
    elif kiosk.kind == Kiosk.Kind.STATS:
        config["socket_url"] = f"/ws/events/{event.slug}/stats/?kiosk={kiosk.token}"
        config["names"] = {
            "sessions": {
                str(session.pk): in_languages(event.languages, session.module, "title")
                for session in TrainingSession.objects.filter(module__event=event).select_related(
                    "module"
                )
            },
            "services": {
                service.code: in_languages(event.languages, service, "name")
                for service in Service.objects.filter(event=event)
            },
        }
    else:
        config.pop("poll_url")
        config["lookup_url"] = reverse("api-kiosk-lookup", args=[kiosk.token])
        config["queue_url"] = reverse("api-queue-join-kiosk", args=[event.slug, "__service__"])
    return config


@never_cache
@xframe_options_exempt
def kiosk_page(request, token):
    kiosk = _kiosk_or_404(token)
    kiosk_touch(kiosk_id=kiosk.pk)
    if kiosk.kind == Kiosk.Kind.SURVEY:
        return survey_kiosk_start(request, kiosk)
    service = _board_service(kiosk) if kiosk.kind == Kiosk.Kind.BOARD else None
    context = {
        "kiosk": kiosk,
        "event": kiosk.event,
        "service": service,
        "languages": kiosk.event.languages,
        "config": _config(kiosk, service),
    }
    return render(request, TEMPLATES[kiosk.kind], context)


class KioskSnapshotApi(APIView):
    """The same snapshot the kiosk's socket sends, for polling while it is down."""

    authentication_classes = []
    throttle_classes = [PublicRateThrottle]

    @extend_schema(
        responses={200: dict},
        operation_id="kiosk_snapshot",
        description="A board's queue snapshot or a stats screen's figures (docs/realtime.md).",
    )
    def get(self, request, token):
        kiosk = _kiosk_or_404(token)
        kiosk_touch(kiosk_id=kiosk.pk)
        if kiosk.kind == Kiosk.Kind.BOARD:
            return Response(board_snapshot(service_id=_board_service(kiosk).pk))
        if kiosk.kind == Kiosk.Kind.STATS:
            return Response({"type": "snapshot", **stats_snapshot(event_id=kiosk.event_id)})
        raise Http404


class KioskLookupInput(serializers.Serializer):
    payload = serializers.CharField(max_length=512, trim_whitespace=True)


class KioskLookupOutput(serializers.Serializer):
    result = serializers.CharField()
    first_name = serializers.CharField(required=False)
    training = serializers.ListField(child=serializers.DictField(), required=False)
    appointments = serializers.ListField(child=serializers.DictField(), required=False)
    queues = serializers.ListField(child=serializers.DictField(), required=False)
    language = serializers.CharField(required=False)
    texts = serializers.DictField(child=serializers.CharField(), required=False)


def _join_texts() -> dict:
    """The join screen's labels, in the active (the visitor's) language."""
    return {
        "questions": _("A few questions"),
        "age": _("Your age"),
        "sex": _("Sex"),
        "female": _("Female"),
        "male": _("Male"),
        "yes": _("Yes"),
        "no": _("No"),
        "consent": _(
            "I agree that my answers (health data) are stored for this screening and seen "
            "only by me, the screening doctors and the organizers."
        ),
        "submit": _("Get my number"),
        "back": _("Back"),
    }


class KioskLookupApi(APIView):
    """A visitor scans their ticket at a self check-in terminal.

    The ticket is admitted as at a gate named after the kiosk (once, logged,
    counted live); a good ticket answers the visitor's first name and day.
    Other answers carry the check-in result code only (``invalid``,
    ``wrong_event``, ``cancelled``, ``waitlisted``). Only a check-in kiosk's
    token is accepted. The queues offered are those with an open station,
    each with the questions and consent its rules ask (``form``, null when
    an appointment already holds them), in the visitor's saved language.
    """

    authentication_classes = []
    throttle_classes = [PublicRateThrottle]

    @extend_schema(
        request=KioskLookupInput,
        responses={200: KioskLookupOutput},
        operation_id="kiosk_lookup",
    )
    def post(self, request, token):
        kiosk = kiosk_for_token(token=token, kinds=(Kiosk.Kind.CHECKIN,))
        if kiosk is None:
            raise Http404
        data = KioskLookupInput(data=request.data)
        data.is_valid(raise_exception=True)
        kiosk_touch(kiosk_id=kiosk.pk)
        checked = ticket_check_in(
            event_id=kiosk.event_id,
            payload=data.validated_data["payload"],
            gate=kiosk.name,
            device=f"kiosk:{kiosk.pk}",
        )
        answer = {"result": checked.result}
        if checked.result in (ScanLog.Result.OK, ScanLog.Result.ALREADY):
            attendee = access_kiosk_visitor(kiosk=kiosk, attendee_id=checked.attendee_id)
            with translation.override(attendee.language):
                answer |= visitor_day(attendee=attendee)
                # The receipt names the fair in the visitor's language too.
                texts = {**_join_texts(), "event_name": attendee.event.name}
                answer |= {"language": attendee.language, "texts": texts}
        return Response(KioskLookupOutput(answer).data)
