"""Domain errors of training bookings, session check-in and certificates.

Kept beside ``registrations/exceptions.py`` (not in it) so the training work
merges without touching the registration errors.
"""

from django.utils.translation import gettext_lazy as _

from eventhub.core.exceptions import DomainError


class AttendeeNotConfirmed(DomainError):
    code, http_status = "not_confirmed", 409
    default_message = _("Only confirmed registrations can book a training seat.")


class TrainingSessionNotFound(DomainError):
    code, http_status = "session_not_found", 404
    default_message = _("No training session of this event has this number.")


class TrainingModuleNotFound(DomainError):
    code, http_status = "module_not_found", 404
    default_message = _("No training module of this event has this number.")


class TrainingBookingNotFound(DomainError):
    code, http_status = "booking_not_found", 404
    default_message = _("This ticket has no such training booking.")


class BookingClosed(DomainError):
    code, http_status = "booking_closed", 409
    default_message = _("Booking for this session has closed.")


class AlreadyBooked(DomainError):
    code, http_status = "already_booked", 409
    default_message = _("You already hold a booking for this training module.")


class BookingOverlap(DomainError):
    code, http_status = "overlapping_booking", 409
    default_message = _("You already hold a booking for another session at that time.")


class BookingNotActive(DomainError):
    code, http_status = "booking_not_active", 409
    default_message = _("This booking has already been cancelled or released.")


class NoFreeSeat(DomainError):
    code, http_status = "no_free_seat", 409
    default_message = _("That session has no free seat any more.")


class CertificateNotAllowed(DomainError):
    code, http_status = "not_checked_in", 409
    default_message = _("Certificates are issued only to people checked in to the session.")


class SessionStarted(DomainError):
    code, http_status = "session_started", 409
    default_message = _(
        "This session has started: it is not cancelled while people are booked on it "
        "(its roster, check-ins and certificates are its record)."
    )
