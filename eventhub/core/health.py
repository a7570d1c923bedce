"""``/healthz``: database and channel layer status for load balancers."""

import asyncio
import time

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse


def _check_database() -> dict:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"ok": True, "vendor": connection.vendor, "ms": _ms(started)}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


async def _check_channel_layer() -> dict:
    """Send a message to a fresh channel and read it back."""
    layer = get_channel_layer()
    started = time.perf_counter()
    channel = await layer.new_channel("healthz.")
    await layer.send(channel, {"type": "healthz.ping"})
    message = await asyncio.wait_for(layer.receive(channel), timeout=2)
    return {
        "ok": message.get("type") == "healthz.ping",
        "backend": type(layer).__name__,
        "ms": _ms(started),
    }


async def healthz(request):
    checks = {}
    for name, check in (
        ("database", sync_to_async(_check_database, thread_sensitive=True)),
        ("channel_layer", _check_channel_layer),
    ):
        try:
            checks[name] = await check()
        except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
            checks[name] = {"ok": False, "error": type(exc).__name__}
    ok = all(check["ok"] for check in checks.values())
    return JsonResponse({"status": "ok" if ok else "fail", **checks}, status=200 if ok else 503)
