"""What every kiosk socket shares: it is closed the moment its kiosk is
switched off or given a new token.

A consumer held by a kiosk joins the kiosk's own group after it connects;
``kiosk_revoke`` and ``kiosk_token_reissue`` send ``kiosk.revoked`` there
after commit, and the socket closes with 4403 (the page then says it is no
longer paired and stops reconnecting).
"""

from eventhub.core.realtime import kiosk_group

KIOSK_REFUSED = 4403


class KioskSocketMixin:
    kiosk_id: int | None = None

    async def join_kiosk_group(self, kiosk_id: int) -> None:
        self.kiosk_id = kiosk_id
        await self.channel_layer.group_add(kiosk_group(kiosk_id), self.channel_name)

    async def leave_kiosk_group(self) -> None:
        if self.kiosk_id is not None:
            await self.channel_layer.group_discard(kiosk_group(self.kiosk_id), self.channel_name)

    async def kiosk_revoked(self, event):
        await self.close(code=KIOSK_REFUSED)
