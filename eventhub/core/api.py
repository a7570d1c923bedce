"""Public API of the core: the list of events and one event."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.core.selectors import event_get_public, event_list_public
from eventhub.core.serializers import EventOutput
from eventhub.core.throttling import PublicRateThrottle


class EventListApi(APIView):
    throttle_classes = [PublicRateThrottle]

    @extend_schema(responses=EventOutput(many=True), operation_id="events_list")
    def get(self, request):
        return Response(EventOutput(event_list_public(), many=True).data)


class EventDetailApi(APIView):
    throttle_classes = [PublicRateThrottle]

    @extend_schema(responses=EventOutput, operation_id="events_retrieve")
    def get(self, request, event):
        event_obj = event_get_public(slug=event)
        if event_obj is None:
            raise Http404
        return Response(EventOutput(event_obj).data)
