"""Public API: register for an event.

Registering again with an e-mail that already holds a registration creates
nothing and answers 200 ``{"status": "already_registered", "message"}``:
the ticket is e-mailed again to the registered address, and the answer
carries no code, name or status, so knowing someone's e-mail never gives
their ticket. (The 200 itself tells that the address is registered; the
contract's 201 with the ticket for a new registration makes that
unavoidable, and the issue accepts exactly that much.)
"""

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.core.selectors import event_get_public
from eventhub.core.throttling import AddressRateThrottle, PublicWriteRateThrottle
from registrations.api.tickets import AttendeeStatusField, TicketLinksOutput
from registrations.models import Attendee
from registrations.registration_input import RegistrationInput
from registrations.services.attendees import attendee_register


class RegistrationOutput(serializers.ModelSerializer):
    status = AttendeeStatusField(read_only=True)
    ticket = TicketLinksOutput()

    class Meta:
        model = Attendee
        fields = ["id", "status", "ticket"]


AlreadyRegisteredOutput = inline_serializer(
    "AlreadyRegisteredOutput",
    {
        "status": serializers.CharField(default="already_registered"),
        "message": serializers.CharField(),
    },
)


class RegistrationCreateApi(APIView):
    """Register a person; confirmed while there is room, waitlisted after."""

    # Public, and answered the same for a signed-in browser: no session
    # authentication, hence no CSRF requirement on this JSON endpoint.
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicWriteRateThrottle]

    @extend_schema(
        request=RegistrationInput,
        responses={
            201: RegistrationOutput,
            200: OpenApiResponse(
                AlreadyRegisteredOutput,
                description="This e-mail is already registered; the ticket was e-mailed again.",
            ),
        },
        operation_id="registrations_create",
    )
    def post(self, request, event):
        event_obj = event_get_public(slug=event)
        if event_obj is None:
            raise Http404
        data = RegistrationInput(
            data=request.data, context={"event": event_obj, "language": get_language()}
        )
        data.is_valid(raise_exception=True)
        # Every address it would e-mail, counted once the body is valid.
        AddressRateThrottle().check(request.data)
        result = attendee_register(event_id=event_obj.pk, **data.service_kwargs())
        if not result.created:
            return Response(
                {
                    "status": "already_registered",
                    "message": _(
                        "This e-mail address is already registered for this event. "
                        "We e-mailed the ticket to it again."
                    ),
                },
                status=200,
            )
        output = RegistrationOutput(result.attendee, context={"request": request})
        return Response(output.data, status=201)
