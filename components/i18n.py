"""Interface language: English (the message ids) and Russian (the CIS's working language).

Labels are translated through gettext catalogues (components/locales/ru/*.po, read with
Babel, which also formats dates and months); names of states, councils and cities come
from the dataset, which holds both languages. Links carry stable codes, so a link means the
same view in either language.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.pofile import read_po

LANGS = ("en", "ru")
DEFAULT_LANG = "en"
LOCALES = Path(__file__).resolve().parent / "locales"


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """msgid -> translation, merged from every .po file of the language."""
    out: dict[str, str] = {}
    for po in sorted((LOCALES / lang).glob("*.po")) if lang != DEFAULT_LANG else []:
        with po.open("rb") as fh:
            for msg in read_po(fh, locale=lang):
                if msg.id and msg.string:
                    out[str(msg.id)] = str(msg.string)
    return out


def t(text: str, lang: str = DEFAULT_LANG, **values) -> str:
    """Translate an English label; `{name}` placeholders are filled after translating."""
    out = catalogue(lang).get(text, text) if lang != DEFAULT_LANG else text
    return out.format(**values) if values else out


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
