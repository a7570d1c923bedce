"""Read pages the way a visitor of another language would: which English texts
of the organizer's (the fair's own content, docs/i18n.md) are left on them."""

import html
import json
import re

from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname


def organizer_texts(language: str) -> dict[str, str]:
    """``{English text: its version in language}`` for every translated field.

    A multi-line text (the trainers) counts line by line, as pages show it.
    """
    texts = {}
    for model in translator.get_registered_models():
        fields = list(translator.get_options_for_model(model).fields)
        for obj in model._default_manager.all():
            for field in fields:
                english = getattr(obj, build_localized_fieldname(field, "en")) or ""
                other = getattr(obj, build_localized_fieldname(field, language)) or ""
                for en_line, other_line in zip(
                    english.splitlines(), other.splitlines(), strict=False
                ):
                    if en_line.strip():
                        texts[en_line.strip()] = other_line.strip()
    return texts


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(text))


def visible(page: str) -> str:
    """What a person reads on an HTML page: no tags, attributes or scripts."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"<[^>]+>", " ", page)


def json_config(page: str, element_id: str) -> dict:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


def english_in(text: str, language: str = "sr-latn") -> list[str]:
    """The English organizer texts found in ``text`` (proper names the same in
    every language excepted)."""
    text = squeeze(text)
    return sorted(
        english
        for english, translated in organizer_texts(language).items()
        if english != translated and squeeze(english) in text
    )
