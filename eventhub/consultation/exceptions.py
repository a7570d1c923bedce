"""Domain errors of the consultation."""

from django.utils.translation import gettext_lazy as _

from eventhub.core.exceptions import DomainError


class AnswersInvalid(DomainError):
    """``fields`` maps ``answers.<key>``, ``region`` or ``contact`` to messages."""

    code, http_status = "answers_invalid", 400
    default_message = _("Some answers need your attention.")


class AlreadyAnswered(DomainError):
    code, http_status = "already_answered", 409
    default_message = _("This ticket has already answered this questionnaire.")


class SurveyClosed(DomainError):
    code, http_status = "survey_closed", 409
    default_message = _("This questionnaire is closed.")
