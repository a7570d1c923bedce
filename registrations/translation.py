"""Texts an organizer writes, in every language of LANGUAGES (docs/i18n.md)."""

from modeltranslation.translator import TranslationOptions, register

from registrations.models import TrainingModule, TrainingSession


@register(TrainingModule)
class TrainingModuleTranslation(TranslationOptions):
    fields = ("title", "description", "trainers", "audience", "language", "prerequisites")


@register(TrainingSession)
class TrainingSessionTranslation(TranslationOptions):
    fields = ("room",)
