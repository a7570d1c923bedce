"""Domain errors of screenings: booking, eligibility and the queues."""

from django.utils.translation import gettext_lazy as _

from eventhub.core.exceptions import DomainError


class ServiceNotFound(DomainError):
    code, http_status = "service_not_found", 404
    default_message = _("There is no such screening at this event.")


class SlotNotFound(DomainError):
    code, http_status = "slot_not_found", 404
    default_message = _("This time slot does not exist.")


class SlotFull(DomainError):
    code, http_status = "slot_full", 409
    default_message = _("This time slot has just been taken. Please choose another one.")


class SlotPast(DomainError):
    code, http_status = "slot_past", 409
    default_message = _("This time slot has already started.")


class AlreadyBooked(DomainError):
    code, http_status = "already_booked", 409
    default_message = _(
        "You already have an appointment for this screening. Cancel it first to choose "
        "another time."
    )


class ConsentRequired(DomainError):
    code, http_status = "consent_required", 422
    default_message = _("Please agree to the processing of your health data to book.")


class NotEligible(DomainError):
    code, http_status = "not_eligible", 422
    default_message = _("This screening is not suitable for you.")


class AppointmentNotFound(DomainError):
    code, http_status = "appointment_not_found", 404
    default_message = _("This appointment does not exist.")


class AppointmentNotActive(DomainError):
    code, http_status = "appointment_not_active", 409
    default_message = _("This appointment is no longer active.")


class AttendeeNotConfirmed(DomainError):
    code, http_status = "attendee_not_confirmed", 409
    default_message = _("Only confirmed registrations can book a screening.")


class StationNotFound(DomainError):
    code, http_status = "station_not_found", 404
    default_message = _("This station does not exist.")


class StationPaused(DomainError):
    code, http_status = "station_paused", 409
    default_message = _("This station is paused. Reopen it to call the next person.")


class ServiceClosed(DomainError):
    code, http_status = "service_closed", 409
    default_message = _("No station of this screening is open now; please ask at the desk.")


class QueueEntryNotFound(DomainError):
    code, http_status = "entry_not_found", 404
    default_message = _("This queue number does not exist.")


class InvalidTransition(DomainError):
    code, http_status = "invalid_transition", 409
    default_message = _("This person's queue status does not allow that now.")


class AnswersIncomplete(DomainError):
    code, http_status = "invalid", 400
    default_message = _("Some fields need your attention.")
