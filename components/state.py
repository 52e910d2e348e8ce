"""The view's state <-> URL query parameters. Parsing never raises.

URL grammar (stable codes, independent of the UI language; defaults are left out):
  tab      timeline | map | countries | documents | sessions | coverage   (default: timeline)
  body     council code, repeated or comma-separated               (default: all councils)
  from,to  years, inclusive                                        (default: whole dataset)
  country  ISO 3166-1 alpha-3, repeated or comma-separated         (default: all states)
  q        free text over agenda items and document titles         (default: empty)
  session  session id, e.g. cfm-2025-04-11                         (default: none)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

TABS = ("timeline", "map", "countries", "documents", "sessions", "coverage")
DEFAULT_TAB = "timeline"
MAX_Q = 200
PARAMS = ("tab", "body", "from", "to", "country", "q", "session")


@dataclass(frozen=True)
class Vocabulary:
    """What a link may name: taken from the loaded dataset."""
    bodies: tuple[str, ...]
    countries: tuple[str, ...]
    sessions: frozenset[str]
    year_min: int
    year_max: int


@dataclass(frozen=True)
class ViewState:
    tab: str = DEFAULT_TAB
    bodies: tuple[str, ...] = ()       # empty: every council
    year_from: int | None = None       # None: the dataset's first year
    year_to: int | None = None         # None: the dataset's last year
    countries: tuple[str, ...] = ()    # empty: every state
    q: str = ""
    session: str | None = None

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
    return replace(state, bodies=bodies, countries=countries, year_from=year_from,
                   year_to=year_to, q=clean_text(state.q))


def from_query(params: Mapping[str, Sequence[str] | str], vocab: Vocabulary) -> tuple[ViewState, list[str]]:
    """Read a state from query params; unknown or malformed values are dropped with a notice."""
    notices: list[str] = []
    try:
        state = ViewState()
        unknown = sorted(k for k in params if k not in PARAMS and k != "embed" and not k.startswith("embed_"))
        if unknown:
            notices.append(f"Ignored unknown link parameter(s): {', '.join(unknown)}.")

        tab = _values(params, "tab")
        if tab:
            if tab[0].lower() in TABS:
                state = replace(state, tab=tab[0].lower())
            else:
                notices.append(f"Unknown view {tab[0]!r} in the link; showing the timeline.")

        bodies, bad = _codes(_values(params, "body"), vocab.bodies, upper=False)
        if bad:
            notices.append(f"Unknown council code(s) {', '.join(bad)} ignored.")
        countries, bad = _codes(_values(params, "country"), vocab.countries, upper=True)
        if bad:
            notices.append(f"Unknown country code(s) {', '.join(bad)} ignored "
                           "(use ISO 3166-1 alpha-3, e.g. KAZ).")
        state = replace(state, bodies=bodies, countries=countries)

        years = {}
        for key in ("from", "to"):
            vals = _values(params, key)
            if not vals:
                continue
            try:
                year = int(vals[0])
            except ValueError:
                notices.append(f"{key}={vals[0]!r} is not a year; ignored.")
                continue
            if not vocab.year_min <= year <= vocab.year_max:
                clamped = min(max(year, vocab.year_min), vocab.year_max)
                notices.append(f"{key}={year} is outside the data ({vocab.year_min}–"
                               f"{vocab.year_max}); using {clamped}.")
                year = clamped
            years[key] = year
        if "from" in years and "to" in years and years["from"] > years["to"]:
            notices.append(f"from={years['from']} is after to={years['to']}; swapped.")
            years["from"], years["to"] = years["to"], years["from"]
        state = replace(state, year_from=years.get("from"), year_to=years.get("to"))

        raw_q = params.get("q")
        text = raw_q if isinstance(raw_q, str) else (list(raw_q)[0] if raw_q else "")
        # q is free text: commas are part of it, unlike the code lists above.
        if len(clean_text(text)) < len(str(text).strip()):
            notices.append(f"Search text shortened to {MAX_Q} printable characters.")
        state = replace(state, q=clean_text(text))

        sess = _values(params, "session")
        if sess:
            if sess[0] in vocab.sessions:
                state = replace(state, session=sess[0])
            else:
                notices.append(f"Unknown session {sess[0][:60]!r} in the link; none selected.")
        return normalize(state, vocab), notices
    except Exception as exc:  # a link must never break the page
        return ViewState(), [f"The link could not be read ({type(exc).__name__}); showing defaults."]


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
    if s.q:
        out["q"] = [s.q]
    if s.session:
        out["session"] = [s.session]
    return out
