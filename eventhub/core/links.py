"""Absolute links for e-mails, PDFs, ``.ics`` files and QR codes.

Every link that leaves the browser goes through ``absolute_url(path)``. Its
base is, in this order:

1. ``settings.SITE_URL`` when it is set (production must set it; ``make run``
   sets it to the host and port it serves);
2. the host and port of the request being served (development without
   ``SITE_URL``: ``SiteUrlMiddleware`` notes it for the request's duration,
   and ``served_from(base)`` does the same for a background task given the
   base captured when it was queued, see ``current_base_url``);
3. ``DEFAULT_BASE`` (a shell or a test with neither).

A request's Host is trusted only in development: with ``SITE_URL`` set it
is never read, so a forged Host header cannot end up in a ticket e-mail.
"""

from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit

from django.conf import settings

DEFAULT_BASE = "http://127.0.0.1:8000"
_served_base: ContextVar[str | None] = ContextVar("eventhub_served_base", default=None)


def current_base_url() -> str:
    """The base every absolute link gets now (scheme, host and port, no slash)."""
    configured = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return configured or _served_base.get() or DEFAULT_BASE


def absolute_url(path: str) -> str:
    """``path`` (``/t/ABC/``) as a full URL on the site (module docstring)."""
    if not path.startswith("/"):
        path = "/" + path
    return current_base_url() + path


def site_host() -> str:
    """The site's host[:port], e.g. for calendar UIDs."""
    return urlsplit(current_base_url()).netloc


@contextmanager
def served_from(base: str | None):
    """Build links on ``base`` inside the block (unless ``SITE_URL`` is set)."""
    token = _served_base.set(base.rstrip("/") if base else _served_base.get())
    try:
        yield
    finally:
        _served_base.reset(token)


class SiteUrlMiddleware:
    """Notes the request's own scheme, host and port as the links' base in
    development (``SITE_URL`` unset), so a server on port 8001 sends links to
    port 8001."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "SITE_URL", ""):
            return self.get_response(request)
        with served_from(f"{request.scheme}://{request.get_host()}"):
            return self.get_response(request)
