"""Domain errors: what services raise when a business rule says no.

Each error carries a stable ``code`` (the contract scanners and kiosks rely
on), an HTTP status and a translatable message. Only
``eventhub/core/error_handlers.py`` turns them into HTTP or WebSocket answers.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code = "domain_error"
    http_status = 400
    default_message = _("The request could not be completed.")

    def __init__(self, message=None, *, fields: dict | None = None, **data):
        self.message = message or self.default_message
        self.fields = fields or {}
        self.data = data
        super().__init__(str(self.message))


class NotFound(DomainError):
    code, http_status = "not_found", 404
    default_message = _("Not found.")


class PermissionDenied(DomainError):
    code, http_status = "permission_denied", 403
    default_message = _("You do not have permission to do this.")


class Conflict(DomainError):
    code, http_status = "conflict", 409
    default_message = _("This conflicts with the current state; reload and try again.")


class OwnOrganizerRole(DomainError):
    code, http_status = "own_organizer_role", 409
    default_message = _("You cannot remove your own organizer role.")


class RegistrationClosed(DomainError):
    code, http_status = "registration_closed", 409
    default_message = _("Registration for this event is not open.")


class LockTimeout(DomainError):
    """Overload: a row stayed locked, or no database connection came free,
    for longer than the bounded wait; the client may retry (503 with
    ``Retry-After``)."""

    code, http_status = "busy", 503
    default_message = _("The system is busy; please try again in a moment.")
    retry_after = 1


class AddressRateLimited(DomainError):
    """Too many e-mails to an address in its throttle window
    (``eventhub.core.throttling.AddressRateThrottle``): 429 with
    ``Retry-After``; ``fields`` names the field of each address over its
    limit, the message the first one."""

    code, http_status = "throttled", 429
    default_message = _("Too many e-mails went to this address in a short time.")

    def __init__(self, message=None, *, retry_after: int, fields: dict | None = None):
        super().__init__(message, fields=fields)
        self.retry_after = retry_after
