"""WebSocket consumers of the screening queues (thin: authenticate, join,
snapshot, forward).

- ``/ws/stations/{station}/``: the doctor console. A session of a doctor on
  duty at the station's service, or an organizer. Names (first names) and
  flags; every connect and resync is logged as a health-data read.
- ``/ws/events/{event}/screenings/{service}/board/?kiosk=<token>``: a public
  board, authenticated by a board kiosk's token for that service. Numbers and
  stations only, never names.

Both follow STYLE.md §7: join the group, then read and send the snapshot;
deltas carry ``seq``; a gap makes the consumer send a fresh snapshot; the
client may send ``{"type": "resync"}`` or ``{"type": "ping"}``.
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from eventhub.core.consumers import KioskSocketMixin
from eventhub.core.models import Kiosk
from eventhub.core.selectors import kiosk_for_token
from eventhub.core.services import kiosk_ping, kiosk_touch
from screenings import realtime
from screenings.models import Service, Station
from screenings.selectors.access import access_station_console, can_read_health_data
from screenings.selectors.queue import board_snapshot

DENIED = 4403
NOT_FOUND = 4404


class QueueConsumerBase(AsyncJsonWebsocketConsumer):
    group = ""
    seq = 0

    async def authorize(self) -> bool:
        return False

    async def read_snapshot(self) -> dict:
        return {}

    async def connect(self):
        if not await self.authorize():
            await self.close(code=DENIED)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_snapshot()

    async def disconnect(self, code):
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def send_snapshot(self):
        snapshot = await self.read_snapshot()
        self.seq = snapshot["seq"]
        await self.send_json(snapshot)

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json({"type": "pong", "seq": self.seq})
        elif kind == "resync":
            await self.send_snapshot()
        else:
            await self.send_json(
                {"type": "error", "code": "unknown_message", "message": "Unknown message type."}
            )

    async def queue_delta(self, event):
        if event["seq"] <= self.seq:
            return  # already in our snapshot
        if event["seq"] > self.seq + 1:
            await self.send_snapshot()  # missed one: start over
            return
        self.seq = event["seq"]
        await self.send_json(event["message"])


class StationConsoleConsumer(QueueConsumerBase):
    @database_sync_to_async
    def _authorize(self, station_id: int, user) -> bool:
        station = Station.objects.select_related("service").filter(pk=station_id).first()
        if station is None or not can_read_health_data(user, station.service):
            return False
        self.station_id = station.pk
        self.service = station.service
        self.group = realtime.console_group(station.service_id)
        return True

    async def authorize(self) -> bool:
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


class QueueBoardConsumer(KioskSocketMixin, QueueConsumerBase):
    kiosk_token = ""
    board_kiosk_id = None

    async def connect(self):
        await super().connect()
        if self.board_kiosk_id is not None:
            await self.join_kiosk_group(self.board_kiosk_id)

    async def disconnect(self, code):
        await self.leave_kiosk_group()
        await super().disconnect(code)

    @database_sync_to_async
    def _authorize(self, token: str, event_slug: str, code: str) -> bool:
        kiosk = kiosk_for_token(token=token, kinds=(Kiosk.Kind.BOARD,))
        if kiosk is None or kiosk.event.slug != event_slug:
            return False
        if kiosk.service_code and kiosk.service_code != code.upper():
            return False
        service = Service.objects.filter(event_id=kiosk.event_id, code=code.upper()).first()
        if service is None:
            return False
        kiosk_touch(kiosk_id=kiosk.pk)
        self.kiosk_token = token
        self.board_kiosk_id = kiosk.pk
        self.service_id = service.pk
        self.group = realtime.queue_group(service.pk)
        return True

    async def receive_json(self, content, **kwargs):
        # The heartbeat keeps the organizer's "online" state fresh and ends
        # the socket of a kiosk switched off or given a new token.
        if isinstance(content, dict) and content.get("type") == "ping":
            alive = await database_sync_to_async(kiosk_ping)(
                token=self.kiosk_token, kinds=(Kiosk.Kind.BOARD,)
            )
            if not alive:
                await self.close(code=DENIED)
                return
        await super().receive_json(content, **kwargs)

    async def authorize(self) -> bool:
        query = parse_qs(self.scope.get("query_string", b"").decode("ascii", "ignore"))
        token = (query.get("kiosk") or [""])[0]
        kwargs = self.scope["url_route"]["kwargs"]
        return await self._authorize(token, kwargs["event"], kwargs["service"])

    @database_sync_to_async
    def read_snapshot(self) -> dict:
        return board_snapshot(service_id=self.service_id)
