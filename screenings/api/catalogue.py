"""Public API: the screening offer of an event."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.core.selectors import event_get_public
from eventhub.core.throttling import PublicRateThrottle
from screenings.api.serializers import ServiceOutput
from screenings.selectors.catalogue import services_for_event


class ScreeningListApi(APIView):
    throttle_classes = [PublicRateThrottle]

    @extend_schema(responses=ServiceOutput(many=True), operation_id="screenings_list")
    def get(self, request, event):
        event_obj = event_get_public(slug=event)
        if event_obj is None:
            raise Http404
        services = services_for_event(event_id=event_obj.pk)
        return Response(ServiceOutput(services, many=True).data)
