"""The Romanian and Serbian (Latin) catalogues are complete and safe to format."""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", ["ro", "sr_Latn"])
def test_every_message_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    assert len(po) > 500
    untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
    fuzzy = [e.msgid for e in po if "fuzzy" in e.flags]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("language", ["ro", "sr_Latn"])
def test_translations_keep_the_placeholders_of_the_english(language):
    wrong = []
    for entry in catalogue(language):
        if entry.obsolete or not entry.msgstr:
            continue
        expected = set(PLACEHOLDER.findall(entry.msgid))
        if set(PLACEHOLDER.findall(entry.msgstr)) != expected:
            wrong.append((entry.msgid, entry.msgstr))
    assert wrong == []
