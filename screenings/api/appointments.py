"""Public API of appointments: the ticket's manage key is the credential."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.core.throttling import PublicRateThrottle, PublicWriteRateThrottle
from registrations.selectors.tickets import attendee_for_manage_key
from screenings.api.serializers import AppointmentBookInput, AppointmentOutput
from screenings.selectors.access import access_appointment_health_data
from screenings.services.appointments import appointment_book, appointment_cancel


class AppointmentListBookApi(APIView):
    throttle_classes = [PublicRateThrottle, PublicWriteRateThrottle]
    authentication_classes = []  # the ticket's manage key is the credential

    @extend_schema(responses=AppointmentOutput(many=True), operation_id="appointments_list")
    def get(self, request, key):
        attendee = attendee_for_manage_key(key=key)
        appointments = access_appointment_health_data(attendee=attendee, what="appointments (API)")
        return Response(AppointmentOutput(appointments, many=True).data)

    @extend_schema(
        request=AppointmentBookInput,
        responses={201: AppointmentOutput},
        operation_id="appointments_book",
    )
    def post(self, request, key):
        attendee = attendee_for_manage_key(key=key)
        data = AppointmentBookInput(data=request.data)
        data.is_valid(raise_exception=True)
        appointment = appointment_book(
            slot_id=data.validated_data["slot"],
            attendee_id=attendee.pk,
            health_consent=data.validated_data["health_consent"],
            answers=data.validated_data["answers"],
            age=data.validated_data.get("age"),
            sex=data.validated_data["sex"],
        )
        return Response(AppointmentOutput(appointment).data, status=201)


class AppointmentCancelApi(APIView):
    throttle_classes = [PublicRateThrottle, PublicWriteRateThrottle]
    authentication_classes = []

    @extend_schema(request=None, responses={204: None}, operation_id="appointments_cancel")
    def delete(self, request, key, appointment_id):
        attendee = attendee_for_manage_key(key=key)
        appointment_cancel(appointment_id=appointment_id, attendee_id=attendee.pk)
        return Response(status=204)
