"""WebSocket consumers of the screening queues: who may listen, and what they
see. The protocol (join, snapshot, sequence gate, ping and resync, close
codes) is ``eventhub.core.consumers.LiveSocketConsumer``'s.

- ``/ws/stations/{station}/``: the doctor console. A session of a doctor on
  duty at the station's service, or an organizer. Names (first names) and
  flags; every connect and resync is logged as a health-data read.
- ``/ws/events/{event}/screenings/{service}/board/?kiosk=<token>``: a public
  board, authenticated by a board kiosk's token for that service. Numbers and
  stations only, never names.

Layer events are ``queue.delta`` (``screenings.realtime.delta``).
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from eventhub.core.consumers import CLOSE_NOT_FOUND, LiveSocketConsumer, SocketRefused
from eventhub.core.models import Kiosk
from eventhub.core.selectors import kiosk_for_token
from eventhub.core.services import kiosk_touch
from screenings import realtime
from screenings.models import Service, Station
from screenings.selectors.access import access_station_console, can_read_health_data
from screenings.selectors.queue import board_snapshot


class QueueSocketConsumer(LiveSocketConsumer):
    async def queue_delta(self, event):
        await self.forward_delta(event)


class StationConsoleConsumer(QueueSocketConsumer):
    @database_sync_to_async
    def _authorize(self, station_id: int, user) -> list[str]:
        station = Station.objects.select_related("service").filter(pk=station_id).first()
        if station is None:
            raise SocketRefused(CLOSE_NOT_FOUND)
        if not can_read_health_data(user, station.service):
            raise SocketRefused()
        self.station_id = station.pk
        self.service = station.service
        return [realtime.console_group(station.service_id)]

    async def authorize(self) -> list[str]:
        user = self.scope.get("user")
        return await self._authorize(self.scope["url_route"]["kwargs"]["station"], user)

    @database_sync_to_async
    def read_snapshot(self) -> dict:
        _station, snapshot = access_station_console(
            user=self.scope["user"],
            station_id=self.station_id,
            what=f"console of station {self.station_id}",
        )
        return snapshot


class QueueBoardConsumer(QueueSocketConsumer):
    kiosk_kinds = (Kiosk.Kind.BOARD,)

    @database_sync_to_async
    def _authorize(self, token: str, event_slug: str, code: str) -> list[str]:
        kiosk = kiosk_for_token(token=token, kinds=self.kiosk_kinds)
        if kiosk is None or kiosk.event.slug != event_slug:
            raise SocketRefused()
        if kiosk.service_code and kiosk.service_code != code.upper():
            raise SocketRefused()
        service = Service.objects.filter(event_id=kiosk.event_id, code=code.upper()).first()
        if service is None:
            raise SocketRefused(CLOSE_NOT_FOUND)
        kiosk_touch(kiosk_id=kiosk.pk)
        self.kiosk_token = token
        self.kiosk_id = kiosk.pk
        self.service_id = service.pk
        return [realtime.queue_group(service.pk)]

    async def authorize(self) -> list[str]:
        query = parse_qs(self.scope.get("query_string", b"").decode("ascii", "ignore"))
        token = (query.get("kiosk") or [""])[0]
        kwargs = self.scope["url_route"]["kwargs"]
        return await self._authorize(token, kwargs["event"], kwargs["service"])

    @database_sync_to_async
    def read_snapshot(self) -> dict:
        return board_snapshot(service_id=self.service_id)
