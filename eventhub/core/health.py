"""``/healthz``: database and channel layer status for load balancers.

Anyone gets the status: ``ok``, ``degraded`` (the database answers, Redis
does not: the public side still works, live screens fall back to polling)
or ``fail`` (the database does not answer; 503). Which part is down, the
vendors and the latencies are shown to staff, and to a probe on the
machine itself (loopback, not forwarded by a proxy).
"""

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


LOOPBACK = {"127.0.0.1", "::1"}
CHECK_TIMEOUT = 2.5  # seconds: a hung Redis or database counts as down


async def _may_see_details(request) -> bool:
    if request.META.get("REMOTE_ADDR") in LOOPBACK and "HTTP_X_FORWARDED_FOR" not in request.META:
        return True
    user = await request.auser()
    return user.is_active and user.is_staff


async def healthz(request):
    checks = {}
    for name, check in (
        ("database", sync_to_async(_check_database, thread_sensitive=True)),
        ("channel_layer", _check_channel_layer),
    ):
        try:
            checks[name] = await asyncio.wait_for(check(), timeout=CHECK_TIMEOUT)
        except Exception as exc:  # noqa: BLE001 - a health check reports, never raises
            checks[name] = {"ok": False, "error": type(exc).__name__}
    if not checks["database"]["ok"]:
        status = "fail"
    elif not checks["channel_layer"]["ok"]:
        status = "degraded"
    else:
        status = "ok"
    body = {"status": status}
    if await _may_see_details(request):
        body |= checks
        body["down"] = [name for name, check in checks.items() if not check["ok"]]
    return JsonResponse(body, status=503 if status == "fail" else 200)
