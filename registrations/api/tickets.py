"""Public API of one ticket: possession of its manage key is the credential.

The ticket code (in the QR) admits at the gate and opens nothing here.
"""

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.core.throttling import PublicRateThrottle
from registrations.exceptions import TicketNotFound
from registrations.models import Attendee, Ticket
from registrations.selectors.tickets import ticket_for_manage_key
from registrations.ticket_pdf import PAGE_SIZES, ticket_pdf, ticket_pdf_filename


@extend_schema_field(
    {"type": "string", "description": "One of: " + ", ".join(Attendee.Status.values) + "."}
)
class AttendeeStatusField(serializers.CharField):
    """The attendee's status. Described, not an enum, in the schema: a named
    enum collides with the other "status" enums (drf_spectacular.W001)."""


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if request is not None else url


class TicketLinksOutput(serializers.ModelSerializer):
    qr_payload = serializers.CharField(read_only=True)
    pdf_url = serializers.SerializerMethodField()
    manage_url = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = ["code", "manage_key", "qr_payload", "pdf_url", "manage_url"]

    def get_pdf_url(self, ticket: Ticket) -> str:
        url = reverse("api-ticket-pdf", kwargs={"key": ticket.manage_key})
        return _absolute(self.context.get("request"), url)

    def get_manage_url(self, ticket: Ticket) -> str:
        url = reverse("ticket", kwargs={"key": ticket.manage_key})
        return _absolute(self.context.get("request"), url)


class TicketAttendeeOutput(serializers.ModelSerializer):
    status = AttendeeStatusField(read_only=True)

    class Meta:
        model = Attendee
        fields = ["id", "first_name", "last_name", "status", "language"]


class TicketEventOutput(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    venue = serializers.CharField()
    address = serializers.CharField()
    city = serializers.CharField()


class TicketOutput(TicketLinksOutput):
    status = AttendeeStatusField(source="attendee.status", read_only=True)
    attendee = TicketAttendeeOutput()
    event = TicketEventOutput(source="attendee.event")

    class Meta(TicketLinksOutput.Meta):
        fields = [
            "code",
            "manage_key",
            "status",
            "qr_payload",
            "pdf_url",
            "manage_url",
            "attendee",
            "event",
        ]


def _ticket_or_404(key: str) -> Ticket:
    ticket = ticket_for_manage_key(key=key)
    if ticket is None:
        raise TicketNotFound()
    return ticket


class TicketDetailApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]

    @extend_schema(responses=TicketOutput, operation_id="tickets_retrieve")
    def get(self, request, key):
        ticket = _ticket_or_404(key)
        return Response(TicketOutput(ticket, context={"request": request}).data)


class TicketPdfApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [PublicRateThrottle]

    @extend_schema(
        parameters=[OpenApiParameter("size", str, enum=list(PAGE_SIZES), required=False)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        operation_id="tickets_pdf",
    )
    def get(self, request, key):
        ticket = _ticket_or_404(key)
        return pdf_response(ticket, size=request.query_params.get("size", "A6"))


def pdf_response(ticket: Ticket, *, size: str = "A6", language: str | None = None):
    """The ticket PDF as a download (shared with the ticket page)."""
    response = HttpResponse(
        ticket_pdf(ticket, size=size, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{ticket_pdf_filename(ticket)}"'
    response["Cache-Control"] = "private, no-store"
    return response
