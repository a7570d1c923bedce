"""The organizer's kiosk list: last seen and online state, create, switch off,
new address (the old one is refused by pages and sockets), pairing QR."""

import datetime as dt
import io
import re

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.urls import reverse
from django.utils import timezone

from eventhub.core.models import Kiosk
from eventhub.core.services import kiosk_revoke, kiosk_token_reissue
from screenings.routing import websocket_urlpatterns
from tests.factories import KioskFactory
from tests.screenings.helpers import make_service

pytestmark = pytest.mark.django_db


def kiosks_url(event):
    return reverse("organizer:kiosks", args=[event.slug])


def row(body: str, kiosk: Kiosk) -> str:
    return re.search(rf'<tr data-kiosk="{kiosk.pk}">(.*?)</tr>', body, re.S).group(1)


def test_the_list_shows_last_seen_and_online_within_two_minutes(organizer_client, fair):
    now = timezone.now()
    fresh = KioskFactory(
        event=fair, name="Gate A stats", last_seen_at=now - dt.timedelta(seconds=90)
    )
    stale = KioskFactory(event=fair, name="Tent board", last_seen_at=now - dt.timedelta(minutes=3))
    never = KioskFactory(event=fair, name="Spare")
    off = KioskFactory(event=fair, name="Old", active=False, last_seen_at=now)
    KioskFactory(name="Someone else's kiosk")
    body = organizer_client.get(kiosks_url(fair)).content.decode()
    assert 'class="state online"' in row(body, fresh)
    assert 'class="state offline"' in row(body, stale)
    assert "never" in row(body, never) and 'class="state offline"' in row(body, never)
    assert 'class="state revoked"' in row(body, off)
    assert "Someone else" not in body
    assert timezone.localtime(stale.last_seen_at, fair_tz(fair)).strftime("%H:%M") in row(
        body, stale
    )


def fair_tz(event):
    from zoneinfo import ZoneInfo

    return ZoneInfo(event.timezone)


def test_visiting_the_kiosk_page_marks_it_online(client, organizer_client, fair):
    kiosk = KioskFactory(event=fair, kind=Kiosk.Kind.STATS)
    assert 'class="state offline"' in row(
        organizer_client.get(kiosks_url(fair)).content.decode(), kiosk
    )
    assert client.get(kiosk.get_absolute_url()).status_code == 200
    assert 'class="state online"' in row(
        organizer_client.get(kiosks_url(fair)).content.decode(), kiosk
    )


def test_creating_a_board_kiosk_leads_to_its_pairing_qr(organizer_client, fair):
    make_service(fair, code="T", name="Thyroid ultrasound")
    response = organizer_client.post(
        kiosks_url(fair), {"kind": "board", "name": "Tent T", "service_code": "T"}
    )
    kiosk = Kiosk.objects.get(event=fair, name="Tent T")
    assert kiosk.service_code == "T" and kiosk.active
    assert response["Location"] == reverse("organizer:kiosk-pairing", args=[fair.slug, kiosk.pk])
    page = organizer_client.get(response["Location"])
    body = page.content.decode()
    assert f"http://testserver/kiosk/{kiosk.token}/" in body
    assert "<svg" in body
    assert page["Cache-Control"] == "private, no-store"
    assert decode_qr(body) == f"http://testserver/kiosk/{kiosk.token}/"


def decode_qr(body: str) -> str:
    """Render the page's SVG QR to pixels and read it back."""
    zxingcpp = pytest.importorskip("zxingcpp")
    from PIL import Image, ImageDraw

    svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
    size = float(re.search(r'width="([\d.]+)mm"', svg).group(1))
    path = re.search(r' d="([^"]+)"', svg).group(1)
    scale = 20
    image = Image.new("L", (int(size * scale) + 40, int(size * scale) + 40), 255)
    draw = ImageDraw.Draw(image)
    for x, y, x1, y1 in re.findall(r"M([\d.]+),([\d.]+)H([\d.]+)V([\d.]+)", path):
        x0, y0 = float(x) * scale + 20, float(y) * scale + 20
        draw.rectangle([x0, y0, float(x1) * scale + 19, float(y1) * scale + 19], fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    results = zxingcpp.read_barcodes(Image.open(buffer))
    return results[0].text if results else ""


def test_a_board_without_a_service_is_refused_with_the_input_kept(organizer_client, fair):
    response = organizer_client.post(
        kiosks_url(fair),
        {"kind": "board", "name": "Tent T", "service_code": ""},
        HTTP_ACCEPT_LANGUAGE="sr-latn",
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'value="Tent T"' in body
    assert "Tabla reda prikazuje jednu uslugu: izaberite je." in body
    assert not Kiosk.objects.filter(event=fair).exists()


def test_switching_a_kiosk_off_refuses_its_page(client, organizer_client, fair):
    kiosk = KioskFactory(event=fair, kind=Kiosk.Kind.STATS)
    organizer_client.post(reverse("organizer:kiosk-revoke", args=[fair.slug, kiosk.pk]))
    kiosk.refresh_from_db()
    assert not kiosk.active
    assert client.get(kiosk.get_absolute_url()).status_code == 404


def test_a_new_address_refuses_the_old_page_and_opens_the_new_one(client, organizer_client, fair):
    kiosk = KioskFactory(event=fair, kind=Kiosk.Kind.STATS)
    old_url = kiosk.get_absolute_url()
    assert client.get(old_url).status_code == 200
    response = organizer_client.post(reverse("organizer:kiosk-reissue", args=[fair.slug, kiosk.pk]))
    kiosk.refresh_from_db()
    assert response["Location"] == reverse("organizer:kiosk-pairing", args=[fair.slug, kiosk.pk])
    assert kiosk.get_absolute_url() != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(kiosk.get_absolute_url()).status_code == 200


def test_another_events_kiosk_cannot_be_touched(organizer_client, fair):
    foreign = KioskFactory(kind=Kiosk.Kind.STATS)
    token = foreign.token
    for name in ("kiosk-revoke", "kiosk-reissue"):
        url = reverse(f"organizer:{name}", args=[fair.slug, foreign.pk])
        assert organizer_client.post(url).status_code == 404
    assert (
        organizer_client.get(
            reverse("organizer:kiosk-pairing", args=[fair.slug, foreign.pk])
        ).status_code
        == 404
    )
    foreign.refresh_from_db()
    assert foreign.active and foreign.token == token


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_db_connections")
async def test_a_new_address_refuses_the_old_token_on_the_board_socket():
    service = await database_sync_to_async(make_service)(code="T")
    kiosk = await database_sync_to_async(KioskFactory)(
        event=service.event, kind="board", service_code="T"
    )
    old = kiosk.token
    await database_sync_to_async(kiosk_token_reissue)(kiosk_id=kiosk.pk)
    new = await database_sync_to_async(lambda: Kiosk.objects.get(pk=kiosk.pk).token)()
    router = URLRouter(websocket_urlpatterns)
    base = f"/ws/events/{service.event.slug}/screenings/T/board/?kiosk="

    refused = WebsocketCommunicator(router, base + old)
    connected, code = await refused.connect()
    assert not connected and code == 4403

    accepted = WebsocketCommunicator(router, base + new)
    connected, _ = await accepted.connect()
    assert connected
    assert (await accepted.receive_json_from())["type"] == "snapshot"
    await accepted.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_db_connections")
async def test_a_connected_board_stays_online_by_pinging_and_is_cut_off_by_a_new_address():
    service = await database_sync_to_async(make_service)(code="T")
    kiosk = await database_sync_to_async(KioskFactory)(
        event=service.event, kind="board", service_code="T"
    )
    path = f"/ws/events/{service.event.slug}/screenings/T/board/?kiosk={kiosk.token}"
    socket = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    assert (await socket.connect())[0]
    await socket.receive_json_from()  # snapshot
    await database_sync_to_async(Kiosk.objects.filter(pk=kiosk.pk).update)(last_seen_at=None)

    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from())["type"] == "pong"
    seen = await database_sync_to_async(lambda: Kiosk.objects.get(pk=kiosk.pk).last_seen_at)()
    assert seen is not None and timezone.now() - seen < dt.timedelta(seconds=5)

    await database_sync_to_async(kiosk_token_reissue)(kiosk_id=kiosk.pk)
    await socket.send_json_to({"type": "ping"})
    output = await socket.receive_output()
    assert output == {"type": "websocket.close", "code": 4403}


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_db_connections")
async def test_a_switched_off_stats_screen_is_cut_off_at_its_next_ping():
    from eventhub.routing import websocket_urlpatterns as stats_routes

    kiosk = await database_sync_to_async(KioskFactory)(kind="stats")
    slug = await database_sync_to_async(lambda: kiosk.event.slug)()
    socket = WebsocketCommunicator(
        URLRouter(stats_routes), f"/ws/events/{slug}/stats/?kiosk={kiosk.token}"
    )
    assert (await socket.connect())[0]
    await socket.receive_json_from()  # snapshot
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from())["type"] == "pong"
    await database_sync_to_async(kiosk_revoke)(kiosk_id=kiosk.pk)
    await socket.send_json_to({"type": "ping"})
    assert await socket.receive_output() == {"type": "websocket.close", "code": 4403}
