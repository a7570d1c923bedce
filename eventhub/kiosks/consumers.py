"""The live-totals socket ``/ws/events/{event}/stats/``.

Who may listen: an organizer of the event (session) or an active stats
kiosk of the event (``?kiosk=<token>``). What it sees: a ``snapshot`` on
connect (attendance totals, ``training`` seats per session, ``screenings``
waiting and served per service), then a ``stats`` message with the next
sequence number and the new figures of the ``part`` that changed, for every
committed change. The figures are computed once per change by the
broadcaster (``eventhub.core.realtime.stats_changed_on_commit``) and only
forwarded here. The protocol itself (gate, ping, resync, close codes) is
``eventhub.core.consumers.LiveSocketConsumer``'s.
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async

from eventhub.core.consumers import CLOSE_NOT_FOUND, LiveSocketConsumer, SocketRefused
from eventhub.core.models import Event, Kiosk
from eventhub.core.permissions import has_event_role
from eventhub.core.realtime import stats_group
from eventhub.core.selectors import kiosk_for_token
from eventhub.core.services import kiosk_touch
from eventhub.kiosks.selectors import stats_snapshot


class EventStatsConsumer(LiveSocketConsumer):
    kiosk_kinds = (Kiosk.Kind.STATS,)
    event_id: int | None = None

    @database_sync_to_async
    def _authorize(self, slug: str, user, query_string: bytes) -> list[str]:
        event_id = Event.objects.filter(slug=slug).values_list("pk", flat=True).first()
        if event_id is None:
            raise SocketRefused(CLOSE_NOT_FOUND)
        self.event_id = event_id
        if user is not None and has_event_role(user, event_id):
            return [stats_group(event_id)]
        token = parse_qs(query_string.decode("latin-1")).get("kiosk", [""])[0]
        kiosk = kiosk_for_token(token=token, kinds=self.kiosk_kinds) if token else None
        if kiosk is None or kiosk.event_id != event_id:
            raise SocketRefused()
        kiosk_touch(kiosk_id=kiosk.pk)
        self.kiosk_token = token
        self.kiosk_id = kiosk.pk
        return [stats_group(event_id)]

    async def authorize(self) -> list[str]:
        slug = self.scope["url_route"]["kwargs"]["event"]
        return await self._authorize(
            slug, self.scope.get("user"), self.scope.get("query_string", b"")
        )

    async def read_snapshot(self) -> dict:
        return await database_sync_to_async(stats_snapshot)(event_id=self.event_id)

    async def stats_changed(self, event):
        await self.forward_delta(event)
