"""Training API: a ticket holder's bookings, the public seat list, and the
staff endpoints for the door check-in and certificates.

``POST /api/v1/tickets/{manage_key}/bookings/`` takes ``{"module": id}`` (the
contract of DESIGN.md) or ``{"session": id}``. With a module, the service
picks the earliest session still open for booking that does not clash with
the holder's other bookings and has a free seat; when every such session is
full, the holder joins the earliest one's waiting list. ``{"session": id}``
books exactly that session (a seat or its waiting list).
"""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.core.exceptions import NotFound
from eventhub.core.permissions import Role, StaffApiPermissions, require_event_role
from eventhub.core.selectors import event_get_public
from eventhub.core.throttling import PublicRateThrottle, PublicWriteRateThrottle
from registrations import training_tasks
from registrations.models import ScanLog
from registrations.selectors.tickets import attendee_for_manage_key
from registrations.selectors.training import (
    BookingView,
    certificate_progress,
    training_bookings_for_attendee,
    training_modules_for_event,
    training_session_get,
)
from registrations.services.training import training_booking_cancel, training_booking_create
from registrations.services.training_door import training_session_check_in
from registrations.training_exceptions import TrainingSessionNotFound


class SessionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    room = serializers.CharField()
    capacity = serializers.IntegerField()
    free = serializers.IntegerField(source="free_seats")
    booking_closes_at = serializers.DateTimeField()


class BookingOutput(serializers.Serializer):
    id = serializers.IntegerField(source="booking.pk")
    status = serializers.CharField(source="booking.status")
    module = serializers.IntegerField(source="booking.module_id")
    module_title = serializers.CharField(source="booking.session.module.title")
    session = SessionOutput(source="booking.session")
    waitlist_position = serializers.IntegerField(allow_null=True)
    checked_in_at = serializers.DateTimeField(source="booking.checked_in_at", allow_null=True)
    certificate_url = serializers.SerializerMethodField()

    def get_certificate_url(self, view) -> str | None:
        certificate = getattr(view.booking, "certificate", None)
        return certificate.get_absolute_url() if certificate else None


class BookingCreateInput(serializers.Serializer):
    module = serializers.IntegerField(required=False, min_value=1)
    session = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        if ("module" in attrs) == ("session" in attrs):
            raise serializers.ValidationError('Give either "module" or "session".')
        return attrs


class ModuleOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    description = serializers.CharField()
    trainers = serializers.ListField(source="trainer_list", child=serializers.CharField())
    audience = serializers.CharField()
    language = serializers.CharField()
    prerequisites = serializers.CharField()
    sessions = serializers.SerializerMethodField()

    def get_sessions(self, module) -> list[dict]:
        return [
            {**SessionOutput(s).data, "waitlisted": s.waitlisted_count}
            for s in module.sessions.all()
        ]


class TicketBookingsApi(APIView):
    """List the ticket holder's training bookings, or book one."""

    throttle_classes = [PublicRateThrottle, PublicWriteRateThrottle]

    @extend_schema(responses=BookingOutput(many=True), operation_id="ticket_bookings_list")
    def get(self, request, key):
        attendee = attendee_for_manage_key(key=key)
        views = training_bookings_for_attendee(attendee_id=attendee.pk)
        return Response(BookingOutput(views, many=True).data)

    @extend_schema(
        request=BookingCreateInput,
        responses={201: BookingOutput},
        operation_id="ticket_bookings_create",
        description=(
            'Book a seat. {"session": id} books that session (a seat, or its waiting list '
            'when full). {"module": id} books the earliest session of the module that is '
            "still open for booking, does not overlap the holder's other bookings and has a "
            "free seat; when all of them are full, the earliest one's waiting list. Errors: "
            "409 already_booked, overlapping_booking, booking_closed, not_confirmed; 404 "
            "ticket_not_found, session_not_found, module_not_found."
        ),
    )
    def post(self, request, key):
        data = BookingCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        attendee = attendee_for_manage_key(key=key)
        result = training_booking_create(
            attendee_id=attendee.pk,
            session_id=data.validated_data.get("session"),
            module_id=data.validated_data.get("module"),
        )
        view = BookingView(booking=result.booking, waitlist_position=result.waitlist_position)
        return Response(BookingOutput(view).data, status=201)


class TicketBookingCancelApi(APIView):
    throttle_classes = [PublicWriteRateThrottle]

    @extend_schema(responses={204: None}, operation_id="ticket_bookings_cancel")
    def delete(self, request, key, booking_id):
        attendee = attendee_for_manage_key(key=key)
        training_booking_cancel(booking_id=booking_id, attendee_id=attendee.pk)
        return Response(status=204)


class EventTrainingListApi(APIView):
    """The event's modules and sessions with their free seats (public)."""

    throttle_classes = [PublicRateThrottle]

    @extend_schema(responses=ModuleOutput(many=True), operation_id="event_training_list")
    def get(self, request, event):
        event_obj = event_get_public(slug=event)
        if event_obj is None:
            raise NotFound()
        modules = training_modules_for_event(event_id=event_obj.pk)
        return Response(ModuleOutput(modules, many=True).data)


class SessionCheckInInput(serializers.Serializer):
    payload = serializers.CharField(max_length=200, trim_whitespace=True)
    nonce = serializers.CharField(max_length=64, required=False, default="", allow_blank=True)


class SessionCheckInOutput(serializers.Serializer):
    result = serializers.ChoiceField(choices=ScanLog.Result.choices)
    reason = serializers.CharField()
    name = serializers.CharField(source="scan.display_name", allow_null=True)
    ticket = serializers.CharField(source="scan.ticket_code")
    checked_in_at = serializers.DateTimeField(allow_null=True)
    walk_in = serializers.BooleanField()
    replayed = serializers.BooleanField(source="scan.replayed")
    booking = serializers.IntegerField(source="booking.pk", default=None)
    session = SessionOutput()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["name"] = data["name"] or None
        return data


def _staff_session(request, session_id, *roles):
    session = training_session_get(session_id=session_id)
    if session is None:
        raise TrainingSessionNotFound()
    require_event_role(request.user, session.module.event_id, *roles)
    return session


class TrainingSessionCheckInApi(StaffApiPermissions, APIView):
    """Scan a ticket at the door of a training room (volunteers and organizers).

    Answers with the gate's result codes (docs/checkin.md); ``not_admissible``
    carries a ``reason`` (``session_full``, ``already_booked``,
    ``overlapping_booking``, ``booking_closed``).
    """

    @extend_schema(
        request=SessionCheckInInput,
        responses=SessionCheckInOutput,
        operation_id="training_session_checkin",
    )
    def post(self, request, session_id):
        data = SessionCheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        _staff_session(request, session_id, Role.VOLUNTEER)
        result = training_session_check_in(
            session_id=session_id,
            payload=data.validated_data["payload"],
            nonce=data.validated_data["nonce"],
            user=request.user,
        )
        return Response(SessionCheckInOutput(result).data)


ProgressOutput = inline_serializer(
    "CertificateProgress",
    fields={
        "eligible": serializers.IntegerField(),
        "issued": serializers.IntegerField(),
        "emailed": serializers.IntegerField(),
        "percent": serializers.IntegerField(),
    },
)


class TrainingSessionCertificatesApi(StaffApiPermissions, APIView):
    """Progress of a session's certificates (GET); issue them all (POST, organizers)."""

    @extend_schema(responses=ProgressOutput, operation_id="training_session_certificates_progress")
    def get(self, request, session_id):
        _staff_session(request, session_id, Role.VOLUNTEER)
        return Response(certificate_progress(session_id=session_id))

    @extend_schema(
        request=None,
        responses={202: ProgressOutput},
        operation_id="training_session_certificates_issue",
    )
    def post(self, request, session_id):
        _staff_session(request, session_id)
        training_tasks.issue_session_certificates.enqueue(session_id)
        return Response(certificate_progress(session_id=session_id), status=202)
