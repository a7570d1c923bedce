"""Staff API of the queues: joining, the station's actions and figures.

Adding someone to a queue is open to every staff role of the event (the
answer holds a number, no health data). Everything a doctor does at a
station, and every read of names and flags, needs a doctor of that service
or an organizer, and is logged.
"""

from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.core.exceptions import PermissionDenied
from eventhub.core.models import Event, Kiosk, StaffRole
from eventhub.core.permissions import StaffApiPermissions, require_event_role
from eventhub.core.selectors import kiosk_for_token
from eventhub.core.throttling import PublicWriteRateThrottle
from registrations.selectors.tickets import attendee_for_scan
from screenings import realtime
from screenings.api.serializers import (
    EntryCompleteInput,
    EntryHandOverInput,
    KioskQueueJoinInput,
    QueueJoinInput,
    QueueJoinOutput,
)
from screenings.exceptions import QueueEntryNotFound
from screenings.models import HealthDataAccess, QueueEntry, Service
from screenings.selectors.access import (
    access_entry_shown,
    access_queue_entry,
    access_station,
    access_station_console,
    access_station_reader,
)
from screenings.selectors.catalogue import service_get
from screenings.selectors.figures import screening_figures
from screenings.services import queue as queue_services

Role = StaffRole.Role


def entry_output(entry: QueueEntry, service: Service) -> dict:
    entry = QueueEntry.objects.select_related("station", "appointment__slot").get(pk=entry.pk)
    return realtime.console_entry(entry, service_code=service.code)


class QueueJoinApi(StaffApiPermissions, APIView):
    @extend_schema(
        request=QueueJoinInput, responses={201: QueueJoinOutput}, operation_id="queue_join"
    )
    def post(self, request, event, service):
        event_obj = get_object_or_404(Event, slug=event)
        require_event_role(request.user, event_obj.pk, Role.VOLUNTEER, Role.DOCTOR)
        service_obj = service_get(event_id=event_obj.pk, code=service)
        data = QueueJoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        walk_in = data.validated_data.get("walk_in")
        if walk_in and walk_in.get("region") is not None:
            walk_in = {**walk_in, "region": walk_in["region"].pk}
        result = queue_services.queue_join(
            service_id=service_obj.pk, ticket=data.validated_data.get("ticket"), walk_in=walk_in
        )
        return Response(QueueJoinOutput(result).data, status=201 if result.created else 200)


class KioskQueueJoinApi(APIView):
    """A visitor scans their own ticket at a self check-in kiosk.

    The check-in kiosk's token authenticates it for its event (a board's or
    a stats screen's token only shows, never acts); only tickets may join
    this way, through the consent and eligibility rules of online booking
    (``queue_join_self``), and the answer holds no personal data. Answers and
    errors are in the visitor's saved language.
    """

    authentication_classes = []
    throttle_classes = [PublicWriteRateThrottle]
    visitor_language = None

    @extend_schema(
        request=KioskQueueJoinInput,
        responses={201: QueueJoinOutput},
        operation_id="queue_join_kiosk",
    )
    def post(self, request, event, service):
        data = KioskQueueJoinInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        kiosk = kiosk_for_token(token=fields.pop("kiosk"), kinds=(Kiosk.Kind.CHECKIN,))
        if kiosk is None or kiosk.event.slug != event:
            raise PermissionDenied()
        visitor = attendee_for_scan(event_id=kiosk.event_id, payload=fields["ticket"])
        self.visitor_language = visitor.language if visitor else None
        with translation.override(self.visitor_language or translation.get_language()):
            service_obj = service_get(event_id=kiosk.event_id, code=service)
            result = queue_services.queue_join_self(service_id=service_obj.pk, **fields)
        return Response(QueueJoinOutput(result).data, status=201 if result.created else 200)

    def handle_exception(self, exc):
        # Error messages are rendered here, after post() has returned.
        with translation.override(self.visitor_language or translation.get_language()):
            return super().handle_exception(exc)


class StationApiMixin(StaffApiPermissions):
    def station_for(self, request, station_id):
        return access_station(user=request.user, station_id=station_id)


class StationDetailApi(StationApiMixin, APIView):
    @extend_schema(responses={200: dict}, operation_id="station_console")
    def get(self, request, station):
        _station, snapshot = access_station_console(
            user=request.user,
            station_id=station,
            what=f"console of station {station}",
            action=HealthDataAccess.Action.VIEW,
        )
        return Response(snapshot)


class StationCallNextApi(StationApiMixin, APIView):
    """Each call is a doctor's click: one role query decides and names the
    reader, and the called entry comes back from the service ready to show
    (its query count is pinned in tests/screenings/test_queue_api_and_roles.py)."""

    @extend_schema(request=None, responses={200: dict, 204: None}, operation_id="station_call_next")
    def post(self, request, station):
        station_obj, actor = access_station_reader(user=request.user, station_id=station)
        service = station_obj.service
        entry = queue_services.queue_call_next(station_id=station_obj.pk)
        if entry is None:
            return Response(status=204)
        access_entry_shown(
            user=request.user,
            actor=actor,
            station=station_obj,
            entry=entry,
            what=f"called entry {entry.pk}",
        )
        return Response(realtime.console_entry(entry, service_code=service.code))


class StationPauseApi(StationApiMixin, APIView):
    is_open = False

    @extend_schema(request=None, responses={200: dict}, operation_id="station_pause")
    def post(self, request, station):
        station_obj = self.station_for(request, station)
        station_obj = queue_services.station_set_open(
            station_id=station_obj.pk, is_open=self.is_open
        )
        return Response(realtime.station_payload(station_obj))


class StationOpenApi(StationPauseApi):
    is_open = True

    @extend_schema(request=None, responses={200: dict}, operation_id="station_open")
    def post(self, request, station):
        return super().post(request, station)


class QueueEntryActionApi(StaffApiPermissions, APIView):
    """``POST /api/v1/queue-entries/{id}/<action>/``: one class per action below."""

    action_name = ""

    def act(self, request, entry_id):
        raise QueueEntryNotFound()

    @extend_schema(request=None, responses={200: dict})
    def post(self, request, entry_id):
        checked = access_queue_entry(
            user=request.user, entry_id=entry_id, what=f"{self.action_name} entry {entry_id}"
        )
        entry = self.act(request, checked.pk)
        return Response(entry_output(entry, checked.queue.service))


class QueueEntryStartApi(QueueEntryActionApi):
    action_name = "start"

    def act(self, request, entry_id):
        return queue_services.queue_entry_start(entry_id=entry_id)


class QueueEntryCompleteApi(QueueEntryActionApi):
    action_name = "complete"

    @extend_schema(request=EntryCompleteInput, responses={200: dict})
    def post(self, request, entry_id):
        return super().post(request, entry_id)

    def act(self, request, entry_id):
        data = EntryCompleteInput(data=request.data)
        data.is_valid(raise_exception=True)
        return queue_services.queue_entry_complete(entry_id=entry_id, **data.validated_data)


class QueueEntryNoShowApi(QueueEntryActionApi):
    action_name = "no-show"

    def act(self, request, entry_id):
        return queue_services.queue_entry_no_show(entry_id=entry_id)


class QueueEntryRecallApi(QueueEntryActionApi):
    action_name = "recall"

    def act(self, request, entry_id):
        return queue_services.queue_entry_recall(entry_id=entry_id)


class QueueEntryCancelApi(QueueEntryActionApi):
    action_name = "cancel"

    def act(self, request, entry_id):
        return queue_services.queue_entry_cancel(entry_id=entry_id)


class QueueEntryHandOverApi(QueueEntryActionApi):
    action_name = "hand-over"

    @extend_schema(request=EntryHandOverInput, responses={200: dict})
    def post(self, request, entry_id):
        return super().post(request, entry_id)

    def act(self, request, entry_id):
        data = EntryHandOverInput(data=request.data)
        data.is_valid(raise_exception=True)
        return queue_services.queue_entry_hand_over(
            entry_id=entry_id, station_id=data.validated_data["station"]
        )


class ScreeningFiguresApi(StaffApiPermissions, APIView):
    @extend_schema(responses={200: dict}, operation_id="screenings_figures")
    def get(self, request, event):
        event_obj = get_object_or_404(Event, slug=event)
        require_event_role(request.user, event_obj.pk, Role.ORGANIZER)
        return Response(screening_figures(event_id=event_obj.pk))
