"""How to cite a view or the dataset: a plain-text reference and BibTeX for the view on
screen (title, dataset version and date, the link that reopens exactly that view), and a
CITATION.cff for the dataset zip, as research datasets and Our World in Data give them."""

from __future__ import annotations

import datetime as dt
import hashlib

from .i18n import DEFAULT_LANG, long_date, t
from .labels import LEVELS, TABS, body_names, country_names, sessions_by_id, word

TITLE = "CIS Meetings Dashboard"
DATASET_TITLE = "CIS ministerial meetings: a cited dataset of sessions of the CIS councils"
AUTHOR = "CIS Meetings Dashboard contributors"


def describe(state, ds, vocab, lang: str = DEFAULT_LANG) -> str:
    """The view in a few words: "Map · Foreign Ministers · 2016–2019 · “terror”"."""
    parts = [t(TABS.get(state.tab, state.tab), lang)]
    if state.session:
        row = sessions_by_id(ds).loc[state.session]
        councils = body_names(ds.bodies, lang)
        parts.append(f"{councils.get(row['body'], row['body'])}, "
                     f"{long_date(row['date'], lang)} ({state.session})")
    if state.bodies:
        short = body_names(ds.bodies, lang, short=True)
        parts.append(", ".join(short.get(b, b) for b in state.bodies))
    if state.year_from or state.year_to:
        lo, hi = state.years(vocab)
        parts.append(f"{lo}–{hi}")
    if state.countries:
        names = country_names(ds, lang)
        parts.append(", ".join(names.get(c, c) for c in state.countries))
    if state.levels:
        parts.append(", ".join(word(LEVELS, v, lang) for v in state.levels))
    if state.q:
        parts.append(f"“{state.q}”")
    return " · ".join(parts)


def plain(view: str, version: str | None, released: dt.date | None, url: str,
          accessed: dt.date, lang: str = DEFAULT_LANG) -> str:
    """"CIS Meetings Dashboard contributors. CIS ministerial meetings: Timeline. Dataset
    version 3 (2 December 2026). <link>. Accessed 2 December 2026."."""
    ver = (t("Dataset version {v} ({date}).", lang, v=version, date=long_date(released, lang))
           if version and released else "")
    return " ".join(x for x in (
        f"{AUTHOR}.", f"{t('CIS ministerial meetings', lang)}: {view}.", ver, f"{url}.",
        t("Accessed {date}.", lang, date=long_date(accessed, lang))) if x)


_BIBTEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&",
           "$": r"\$", "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def _escape_bibtex(text: str) -> str:
    return "".join(_BIBTEX.get(c, c) for c in text)


def bibtex(view: str, version: str | None, released: dt.date | None, url: str,
           accessed: dt.date) -> str:
    """A @misc entry; the key is stable for the same view and version."""
    key = "cis-meetings-" + hashlib.sha1(f"{url}|{version}".encode()).hexdigest()[:8]
    year = (released or accessed).year
    fields = [
        ("author", "{" + AUTHOR + "}"),
        ("title", _escape_bibtex(f"CIS ministerial meetings: {view}")),
        ("year", str(year)),
        ("howpublished", r"\url{" + url + "}"),
        ("note", _escape_bibtex(f"Dataset version {version}, released {released.isoformat()}; "
                                f"accessed {accessed.isoformat()}")
         if version and released else f"Accessed {accessed.isoformat()}"),
        ("urldate", accessed.isoformat()),
    ]
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@misc{{{key},\n{body}\n}}"


def cff(version: str | None, released: dt.date | None, url: str = "") -> str:
    """CITATION.cff (Citation File Format 1.2.0) for the dataset zip."""
    lines = [
        "cff-version: 1.2.0",
        "message: If you use this dataset, please cite it as below.",
        "type: dataset",
        f'title: "{DATASET_TITLE}"',
        "authors:",
        f'  - name: "{AUTHOR}"',
    ]
    if version:
        lines.append(f'version: "{version}"')
    if released:
        lines.append(f"date-released: {released.isoformat()}")
    if url:
        lines.append(f'url: "{url}"')
    lines += [
        "abstract: >-",
        "  Sessions of the CIS councils of foreign ministers, defence ministers, heads of",
        "  state and heads of government: who came and at what level, how each seat is",
        "  known, agenda items, documents and signatures, every fact with the page that",
        "  states it.",
        "keywords:",
        "  - Commonwealth of Independent States",
        "  - international organisations",
        "  - diplomacy",
    ]
    return "\n".join(lines) + "\n"
