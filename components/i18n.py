"""Interface language: English (the message ids) and Russian (the CIS's working language).

Labels are translated through gettext catalogues (components/locales/ru/*.po, read with
Babel, which also formats dates and months); names of states, councils and cities come
from the dataset, which holds both languages. Links carry stable codes, so a link means the
same view in either language.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LANGS = ("en", "ru")
DEFAULT_LANG = "en"
LOCALES = Path(__file__).resolve().parent / "locales"


@lru_cache(maxsize=None)
def _catalogues(lang: str) -> tuple:
    """Babel's catalogues of the language (every .po file)."""
    if lang == DEFAULT_LANG:
        return ()
    out = []
    for po in sorted((LOCALES / lang).glob("*.po")):
        with po.open("rb") as fh:
            out.append(read_po(fh, locale=lang))
    return tuple(out)


@lru_cache(maxsize=None)
def translations(lang: str) -> gettext.NullTranslations:
    """gettext translations of the language, compiled from its .po files with Babel, so
    counted labels take the plural form the catalogue's Plural-Forms rule picks (Russian
    has three: 1 заседание, 2 заседания, 5 заседаний)."""
    out: gettext.NullTranslations = gettext.NullTranslations()
    for cat in _catalogues(lang):
        buf = io.BytesIO()
        write_mo(buf, cat)
        buf.seek(0)
        more = gettext.GNUTranslations(buf)
        if isinstance(out, gettext.GNUTranslations):
            out.add_fallback(more)
        else:
            out = more
    return out


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation of every singular message of the language (counted messages
    are in `plurals`)."""
    return {str(m.id): str(m.string) for cat in _catalogues(lang) for m in cat
            if m.id and isinstance(m.id, str) and m.string}


@lru_cache(maxsize=None)
def plurals(lang: str) -> dict[tuple[str, str], tuple[str, ...]]:
    """(singular, plural) -> the translated forms, for every counted message."""
    return {tuple(m.id): tuple(m.string) for cat in _catalogues(lang) for m in cat
            if isinstance(m.id, tuple)}


def t(text: str, lang: str = DEFAULT_LANG, **values) -> str:
    """Translate an English label; `{name}` placeholders are filled after translating."""
    out = translations(lang).gettext(text) if lang != DEFAULT_LANG else text
    return out.format(**values) if values else out


def tn(singular: str, plural: str, n: int, lang: str = DEFAULT_LANG, **values) -> str:
    """A counted label in the form the number takes: "1 session" / "2 sessions";
    "1 заседание" / "2 заседания" / "5 заседаний". `{n}` is the number."""
    n = int(n)
    out = translations(lang).ngettext(singular, plural, n)
    return out.format(n=n, **values)


def long_date(day: dt.date, lang: str = DEFAULT_LANG) -> str:
    """11 April 2025 / 11 апреля 2025 г."""
    return format_date(day, "d MMMM y", locale=lang)


def short_date(day: dt.date, lang: str = DEFAULT_LANG) -> str:
    return format_date(day, "d MMM y", locale=lang)


def pick(en, ru, lang: str = DEFAULT_LANG) -> tuple[str | None, bool]:
    """The text in the chosen language, else the other one; True when it had to fall back
    (the page then marks it with the language it is in)."""
    first, second = (ru, en) if lang == "ru" else (en, ru)
    if isinstance(first, str) and first:
        return first, False
    if isinstance(second, str) and second:
        return second, True
    return None, False


def pick_marked(en, ru, lang: str = DEFAULT_LANG) -> str:
    """As `pick`, with a visible marker on a fallback: "[RU] Заявление …"."""
    text, fell_back = pick(en, ru, lang)
    if text is None:
        return ""
    return f"[{'EN' if lang == 'ru' else 'RU'}] {text}" if fell_back else text
