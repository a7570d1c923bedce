"""Questionnaires of the programme's public consultation, per audience, and
the answers given to them (docs/consultation.md).

Texts an organizer writes (titles, questions, choices) are stored per
language in JSON (``{"en": …, "ro": …, "sr-latn": …}``) and shown in the
reader's language, falling back to English: see ``localized``.
"""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from eventhub.core.models import Event, Region

FALLBACK_LANGUAGE = "en"
# The region answer of a person living outside the programme area.
OTHER_REGION = "other"


def localized(texts: dict | str | None, language: str | None = None) -> str:
    """The text in ``language`` (default: the active one), else English."""
    if not isinstance(texts, dict):
        return texts or ""
    language = (language or translation.get_language() or FALLBACK_LANGUAGE).lower()
    for code in (language, language.split("-")[0], FALLBACK_LANGUAGE):
        if texts.get(code):
            return texts[code]
    return next((t for t in texts.values() if t), "")


class Survey(models.Model):
    """One questionnaire of an event, for one audience."""

    class Audience(models.TextChoices):
        CITIZEN = "citizen", _("Citizens")
        STAKEHOLDER = "stakeholder", _("Stakeholders")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("event")
    )
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    title = models.JSONField(_("title"), default=dict)
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    open = models.BooleanField(_("open for answers"), default=True)

    class Meta:
        ordering = ["event", "audience"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            models.UniqueConstraint(fields=["event", "audience"], name="survey_per_audience")
        ]

    def __str__(self):
        return f"{localized(self.title, 'en')} ({self.audience})"

    @property
    def title_text(self) -> str:
        return localized(self.title)

    @property
    def intro_text(self) -> str:
        return localized(self.intro)


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Several choices")
        SCALE = "scale", _("Scale 1–5")
        TEXT = "text", _("Free text")

    SCALE_MIN, SCALE_MAX = 1, 5
    TEXT_MAX = 2000

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("questionnaire")
    )
    key = models.SlugField(_("key"), max_length=40)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.JSONField(_("question"), default=dict)
    # [{"key": "yes", "text": {"en": "Yes", "ro": "Da", "sr-latn": "Da"}}, …]
    choices = models.JSONField(_("choices"), default=list, blank=True)
    # For a scale: what 1 and 5 mean, per language.
    scale_labels = models.JSONField(_("scale labels"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["survey", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "key"], name="question_key_per_survey")
        ]

    def __str__(self):
        return self.key

    @property
    def text_here(self) -> str:
        return localized(self.text)

    def choice_keys(self) -> list[str]:
        return [c["key"] for c in self.choices]

    def choices_here(self) -> list[tuple[str, str]]:
        return [(c["key"], localized(c.get("text"))) for c in self.choices]

    def scale_here(self) -> tuple[str, str]:
        labels = self.scale_labels or {}
        return localized(labels.get("low")), localized(labels.get("high"))


class Response(models.Model):
    """One person's answers to one questionnaire.

    Anonymous unless the person ticked to be contacted. Linked to a ticket
    when answered from the ticket page: one answer per ticket.
    """

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper form")
        KIOSK = "kiosk", _("Kiosk")

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("questionnaire")
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # {question key: "choice" | ["choice", …] | 1..5 | "text"}
    answers = models.JSONField(_("answers"), default=dict)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region"),
    )
    # The person lives outside the programme area ("other").
    region_other = models.BooleanField(_("outside the programme area"), default=False)
    ticket = models.ForeignKey(
        "registrations.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("ticket"),
    )
    contact_ok = models.BooleanField(_("may be contacted"), default=False)
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "ticket"],
                condition=models.Q(ticket__isnull=False),
                name="survey_answer_once_per_ticket",
            ),
            models.CheckConstraint(
                condition=models.Q(contact_ok=True) | models.Q(contact_name="", contact_email=""),
                name="survey_contact_only_when_ticked",
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.survey.audience} ({self.channel})"
