"""The live-socket protocol, once: every socket of EventHub (the public
boards, the doctors' consoles, the stats screens) is a thin subclass of
``LiveSocketConsumer``. See docs/realtime.md.

A subclass says who may listen and what they see; the base does the rest:

1. ``authorize()`` (the subclass) returns the groups to join, or raises
   ``SocketRefused`` with a close code. A kiosk's socket also records the
   kiosk (``kiosk_id``, ``kiosk_token``): the base joins the kiosk's own
   group, so revoking or re-issuing the kiosk closes the socket at once
   (``kiosk.revoked``), and checks its token on every ``ping``.
2. The base joins the groups, accepts, then reads ``read_snapshot()`` (the
   subclass) and sends it to this socket only. Joining first means no
   change can fall between the read and the subscription.
3. Layer events ``{"seq", "message"}`` pass the sequence gate
   (``forward_delta``): an old ``seq`` is dropped, a gap answers a fresh
   snapshot, the next one is forwarded and becomes the socket's ``seq``.
4. The client may send ``ping`` (answered ``pong``) and ``resync``
   (answered a fresh snapshot).

A server-side failure while reading (the database or Redis away) closes the
socket with ``CLOSE_RESYNC`` rather than dropping it (1006): the client
reconnects and gets a fresh snapshot.
"""

import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from eventhub.core.realtime import kiosk_group
from eventhub.core.services import kiosk_ping

logger = logging.getLogger(__name__)

# Close codes (docs/realtime.md). A refusal before the handshake completes
# reaches a browser as an HTTP 403 (the ASGI servers refuse the upgrade);
# after it, as the code itself.
CLOSE_REFUSED = 4403  # not allowed, or the kiosk was revoked: the client stops
CLOSE_NOT_FOUND = 4404  # no such event, service or station
CLOSE_RESYNC = 4500  # a server-side error: reconnect for a fresh snapshot


class SocketRefused(Exception):
    """Raised by ``authorize()``: close the socket with ``code``."""

    def __init__(self, code: int = CLOSE_REFUSED):
        super().__init__(code)
        self.code = code


class LiveSocketConsumer(AsyncJsonWebsocketConsumer):
    """Snapshot, then sequence-gated deltas, for one kind of live socket."""

    # The kiosk kinds whose token a ``ping`` re-checks (a kiosk's socket).
    kiosk_kinds: tuple[str, ...] = ()

    seq = 0
    kiosk_id: int | None = None
    kiosk_token = ""
    joined: tuple[str, ...] = ()
    closing = False

    # --- The channel layer, guarded ------------------------------------------

    @property
    def channel_receive(self):
        return self._guarded_receive

    @channel_receive.setter
    def channel_receive(self, receive):
        """Channels sets this to the layer's ``receive``; an error there (Redis
        gone) would kill the socket with 1006. It becomes ``layer.lost``
        instead, and the socket closes with ``CLOSE_RESYNC``."""

        async def guarded():
            try:
                return await receive()
            except Exception:  # noqa: BLE001 - any layer failure ends in a resync
                logger.warning("live socket: the channel layer failed", exc_info=True)
                return {"type": "layer.lost"}

        self._guarded_receive = guarded

    async def layer_lost(self, event):
        if not self.closing:
            self.closing = True
            await self.close(code=CLOSE_RESYNC)

    # --- What a subclass implements -----------------------------------------

    async def authorize(self) -> list[str]:
        """The groups this socket joins; raise ``SocketRefused`` to refuse."""
        raise SocketRefused()

    async def read_snapshot(self) -> dict:
        """The state now, with the ``seq`` it is current for."""
        raise SocketRefused(CLOSE_RESYNC)

    # --- The protocol --------------------------------------------------------

    async def connect(self):
        try:
            groups = list(await self.authorize())
        except SocketRefused as refused:
            await self.close(code=refused.code)
            return
        except Exception:
            logger.exception("live socket: authorization failed")
            await self.close(code=CLOSE_RESYNC)
            return
        if self.kiosk_id is not None:
            groups.append(kiosk_group(self.kiosk_id))
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.joined = tuple(groups)
        await self.accept()
        await self.send_snapshot()

    async def disconnect(self, code):
        for group in self.joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        self.joined = ()

    async def close_for_resync(self) -> None:
        """Close with ``CLOSE_RESYNC`` after a server-side error (logged)."""
        logger.exception("live socket: closing for a resync")
        self.closing = True
        await self.close(code=CLOSE_RESYNC)

    async def send_snapshot(self) -> None:
        if self.closing:
            return
        try:
            snapshot = await self.read_snapshot()
        except Exception:
            await self.close_for_resync()
            return
        self.seq = snapshot["seq"]
        await self.send_json({**snapshot, "type": "snapshot"})

    async def forward_delta(self, event):
        """The sequence gate: drop what the socket has, heal a gap, forward the next."""
        seq = event.get("seq")
        if self.closing or not isinstance(seq, int) or seq <= self.seq:
            return  # already in what this socket was sent
        if seq > self.seq + 1:
            await self.send_snapshot()  # missed one: start over
            return
        self.seq = seq
        await self.send_json(event["message"])

    async def receive_json(self, content, **kwargs):
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            if self.kiosk_token and not await self.kiosk_alive():
                return
            await self.send_json({"type": "pong", "seq": self.seq})
        elif kind == "resync":
            await self.send_snapshot()
        else:
            await self.send_json(
                {"type": "error", "code": "unknown_message", "message": "Unknown message type."}
            )

    async def kiosk_alive(self) -> bool:
        """A kiosk's heartbeat: record it seen; close the socket of a kiosk
        switched off or given a new token."""
        try:
            alive = await database_sync_to_async(kiosk_ping)(
                token=self.kiosk_token, kinds=self.kiosk_kinds
            )
        except Exception:
            await self.close_for_resync()
            return False
        if not alive:
            await self.close(code=CLOSE_REFUSED)
        return alive

    async def kiosk_revoked(self, event):
        await self.close(code=CLOSE_REFUSED)
