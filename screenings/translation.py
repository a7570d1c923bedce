"""Texts an organizer writes, in every language of LANGUAGES (docs/i18n.md)."""

from modeltranslation.translator import TranslationOptions, register

from screenings.models import EligibilityQuestion, Service, Station


@register(Service)
class ServiceTranslation(TranslationOptions):
    fields = ("name", "description", "preparation", "provider")


@register(EligibilityQuestion)
class EligibilityQuestionTranslation(TranslationOptions):
    fields = ("text", "exclusion_reason", "flag")


@register(Station)
class StationTranslation(TranslationOptions):
    fields = ("name", "room")
