"""The live-totals socket ``/ws/events/{event}/stats/``.

Who may listen: an organizer of the event (session) or an active stats
kiosk of the event (``?kiosk=<token>``). Protocol (DESIGN.md): a
``snapshot`` on connect (attendance totals, ``training`` seats per session,
``screenings`` waiting and served per service), then a ``stats`` message with
the next sequence number and the new figures of the ``part`` that changed,
for every committed change; a gap (a missed change) is answered with
a fresh ``snapshot``. The client may send ``{"type": "resync"}`` or
``{"type": "ping"}``. Sequence numbers are shared by every server process
(see ``eventhub.core.realtime.stats_changed_on_commit``).
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from eventhub.core.consumers import KioskSocketMixin
from eventhub.core.models import Event, Kiosk
from eventhub.core.permissions import has_event_role
from eventhub.core.realtime import stats_group
from eventhub.core.selectors import kiosk_for_token
from eventhub.core.services import kiosk_ping, kiosk_touch
from eventhub.kiosks.selectors import stats_part, stats_snapshot

CLOSE_FORBIDDEN = 4403


@database_sync_to_async
def _authorized_event_id(
    slug: str, user, query_string: bytes
) -> tuple[int | None, str, int | None]:
    """The event's id when staff or its stats kiosk may watch, and the kiosk's
    token and id when it was the kiosk (its pings are then checked)."""
    event_id = Event.objects.filter(slug=slug).values_list("pk", flat=True).first()
    if event_id is None:
        return None, "", None
    if user is not None and has_event_role(user, event_id):
        return event_id, "", None
    token = parse_qs(query_string.decode("latin-1")).get("kiosk", [""])[0]
    kiosk = kiosk_for_token(token=token, kinds=(Kiosk.Kind.STATS,)) if token else None
    if kiosk is not None and kiosk.event_id == event_id:
        kiosk_touch(kiosk_id=kiosk.pk)
        return event_id, token, kiosk.pk
    return None, "", None


class EventStatsConsumer(KioskSocketMixin, AsyncJsonWebsocketConsumer):
    event_id: int | None = None
    kiosk_token: str = ""
    group: str = ""
    seq: int = 0

    async def connect(self):
        slug = self.scope["url_route"]["kwargs"]["event"]
        self.event_id, self.kiosk_token, kiosk_id = await _authorized_event_id(
            slug, self.scope.get("user"), self.scope.get("query_string", b"")
        )
        if self.event_id is None:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        await self.accept()
        # Join first, then read: no change can slip between the two.
        self.group = stats_group(self.event_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        if kiosk_id is not None:
            await self.join_kiosk_group(kiosk_id)
        await self.send_snapshot()

    async def disconnect(self, code):
        await self.leave_kiosk_group()
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def send_snapshot(self):
        snapshot = await database_sync_to_async(stats_snapshot)(event_id=self.event_id)
        self.seq = snapshot["seq"]
        await self.send_json({"type": "snapshot", **snapshot})

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "resync":
            await self.send_snapshot()
        elif kind == "ping":
            # A stats kiosk's heartbeat: fresh "online" state for organizers,
            # and the end of a kiosk switched off or given a new token.
            if self.kiosk_token and not await database_sync_to_async(kiosk_ping)(
                token=self.kiosk_token, kinds=(Kiosk.Kind.STATS,)
            ):
                await self.close(code=CLOSE_FORBIDDEN)
                return
            await self.send_json({"type": "pong", "seq": self.seq})

    async def stats_changed(self, event):
        seq = event.get("seq")
        if not isinstance(seq, int) or seq <= self.seq:
            return  # already counted in what this socket was sent
        if seq > self.seq + 1:
            return await self.send_snapshot()  # missed one: start over
        part = event.get("part", "")
        figures = await database_sync_to_async(stats_part)(event_id=self.event_id, part=part)
        self.seq = seq
        await self.send_json({"type": "stats", "seq": seq, "part": part, **figures})
