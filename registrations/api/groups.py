"""Public API: register a group (a contact person and up to ten companions).

The answer carries every member's ticket in the shape of a single
registration's (``TicketLinksOutput``: both credentials), the contact's
first, and the group page the contact can show at the gate.
"""

from django.http import Http404
from django.urls import reverse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.core.selectors import event_get_public
from eventhub.core.throttling import AddressRateThrottle, PublicWriteRateThrottle
from registrations.api.tickets import TicketLinksOutput
from registrations.group_input import GroupRegistrationInput
from registrations.services.groups import GroupResult, group_register

GroupRegistrationOutput = inline_serializer(
    "GroupRegistrationOutput",
    {
        "id": serializers.IntegerField(),
        "status": serializers.CharField(
            help_text="confirmed, waitlisted, or partly_confirmed (a split group)."
        ),
        "group_url": serializers.URLField(),
        "tickets": TicketLinksOutput(many=True),
    },
)


def group_result_data(result: GroupResult, request) -> dict:
    url = reverse("group-page", kwargs={"group_key": result.group.manage_key})
    return {
        "id": result.group.pk,
        "status": result.status,
        "group_url": request.build_absolute_uri(url),
        "tickets": TicketLinksOutput(
            [a.ticket for a in result.attendees], many=True, context={"request": request}
        ).data,
    }


class GroupRegistrationCreateApi(APIView):
    """Register a group; confirmed together while there is room, waitlisted together after."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicWriteRateThrottle]

    @extend_schema(
        request=GroupRegistrationInput,
        responses={201: GroupRegistrationOutput},
        operation_id="group_registrations_create",
    )
    def post(self, request, event):
        event_obj = event_get_public(slug=event)
        if event_obj is None:
            raise Http404
        data = GroupRegistrationInput(
            data=request.data, context={"event": event_obj, "language": get_language()}
        )
        data.is_valid(raise_exception=True)
        # Every address it would e-mail, counted once the body is valid.
        AddressRateThrottle().check(request.data)
        result = group_register(event_id=event_obj.pk, **data.service_kwargs())
        return Response(group_result_data(result, request), status=201)
