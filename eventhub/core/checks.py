"""System checks of the core: what ``manage.py check --deploy`` (and every
command of the production profile) must refuse.

``SITE_URL`` is the base of every link that leaves the browser: e-mails,
PDF tickets, certificates, ``.ics`` files, QR codes (``eventhub/core/links.py``).
Background tasks have no request to learn the host from, so without it they
would send people to ``http://127.0.0.1:8000``.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def site_url_issues() -> list[checks.CheckMessage]:
    """What is wrong with ``settings.SITE_URL`` for a production site."""
    url = (getattr(settings, "SITE_URL", "") or "").strip()
    hint = "Set SITE_URL to the site's public address, e.g. https://fair.example.org."
    if not url:
        return [
            checks.Error(
                "SITE_URL is not set: links in e-mails, PDFs and calendar files "
                "would point at http://127.0.0.1:8000.",
                hint=hint,
                id="eventhub.E001",
            )
        ]
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return [
            checks.Error(
                f"SITE_URL {url!r} is not an http(s) address with a host.",
                hint=hint,
                id="eventhub.E002",
            )
        ]
    if parts.scheme == "https":
        return []
    if _is_loopback(parts.hostname):
        return [
            checks.Warning(
                f"SITE_URL {url!r} is plain HTTP on this machine: links work only here.",
                hint="Fine for `make run-prod`; a real deployment uses https.",
                id="eventhub.W001",
            )
        ]
    return [
        checks.Error(
            f"SITE_URL {url!r} is not https: the ticket links in e-mails and PDFs "
            "(each a credential) would travel unencrypted.",
            hint=hint,
            id="eventhub.E003",
        )
    ]


def site_url_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """The errors, for every command of the production profile
    (``DJANGO_ENV=production``): a worker without SITE_URL does not start."""
    if not getattr(settings, "PRODUCTION", False):
        return []
    return [issue for issue in site_url_issues() if issue.is_serious()]


def site_url_deploy_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """``check --deploy``: everything in development, the warnings in
    production (whose errors ``site_url_check`` reports already), so that
    ``make run-prod`` on loopback is told once, not by every command."""
    issues = site_url_issues()
    if getattr(settings, "PRODUCTION", False):
        return [issue for issue in issues if not issue.is_serious()]
    return issues


def register() -> None:
    checks.register(site_url_check, checks.Tags.security)
    checks.register(site_url_deploy_check, checks.Tags.security, deploy=True)
