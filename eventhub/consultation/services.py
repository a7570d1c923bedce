"""Writes of the consultation: storing one person's answers."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from eventhub.consultation.exceptions import AlreadyAnswered, AnswersInvalid, SurveyClosed
from eventhub.consultation.models import OTHER_REGION, Question, Response, Survey
from eventhub.core.models import Region


def _check_one(question: Question, value):
    """The clean value of one answer, or raise ValueError with a message."""
    kind = question.kind
    if kind == Question.Kind.SINGLE:
        if not isinstance(value, str) or value not in question.choice_keys():
            raise ValueError(_("Pick one of the choices."))
        return value
    if kind == Question.Kind.MULTIPLE:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(_("Pick one or more of the choices."))
        keys = question.choice_keys()
        if any(v not in keys for v in value):
            raise ValueError(_("Pick one or more of the choices."))
        return [k for k in keys if k in value]
    if kind == Question.Kind.SCALE:
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not Question.SCALE_MIN <= value <= Question.SCALE_MAX
        ):
            raise ValueError(_("Choose a number from 1 to 5."))
        return value
    if not isinstance(value, str):
        raise ValueError(_("Expected text."))
    value = value.strip()
    if len(value) > Question.TEXT_MAX:
        raise ValueError(_("At most %(limit)d characters.") % {"limit": Question.TEXT_MAX})
    return value


def _blank(value) -> bool:
    return value is None or value == "" or value == []


def answers_check(*, survey: Survey, answers, region) -> tuple[dict, Region | None]:
    """The clean answers and region, or raise AnswersInvalid naming every
    wrong field (``answers.<key>``, ``region``)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(answers, dict):
        raise AnswersInvalid(fields={"answers": [_("Expected an object of answers.")]})
    questions = {q.key: q for q in survey.questions.all()}
    for key in answers:
        if key not in questions:
            errors[f"answers.{key}"] = [_("There is no such question.")]
    clean = {}
    for key, question in questions.items():
        value = answers.get(key)
        if _blank(value):
            if question.required:
                errors[f"answers.{key}"] = [_("This question needs an answer.")]
            continue
        try:
            value = _check_one(question, value)
        except ValueError as exc:
            errors[f"answers.{key}"] = [str(exc)]
            continue
        if not _blank(value):
            clean[key] = value
    region_row = None
    if region == OTHER_REGION:
        pass
    elif _blank(region):
        errors["region"] = [_("Say where you live.")]
    else:
        try:
            region_row = Region.objects.filter(
                pk=int(region), programme_id=survey.event.programme_id
            ).first()
        except (TypeError, ValueError):
            region_row = None
        if region_row is None:
            errors["region"] = [_("Pick a region of the programme area, or “other”.")]
    if errors:
        raise AnswersInvalid(fields=errors)
    return clean, region_row


@transaction.atomic
def response_submit(
    *,
    survey_id: int,
    answers,
    region,
    channel: str,
    language: str = "",
    ticket_id: int | None = None,
    contact_ok: bool = False,
    contact_name: str = "",
    contact_email: str = "",
    entered_by_id: int | None = None,
) -> Response:
    """Store one person's answers to a questionnaire.

    Contact details are kept only when ``contact_ok``. Raise AnswersInvalid
    (nothing stored), SurveyClosed, or AlreadyAnswered for a ticket that
    answered this questionnaire before.
    """
    survey = Survey.objects.select_related("event").get(pk=survey_id)
    if not survey.open:
        raise SurveyClosed()
    clean, region_row = answers_check(survey=survey, answers=answers, region=region)
    contact_name = (contact_name or "").strip()[:200] if contact_ok else ""
    contact_email = (contact_email or "").strip()[:254] if contact_ok else ""
    if contact_ok:
        try:
            validate_email(contact_email)
        except ValidationError:
            raise AnswersInvalid(
                fields={"contact_email": [_("Enter an e-mail address to be contacted.")]}
            ) from None
    if ticket_id is not None and survey.responses.filter(ticket_id=ticket_id).exists():
        raise AlreadyAnswered()
    try:
        with transaction.atomic():
            return Response.objects.create(
                survey=survey,
                channel=channel,
                answers=clean,
                region=region_row,
                region_other=region == OTHER_REGION,
                ticket_id=ticket_id,
                contact_ok=contact_ok,
                contact_name=contact_name,
                contact_email=contact_email,
                language=language[:10],
                entered_by_id=entered_by_id,
            )
    except IntegrityError:
        # The same ticket sent twice at once: the other request stored it.
        raise AlreadyAnswered() from None


def consultation_data_erase(*, attendee_id: int, now=None) -> None:
    """Unlink the person's answers from their ticket and drop the contact
    details they gave; the anonymous answers stay in the results.
    (``registrations.hooks.ON_ERASE``.)"""
    Response.objects.filter(ticket__attendee_id=attendee_id).update(
        ticket=None, contact_ok=False, contact_name="", contact_email=""
    )
