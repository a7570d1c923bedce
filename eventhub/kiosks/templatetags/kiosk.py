"""Kiosk screens cycle through the event's languages: one label, every translation."""

import json

from django import template
from django.utils import translation
from django.utils.html import format_html, json_script
from django.utils.translation import gettext_noop as _

register = template.Library()

# The texts kiosk templates pass to the tags below, marked here so that
# makemessages finds them (it reads {% translate %}, not custom tags).
KIOSK_TEXTS = (
    _("Checked in"),
    _("Estimated wait"),
    _("Free seats in training"),
    _("Gates"),
    _("Hold the code under the scanner, or type it and press Enter"),
    _("Next"),
    _("Now serving"),
    _("Please wait to be called"),
    _("Registered"),
    _("Scan your ticket's QR code"),
    _("Screenings: waiting · served"),
    _("Waiting"),
    _("Your number"),
    _("on the waiting list"),
    _("Number %(number)s, please go to %(station)s."),
    _("%(minutes)s min"),
    _("station"),
    _("Welcome, %(name)s!"),
    _("Join the queue: %(service)s"),
    _("You are number %(position)s in line, about %(minutes)s min."),
    _("This ticket is not valid here."),
    _("This ticket belongs to another event."),
    _("This registration was cancelled."),
    _("You are on the waiting list; please ask at the information desk."),
    _("Please try again."),
    _("Training"),
    _("Appointment"),
    _("You already have a number in this queue."),
)


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


def in_languages(languages, obj, field: str) -> dict[str, str]:
    """An organizer's text (``service.name``) in each of ``languages`` (docs/i18n.md)."""
    texts = {}
    for language in languages:
        with translation.override(language):
            texts[language] = str(getattr(obj, field))
    return texts


@register.simple_tag(takes_context=True)
def cycled_field(context, obj, field: str):
    """``obj.field`` (a text in three languages) carrying its versions for the cycler."""
    languages = context.get("languages") or [translation.get_language()]
    return format_html(
        '<span data-i18n="{}">{}</span>',
        json.dumps(in_languages(languages, obj, field), ensure_ascii=False),
        getattr(obj, field),
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
