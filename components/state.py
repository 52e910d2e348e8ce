"""The view's state <-> URL query parameters. Parsing never raises.

URL grammar (stable codes, independent of the UI language; defaults are left out):
  tab      timeline | map | countries | documents | sessions | coverage   (default: timeline)
  body     council code, repeated or comma-separated               (default: all councils)
  from,to  years, inclusive                                        (default: whole dataset)
  country  ISO 3166-1 alpha-3, repeated or comma-separated         (default: all states)
  q        free text over agenda items and document titles         (default: empty)
  session  session id, e.g. cfm-2025-04-11                         (default: none)
  level    delegation level, repeated: head | minister | deputy_minister | ambassador |
           other (default: every delegation; with it, only delegations present at those
           levels)
  lang     en | ru                                                 (default: en)
  v        dataset version the link was made with, e.g. 2026.11.27 (written by the app;
           sessions published after it stay hidden until the user asks for current data)
Old parameter names and values keep working through MIGRATIONS.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from .i18n import DEFAULT_LANG, LANGS, t, tn

TABS = ("timeline", "map", "countries", "documents", "sessions", "coverage", "signatures")
DEFAULT_TAB = "timeline"
MAX_Q = 200
PARAMS = ("tab", "body", "from", "to", "country", "q", "session", "lang", "v", "level")
LEVELS = ("head", "minister", "deputy_minister", "ambassador", "other")
# Links that last: parameter names and values used by earlier releases, mapped to today's.
MIGRATIONS = {
    "view": "tab", "council": "body", "bodies": "body", "countries": "country",
    "year_from": "from", "year_to": "to", "search": "q", "language": "lang",
    "version": "v",
}
VALUE_MIGRATIONS = {"tab": {"participation": "countries", "table": "sessions",
                            "docs": "documents", "attendance": "map"}}


@dataclass(frozen=True)
class Vocabulary:
    """What a link may name: taken from the loaded dataset."""
    bodies: tuple[str, ...]
    countries: tuple[str, ...]
    sessions: frozenset[str]
    year_min: int
    year_max: int
    versions: tuple[str, ...] = ()     # oldest first; the last is the current version

    @property
    def current_version(self) -> str | None:
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True)
class ViewState:
    tab: str = DEFAULT_TAB
    bodies: tuple[str, ...] = ()       # empty: every council
    year_from: int | None = None       # None: the dataset's first year
    year_to: int | None = None         # None: the dataset's last year
    countries: tuple[str, ...] = ()    # empty: every state
    q: str = ""
    session: str | None = None
    lang: str = DEFAULT_LANG
    version: str | None = None         # None: the current dataset version
    levels: tuple[str, ...] = ()       # empty: every delegation, whatever its level

    def years(self, vocab: Vocabulary) -> tuple[int, int]:
        return (self.year_from or vocab.year_min, self.year_to or vocab.year_max)


def _values(params: Mapping[str, Sequence[str] | str], key: str) -> list[str]:
    raw = params.get(key, [])
    items = [raw] if isinstance(raw, str) else list(raw)
    out: list[str] = []
    for item in items:
        out.extend(p.strip() for p in str(item).split(",") if p.strip())
    return out


def _codes(values: list[str], allowed: Sequence[str], upper: bool) -> tuple[tuple[str, ...], list[str]]:
    norm = [v.upper() if upper else v.lower() for v in values]
    bad = [v for v, n in zip(values, norm) if n not in allowed]
    keep = tuple(c for c in allowed if c in norm)  # canonical order, no duplicates
    return keep, bad


def clean_text(text: str) -> str:
    """Search text as kept in the state: printable characters only, trimmed, bounded."""
    return "".join(ch for ch in str(text) if ch.isprintable()).strip()[:MAX_Q].strip()


def normalize(state: ViewState, vocab: Vocabulary) -> ViewState:
    """Fold values equal to the defaults back to the defaults, so equal views have equal URLs."""
    bodies = state.bodies if set(state.bodies) != set(vocab.bodies) else ()
    countries = state.countries if set(state.countries) != set(vocab.countries) else ()
    year_from = state.year_from if state.year_from not in (None, vocab.year_min) else None
    year_to = state.year_to if state.year_to not in (None, vocab.year_max) else None
    levels = state.levels if set(state.levels) != set(LEVELS) else ()
    return replace(state, bodies=bodies, countries=countries, year_from=year_from,
                   year_to=year_to, q=clean_text(state.q), levels=levels)


def migrate(params: Mapping[str, Sequence[str] | str]) -> dict[str, list[str]]:
    """Rename old parameters and values; a current name wins over an old one."""
    out: dict[str, list[str]] = {}
    for key, raw in params.items():
        values = [raw] if isinstance(raw, str) else [str(v) for v in raw]
        new = MIGRATIONS.get(key, key)
        if new != key and new in params:
            continue
        out.setdefault(new, []).extend(values)
    for key, table in VALUE_MIGRATIONS.items():
        if key in out:
            out[key] = [table.get(v.lower(), v) for v in out[key]]
    return out


def _lang_of(params: Mapping[str, Sequence[str] | str]) -> tuple[str, str | None]:
    vals = _values(params, "lang")
    if not vals:
        return DEFAULT_LANG, None
    if vals[0].lower() in LANGS:
        return vals[0].lower(), None
    return DEFAULT_LANG, vals[0][:20]


def from_query(params: Mapping[str, Sequence[str] | str], vocab: Vocabulary) -> tuple[ViewState, list[str]]:
    """Read a state from query params; unknown or malformed values are dropped with a notice
    (in the link's language, read first)."""
    notices: list[str] = []
    lang = DEFAULT_LANG
    try:
        params = migrate(params)
        lang, bad_lang = _lang_of(params)
        state = ViewState(lang=lang)
        if bad_lang is not None:
            notices.append(t("Unknown language {value!r} in the link; showing English.", lang,
                             value=bad_lang))
        unknown = sorted(k for k in params if k not in PARAMS and k != "embed" and not k.startswith("embed_"))
        if unknown:
            notices.append(t("Ignored unknown link parameter(s): {names}.", lang,
                             names=", ".join(k[:40] for k in unknown[:10])))

        tab = _values(params, "tab")
        if tab:
            if tab[0].lower() in TABS:
                state = replace(state, tab=tab[0].lower())
            else:
                notices.append(t("Unknown view {value!r} in the link; showing the timeline.",
                                 lang, value=tab[0][:40]))

        bodies, bad = _codes(_values(params, "body"), vocab.bodies, upper=False)
        if bad:
            notices.append(t("Unknown council code(s) {values} ignored.", lang,
                             values=", ".join(b[:20] for b in bad[:10])))
        countries, bad = _codes(_values(params, "country"), vocab.countries, upper=True)
        if bad:
            notices.append(t("Unknown country code(s) {values} ignored (use ISO 3166-1 "
                             "alpha-3, e.g. KAZ).", lang,
                             values=", ".join(c[:20] for c in bad[:10])))
        levels, bad = _codes(_values(params, "level"), LEVELS, upper=False)
        if bad:
            notices.append(t("Unknown delegation level(s) {values} ignored.", lang,
                             values=", ".join(v[:20] for v in bad[:10])))
        state = replace(state, bodies=bodies, countries=countries, levels=levels)

        version = _values(params, "v")
        if version:
            if version[0] in vocab.versions:
                if version[0] != vocab.current_version:
                    state = replace(state, version=version[0])
            else:
                notices.append(t("Unknown dataset version {value!r} in the link; showing the "
                                 "current data.", lang, value=version[0][:30]))

        years = {}
        for key in ("from", "to"):
            vals = _values(params, key)
            if not vals:
                continue
            try:
                year = int(vals[0])
            except ValueError:
                notices.append(t("{key}={value!r} is not a year; ignored.", lang, key=key,
                                 value=vals[0][:20]))
                continue
            if not vocab.year_min <= year <= vocab.year_max:
                clamped = min(max(year, vocab.year_min), vocab.year_max)
                notices.append(t("{key}={year} is outside the data ({lo}–{hi}); using "
                                 "{clamped}.", lang, key=key, year=year, lo=vocab.year_min,
                                 hi=vocab.year_max, clamped=clamped))
                year = clamped
            years[key] = year
        if "from" in years and "to" in years and years["from"] > years["to"]:
            notices.append(t("from={lo} is after to={hi}; swapped.", lang, lo=years["from"],
                             hi=years["to"]))
            years["from"], years["to"] = years["to"], years["from"]
        state = replace(state, year_from=years.get("from"), year_to=years.get("to"))

        raw_q = params.get("q")
        text = raw_q if isinstance(raw_q, str) else (list(raw_q)[0] if raw_q else "")
        # q is free text: commas are part of it, unlike the code lists above.
        if len(clean_text(text)) < len(str(text).strip()):
            notices.append(tn("Search text shortened to {n} printable character.",
                              "Search text shortened to {n} printable characters.", MAX_Q, lang))
        state = replace(state, q=clean_text(text))

        sess = _values(params, "session")
        if sess:
            if sess[0] in vocab.sessions:
                state = replace(state, session=sess[0])
            else:
                notices.append(t("Unknown session {value!r} in the link; none selected.", lang,
                                 value=sess[0][:60]))
        return normalize(state, vocab), notices
    except Exception as exc:  # a link must never break the page
        return ViewState(lang=lang), [t("The link could not be read ({error}); showing "
                                        "defaults.", lang, error=type(exc).__name__)]


def to_query(state: ViewState, vocab: Vocabulary) -> dict[str, list[str]]:
    """Query params for a state, defaults omitted; lists as repeated params."""
    s = normalize(state, vocab)
    out: dict[str, list[str]] = {}
    if s.tab != DEFAULT_TAB:
        out["tab"] = [s.tab]
    if s.bodies:
        out["body"] = list(s.bodies)
    if s.year_from is not None:
        out["from"] = [str(s.year_from)]
    if s.year_to is not None:
        out["to"] = [str(s.year_to)]
    if s.countries:
        out["country"] = list(s.countries)
    if s.levels:
        out["level"] = list(s.levels)
    if s.q:
        out["q"] = [s.q]
    if s.session:
        out["session"] = [s.session]
    if s.lang != DEFAULT_LANG:
        out["lang"] = [s.lang]
    # Always written: a link made today keeps showing today's data after the dataset grows.
    version = s.version or vocab.current_version
    if version:
        out["v"] = [version]
    return out
