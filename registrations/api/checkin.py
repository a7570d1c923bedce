"""Staff API of the gate: scan, undo, manual look-up, walk-ins, attendance.

A well-formed scan always answers 200 with a ``result`` (the scanner's
contract, DESIGN.md); 400 is kept for a malformed request.
"""

import time

from django.core.validators import ProhibitNullCharactersValidator
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.validators import ProhibitSurrogateCharactersValidator
from rest_framework.views import APIView

from eventhub.core.models import Event, Region, StaffRole
from eventhub.core.permissions import StaffApiPermissions, require_event_role
from eventhub.core.throttling import StaffSearchRateThrottle
from eventhub.core.ticket_keys import (
    hmac_tickets_accepted,
    public_key_base64,
    ticket_keys_accepted,
)
from registrations.models import Attendee, CheckIn, ScanLog
from registrations.registration_input import BAD_CHOICE, OTHER_REGION
from registrations.selectors.access import access_attendee_search, access_double_entries
from registrations.selectors.checkin import attendance_totals, double_entry_count, offline_pack
from registrations.services.checkin import (
    CheckInResult,
    check_in_undo,
    ticket_check_in,
    walk_in_check_in,
)
from registrations.services.offline_sync import MAX_SCANS, OfflineScan, offline_scans_sync

Role = StaffRole.Role
Result = ScanLog.Result
# Longer than any real QR payload, short enough to refuse abuse as malformed.
MAX_PAYLOAD = 65536


# Slug to id, per process: a scan should not pay a query for it. Slugs of
# live events do not change; an entry lives a minute at most.
_EVENT_IDS: dict[str, tuple[int, float]] = {}
EVENT_ID_TTL = 60.0


def event_id_for_slug(slug: str) -> int | None:
    hit = _EVENT_IDS.get(slug)
    now = time.monotonic()
    if hit and hit[1] > now:
        return hit[0]
    event_id = Event.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if event_id is not None:
        if len(_EVENT_IDS) > 1000:
            _EVENT_IDS.clear()
        _EVENT_IDS[slug] = (event_id, now + EVENT_ID_TTL)
    return event_id


def staff_event_id(request, slug: str, *roles: str) -> int:
    """The event's id once ``request.user`` holds one of ``roles`` there (or organizes)."""
    event_id = event_id_for_slug(slug)
    if event_id is None:
        raise Http404
    require_event_role(request.user, event_id, *roles)
    return event_id


def result_message(answer: CheckInResult) -> str:
    """One line for the volunteer, in their language."""
    when = ""
    if answer.checked_in_at:
        when = formats.time_format(timezone.localtime(answer.checked_in_at), "H:i")
    if answer.result == Result.OK:
        return _("Welcome!")
    if answer.result == Result.ALREADY:
        if answer.gate:
            return _("First check-in at %(time)s, gate %(gate)s.") % {
                "time": when,
                "gate": answer.gate,
            }
        return _("First check-in at %(time)s.") % {"time": when}
    return {
        Result.INVALID: _("Not one of our tickets, or damaged."),
        Result.WRONG_EVENT: _("This ticket is for another event."),
        Result.CANCELLED: _("This registration was cancelled."),
        Result.WAITLISTED: _("This person is on the waiting list, not confirmed."),
        Result.NOT_ADMISSIBLE: _("Not admissible here."),
    }.get(answer.result, _("Not one of our tickets, or damaged."))


def result_payload(answer: CheckInResult) -> dict:
    category_label = ""
    if answer.category:
        category_label = str(Attendee.Category(answer.category).label)
    return {
        "result": answer.result,
        "message": result_message(answer),
        "display_name": answer.display_name,
        "category": answer.category,
        "category_label": category_label,
        "ticket": answer.ticket_code,
        "checked_in_at": answer.checked_in_at,
        "gate": answer.gate,
        "replayed": answer.replayed,
    }


class ScanTextField(serializers.CharField):
    """Whatever the scanner read: any text, NUL characters included, is a scan.

    A garbage read is a well-formed request answered ``invalid``, not a 400.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            v
            for v in self.validators
            if not isinstance(
                v, ProhibitNullCharactersValidator | ProhibitSurrogateCharactersValidator
            )
        ]


class CheckInInput(serializers.Serializer):
    payload = ScanTextField(
        allow_blank=True, trim_whitespace=False, max_length=MAX_PAYLOAD, required=False
    )
    attendee = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Instead of a payload: the id the gate search answered (manual admission).",
    )
    gate = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    device = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    nonce = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    method = serializers.ChoiceField(
        choices=[CheckIn.Method.SCAN, CheckIn.Method.MANUAL],
        required=False,
        default=CheckIn.Method.SCAN,
    )

    def validate(self, attrs):
        if "attendee" not in attrs and "payload" not in attrs:
            raise serializers.ValidationError({"payload": [_("This field is required.")]})
        return attrs


class CheckInOutput(serializers.Serializer):
    result = serializers.ChoiceField(choices=Result.choices)
    message = serializers.CharField()
    display_name = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    ticket = serializers.CharField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    gate = serializers.CharField()
    replayed = serializers.BooleanField()


class CheckInCreateApi(StaffApiPermissions, APIView):
    """Admit the ticket read at the gate (volunteers and organizers)."""

    @extend_schema(request=CheckInInput, responses=CheckInOutput, operation_id="checkins_create")
    def post(self, request, event):
        event_id = staff_event_id(request, event, Role.VOLUNTEER)
        data = CheckInInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        attendee_id = fields.pop("attendee", None)
        answer = ticket_check_in(
            event_id=event_id, user=request.user, attendee_id=attendee_id, **fields
        )
        return Response(result_payload(answer))


class CheckInUndoInput(serializers.Serializer):
    ticket = serializers.CharField(max_length=64)
    reason = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")


class CheckInUndoApi(StaffApiPermissions, APIView):
    """Undo a check-in (organizers only); 409 ``not_checked_in`` when there is none."""

    @extend_schema(request=CheckInUndoInput, responses=None, operation_id="checkins_undo")
    def post(self, request, event):
        event_id = staff_event_id(request, event)
        data = CheckInUndoInput(data=request.data)
        data.is_valid(raise_exception=True)
        code = data.validated_data["ticket"].strip().upper().replace("-", "").replace(" ", "")
        check_in_undo(
            event_id=event_id,
            ticket_code=code,
            user=request.user,
            reason=data.validated_data["reason"],
        )
        return Response(status=204)


class AttendeeSearchOutput(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    email = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField()
    checked_in_at = serializers.DateTimeField(allow_null=True)


class AttendeeSearchApi(StaffApiPermissions, APIView):
    """Find a person without their ticket by name or e-mail (``?q=``).

    Answers what admitting needs (name, category, status, the ``id`` to admit
    by), never the ticket code or manage key: a volunteer cannot open anyone's
    personal data from here.
    """

    throttle_classes = [StaffSearchRateThrottle]

    @extend_schema(responses=AttendeeSearchOutput(many=True), operation_id="checkins_search")
    def get(self, request, event):
        event_id = staff_event_id(request, event, Role.VOLUNTEER)
        query = request.query_params.get("q", "")[:100]
        rows = access_attendee_search(
            user=request.user, event_id=event_id, query=query, purpose="gate search"
        )
        return Response(AttendeeSearchOutput(rows, many=True).data)


class GateWalkInInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    category = serializers.ChoiceField(
        choices=Attendee.Category.choices, required=False, default=Attendee.Category.CITIZEN
    )
    region = serializers.CharField(
        max_length=12,
        required=False,
        allow_blank=True,
        default="",
        help_text='Where the person comes from: a region id of the programme area, or "other".',
    )
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    language = serializers.CharField(max_length=8, required=False, default="en")

    def validate(self, data):
        """``region`` becomes ``region_id`` (its country with it); "other" or
        nothing keeps the country given."""
        region = data.pop("region", "").strip()
        data["region_id"] = None
        if region and region != OTHER_REGION:
            found = (
                Region.objects.filter(
                    pk=int(region) if region.isdigit() else 0,
                    programme__events__pk=self.context["event_id"],
                )
                .only("pk", "country")
                .first()
            )
            if found is None:
                raise serializers.ValidationError({"region": [BAD_CHOICE]})
            data["region_id"], data["country"] = found.pk, found.country
        data["country"] = data.get("country", "").upper()
        return data

    gate = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    device = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    nonce = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")


class WalkInCreateApi(StaffApiPermissions, APIView):
    """Register a person at the gate and admit them in one step; 201 with the check-in."""

    @extend_schema(request=GateWalkInInput, responses=CheckInOutput, operation_id="walk_ins_create")
    def post(self, request, event):
        event_id = staff_event_id(request, event, Role.VOLUNTEER)
        data = GateWalkInInput(data=request.data, context={"event_id": event_id})
        data.is_valid(raise_exception=True)
        attendee, answer = walk_in_check_in(
            event_id=event_id, user=request.user, **data.validated_data
        )
        body = result_payload(answer)
        body["attendee"] = attendee.pk
        return Response(body, status=201)


class AttendanceOutput(serializers.Serializer):
    registered = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    waitlisted = serializers.IntegerField()
    checked_in = serializers.IntegerField()
    capacity = serializers.IntegerField()
    by_gate = serializers.DictField(child=serializers.IntegerField())
    double_entries = serializers.IntegerField(
        help_text="Offline double entries found by syncs (docs/checkin.md)."
    )


class AttendanceApi(StaffApiPermissions, APIView):
    """Live totals of the event (the stats socket's figures, for polling clients)."""

    @extend_schema(responses=AttendanceOutput, operation_id="attendance_retrieve")
    def get(self, request, event):
        event_id = staff_event_id(request, event, Role.VOLUNTEER)
        totals = attendance_totals(event_id=event_id)
        totals["double_entries"] = double_entry_count(event_id=event_id)
        return Response(AttendanceOutput(totals).data)


class CheckInKeyOutput(serializers.Serializer):
    id = serializers.IntegerField(source="number")
    public_key = serializers.SerializerMethodField(
        help_text="The raw 32-byte Ed25519 public key, base64."
    )
    active = serializers.BooleanField(help_text="Signs the tickets issued now.")

    def get_public_key(self, key) -> str:
        return public_key_base64(key)


class CheckInKeysOutput(serializers.Serializer):
    keys = CheckInKeyOutput(many=True)
    accepts_hmac = serializers.BooleanField(
        help_text="Whether the older EH1 (HMAC) form still admits; only the server can check it."
    )


class CheckInKeysApi(StaffApiPermissions, APIView):
    """The event's ticket-signing public keys, for scanners that verify offline.

    Lists every key not retired (the active one first); a QR payload ``EH2:<event>:
    <id>:<code>:<signature>`` is genuine when key ``id`` verifies the signature.
    """

    @extend_schema(responses=CheckInKeysOutput, operation_id="checkin_keys_list")
    def get(self, request, event):
        event_id = staff_event_id(request, event, Role.VOLUNTEER)
        body = {
            "keys": ticket_keys_accepted(event_id=event_id),
            "accepts_hmac": hmac_tickets_accepted(event_id=event_id),
        }
        return Response(CheckInKeysOutput(body).data)


# --- Offline gate: the pack a scanner decides from, and the sync of its scans.


class CheckInOfflineOutput(CheckInKeysOutput):
    event = serializers.IntegerField()
    admitted = serializers.ListField(
        child=serializers.CharField(), help_text="Hashes of the tickets admitted at the gate."
    )
    refused = serializers.DictField(
        child=serializers.CharField(), help_text="Hash → cancelled | waitlisted."
    )
    generated_at = serializers.CharField(help_text="ISO 8601, with the fair's offset.")


class CheckInOfflineApi(StaffApiPermissions, APIView):
    """The offline pack: keys and ticket hashes (``offline_ticket_hash``), no personal data."""

    @extend_schema(responses=CheckInOfflineOutput, operation_id="checkin_offline_retrieve")
    def get(self, request, event):
        event_id = staff_event_id(request, event, Role.VOLUNTEER)
        generated_at = timezone.localtime()
        body = {
            "event": event_id,
            "keys": CheckInKeyOutput(ticket_keys_accepted(event_id=event_id), many=True).data,
            "accepts_hmac": hmac_tickets_accepted(event_id=event_id),
            **offline_pack(event_id=event_id),
            "generated_at": generated_at.isoformat(),
        }
        return Response(body, headers={"Cache-Control": "no-store"})


LOCAL_RESULTS = [
    Result.OK,
    Result.ALREADY,
    Result.INVALID,
    Result.WRONG_EVENT,
    Result.CANCELLED,
    Result.WAITLISTED,
]


class OfflineScanInput(serializers.Serializer):
    nonce = serializers.CharField(max_length=64)
    payload = ScanTextField(allow_blank=True, trim_whitespace=False, max_length=MAX_PAYLOAD)
    gate = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    scanned_at = serializers.DateTimeField()
    local_result = serializers.ChoiceField(choices=LOCAL_RESULTS)


class CheckInSyncInput(serializers.Serializer):
    device = serializers.CharField(max_length=60)
    scans = serializers.ListField(child=OfflineScanInput(), allow_empty=True, max_length=MAX_SCANS)


class SyncedScanOutput(serializers.Serializer):
    nonce = serializers.CharField()
    result = serializers.ChoiceField(choices=Result.choices)
    message = serializers.CharField()
    display_name = serializers.CharField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    gate = serializers.CharField()
    double_entry = serializers.BooleanField()


class DoubleEntryAdmissionOutput(serializers.Serializer):
    gate = serializers.CharField()
    device = serializers.CharField()
    at = serializers.DateTimeField()
    offline = serializers.BooleanField()
    undone = serializers.BooleanField(
        help_text="The admission was undone afterwards by an organizer (the log keeps it)."
    )


class DoubleEntryOutput(serializers.Serializer):
    id = serializers.IntegerField()
    ticket = serializers.CharField(help_text="The ticket's offline hash.")
    display_name = serializers.CharField()
    kind = serializers.ChoiceField(choices=["double_entry", "cancelled", "waitlisted"])
    entries = DoubleEntryAdmissionOutput(many=True)
    text = serializers.CharField()


class CheckInSyncOutput(serializers.Serializer):
    results = SyncedScanOutput(many=True)
    double_entries = DoubleEntryOutput(many=True)


class CheckInSyncApi(StaffApiPermissions, APIView):
    """Send the scans a device made offline; answers each scan and the device's double entries.

    Idempotent per device and nonce: a retried sync writes nothing new.
    """

    @extend_schema(
        request=CheckInSyncInput, responses=CheckInSyncOutput, operation_id="checkin_sync"
    )
    def post(self, request, event):
        event_id = staff_event_id(request, event, Role.VOLUNTEER)
        data = CheckInSyncInput(data=request.data)
        data.is_valid(raise_exception=True)
        device = data.validated_data["device"]
        synced = offline_scans_sync(
            event_id=event_id,
            device=device,
            scans=[OfflineScan(**scan) for scan in data.validated_data["scans"]],
            user=request.user,
        )
        # The check-in API's answer (its output drops what a sync does not send).
        results = [
            {**result_payload(scan.answer), "nonce": scan.nonce, "double_entry": scan.double_entry}
            for scan in synced
        ]
        doubles = access_double_entries(
            user=request.user, event_id=event_id, purpose="offline sync", device=device.strip()
        )
        return Response(CheckInSyncOutput({"results": results, "double_entries": doubles}).data)
