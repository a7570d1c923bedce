"""A kiosk's sockets close the moment an organizer switches it off or gives it
a new address, not at its next heartbeat."""

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from eventhub.asgi import application
from eventhub.core.models import Kiosk
from eventhub.core.services import kiosk_revoke, kiosk_token_reissue
from tests.factories import EventFactory, KioskFactory
from tests.screenings.helpers import make_service

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_db_connections"),
]


@sync_to_async
def make_kiosks():
    event = EventFactory()
    make_service(event, code="T")
    board = KioskFactory(event=event, kind=Kiosk.Kind.BOARD, service_code="T")
    stats = KioskFactory(event=event, kind=Kiosk.Kind.STATS)
    return event, board, stats


def socket(path):
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    return WebsocketCommunicator(application, path, headers=headers)


@pytest.mark.parametrize("action", [kiosk_revoke, kiosk_token_reissue])
async def test_revoking_or_reissuing_closes_the_kiosks_open_sockets(action):
    event, board, stats = await make_kiosks()
    board_ws = socket(f"/ws/events/{event.slug}/screenings/T/board/?kiosk={board.token}")
    stats_ws = socket(f"/ws/events/{event.slug}/stats/?kiosk={stats.token}")
    for ws in (board_ws, stats_ws):
        assert (await ws.connect())[0]
        assert (await ws.receive_json_from(timeout=5))["type"] == "snapshot"

    await sync_to_async(action)(kiosk_id=board.pk)
    closed = await board_ws.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4403}
    # The other kiosk is not affected.
    assert await stats_ws.receive_nothing(timeout=0.3)

    await sync_to_async(action)(kiosk_id=stats.pk)
    assert (await stats_ws.receive_output(timeout=5))["code"] == 4403
    again = socket(f"/ws/events/{event.slug}/screenings/T/board/?kiosk={board.token}")
    connected, code = await again.connect()
    assert not connected and code == 4403
