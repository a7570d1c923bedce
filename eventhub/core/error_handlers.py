"""The two translations of errors: DRF responses and WebSocket messages.

Every API error has the shape ``{"error": {"code", "message", "fields"}}``.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.db.utils import OperationalError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from eventhub.core.exceptions import DomainError, LockTimeout

logger = logging.getLogger(__name__)


def error_body(code: str, message, fields: dict | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}, **extra}}


def _flatten(detail):
    """DRF's nested ErrorDetail lists to plain strings, keeping the field tree."""
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [str(item) for item in detail]
        return [_flatten(item) for item in detail]
    return [str(detail)]


OVERLOAD_SIGNS = (
    "lock timeout",  # PostgreSQL's lock_timeout (settings: DB_LOCK_TIMEOUT_MS)
    "database is locked",  # SQLite's busy timeout
    "couldn't get a connection",  # psycopg_pool.PoolTimeout: every pooled connection busy
)


def is_overload(exc: Exception) -> bool:
    """A database error that means "too busy now", not "broken"."""
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc).lower()
    return any(sign in text for sign in OVERLOAD_SIGNS)


def api_exception_handler(exc, context):
    if is_overload(exc):
        exc = LockTimeout()
    if isinstance(exc, DomainError):
        headers = {}
        if getattr(exc, "retry_after", None):  # LockTimeout, AddressRateLimited
            headers["Retry-After"] = str(exc.retry_after)
        return Response(
            error_body(exc.code, exc.message, exc.fields, **exc.data),
            status=exc.http_status,
            headers=headers,
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("too_large", _("The request is too large.")), status=413)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = drf.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django logs it and answers 500
    if isinstance(exc, drf.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body(
            "invalid", _("Some fields need your attention."), _flatten(detail)
        )
    elif isinstance(exc, drf.APIException):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        detail = exc.detail if not isinstance(exc.detail, dict | list) else exc.default_detail
        response.data = error_body(code, detail)
    return response


def ws_error_message(exc: DomainError) -> dict:
    """A domain error as a WebSocket message."""
    return {"type": "error", "code": exc.code, "message": str(exc.message)}


class OverloadMiddleware:
    """Pages answer overload as the API does: 503 with ``Retry-After``.

    The API's views get it from ``api_exception_handler``; an HTML view that
    waited too long for a row lock or a pooled connection gets a short page
    here instead of a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exc):
        if not is_overload(exc):
            return None
        from django.template.loader import render_to_string

        logger.warning("overload: %s %s (%s)", request.method, request.path, exc)
        body = render_to_string("busy.html", request=request)
        response = HttpResponse(body, status=503)
        response["Retry-After"] = str(LockTimeout.retry_after)
        return response
