"""Kiosk screens cycle through the event's languages: one label, every translation."""

import json

from django import template
from django.utils import translation
from django.utils.html import format_html, json_script

register = template.Library()


@register.simple_tag(takes_context=True)
def cycled(context, message: str):
    """``message`` in the current language, carrying its translations for the cycler."""
    languages = context.get("languages") or [translation.get_language()]
    texts = {}
    for language in languages:
        with translation.override(language):
            texts[language] = translation.gettext(message)
    return format_html(
        '<span data-i18n="{}">{}</span>',
        json.dumps(texts, ensure_ascii=False),
        translation.gettext(message),
    )


@register.simple_tag(takes_context=True)
def translations_script(context, element_id: str, *messages: str):
    """A JSON ``<script>`` of ``{message: {language: text}}`` for the strings a
    kiosk script builds itself (escaped for the script context)."""
    languages = context.get("languages") or [translation.get_language()]
    table = {}
    for message in messages:
        table[message] = {}
        for language in languages:
            with translation.override(language):
                table[message][language] = translation.gettext(message)
    return json_script(table, element_id)
