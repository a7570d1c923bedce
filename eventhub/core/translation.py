"""Texts an organizer writes, in every language of LANGUAGES (docs/i18n.md).

django-modeltranslation adds ``name_en``, ``name_ro`` and ``name_sr_latn``
columns; ``event.name`` reads the active language's, falling back to English.
"""

from modeltranslation.translator import TranslationOptions, register

from eventhub.core.models import Event, Programme


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name",)


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("name", "description", "venue", "address", "city")
