"""Domain errors of registrations, tickets and check-in."""

from django.utils.translation import gettext_lazy as _

from eventhub.core.exceptions import DomainError, RegistrationClosed

__all__ = [
    "RegistrationClosed",
    "AttendeeCancelled",
    "TicketNotFound",
    "EmailTaken",
    "InvalidLanguage",
]


class AttendeeCancelled(DomainError):
    code, http_status = "cancelled", 409
    default_message = _("This registration has been cancelled.")


class TicketNotFound(DomainError):
    code, http_status = "ticket_not_found", 404
    default_message = _("No ticket has this code.")


class EmailTaken(DomainError):
    code, http_status = "email_taken", 409
    default_message = _("Another registration for this event uses this e-mail address.")


class InvalidLanguage(DomainError):
    code, http_status = "invalid_language", 400
    default_message = _("This language is not offered.")


# --- Check-in ---------------------------------------------------------------


class NotCheckedIn(DomainError):
    code, http_status = "not_checked_in", 409
    default_message = _("This ticket has not been checked in.")


class EventFull(DomainError):
    code, http_status = "event_full", 409
    default_message = _("The fair is full: a walk-in cannot be admitted.")
