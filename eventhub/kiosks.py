"""Kiosk screens: the page of each kiosk kind and its JSON snapshot fallback.

A kiosk is paired by the secret token in its URL (``/kiosk/<token>/``);
``eventhub.selectors.kiosk_for_token`` is the only gate. Boards and stats
screens live on their socket and poll ``/api/v1/kiosk/<token>/snapshot/``
while it is down (docs/realtime.md).
"""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.models import Kiosk
from eventhub.selectors import kiosk_for_token
from eventhub.services import kiosk_touch
from eventhub.throttling import PublicRateThrottle
from registrations.selectors.checkin import stats_snapshot
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
    elif kiosk.kind == Kiosk.Kind.STATS:
        config["socket_url"] = f"/ws/events/{event.slug}/stats/?kiosk={kiosk.token}"
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

    def get(self, request, token):
        kiosk = _kiosk_or_404(token)
        kiosk_touch(kiosk_id=kiosk.pk)
        if kiosk.kind == Kiosk.Kind.BOARD:
            return Response(board_snapshot(service_id=_board_service(kiosk).pk))
        if kiosk.kind == Kiosk.Kind.STATS:
            return Response({"type": "snapshot", **stats_snapshot(event_id=kiosk.event_id)})
        raise Http404
