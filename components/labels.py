"""Names for codes, in one place: states, councils, statuses, levels, how a seat is known,
document types, and the publisher and address of every source.

The tidy tables and every CSV keep the stable codes (`KAZ`, `present`, `deputy_minister`);
what a reader sees on screen goes through here, in the interface language.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from .dataset import Dataset
from .i18n import DEFAULT_LANG, pick, short_date, t

TABS = {"timeline": "Timeline", "map": "Map", "countries": "Countries",
        "documents": "Documents", "sessions": "Sessions", "coverage": "Coverage",
        "signatures": "Who signed what"}

# English labels of each vocabulary's codes (the msgids of their translations).
ATTENDANCE = {"present": "present", "absent": "absent", "unknown": "no information"}
LEVELS = {"head": "head of state or government", "minister": "minister",
          "deputy_minister": "deputy minister",
          "ambassador": "ambassador / plenipotentiary representative", "other": "other"}
BASES = {"stated": "stated", "list": "from a list of participants",
         "announced": "announced beforehand"}
ROLES = {"guest": "guest", "observer": "observer"}
SESSION_STATUSES = {"held": "held", "not_held": "not held", "postponed": "postponed"}
FORMATS = {"regular": "regular", "extraordinary": "extraordinary", "informal": "informal",
           "video": "video"}
MEMBERSHIP = {"member": "member", "associate": "associate", "participant": "participant",
              "not_participating": "not participating", "withdrawn": "withdrawn",
              "observer": "observer"}
SIGNATURES = {"signed": "signed", "not_signed": "not signed",
              "reservation": "signed with reservations"}
OUTCOMES = {"signed": "signed", "approved": "approved", "adopted": "adopted",
            "forwarded": "forwarded"}
DOC_TYPES = {c: c for c in ("agreement", "protocol", "decision", "statement", "declaration",
                            "appeal", "programme", "plan", "concept", "regulation", "other")}
ESTIMATES = {"number": "session number", "count": "official count"}
FACTS = {"date": "date", "end_date": "end date", "city": "city", "host_country": "host",
         "chair_country": "chair", "format": "format", "agenda_items_count": "agenda items",
         "documents_count": "documents", "status": "status", "number": "session number"}

# A state's place at one session, as the map and the tables of chosen states say it.
CATEGORIES = {**ATTENDANCE, "not a member": "not a member", "not held": "session not held"}

# Which vocabulary a column of a reader's table holds (by column name). `status` mixes
# disjoint vocabularies (attendance, session, signature), so one merged map serves it.
_STATUS = {**SESSION_STATUSES, **SIGNATURES, **ATTENDANCE}
_BY_COLUMN = {
    "status": _STATUS, "category": CATEGORIES, "level": LEVELS, "basis": BASES,
    "role": ROLES, "format": FORMATS, "membership_status": MEMBERSHIP, "outcome": OUTCOMES,
    "doc_type": DOC_TYPES, "estimate_from": ESTIMATES, "field": FACTS,
}
_COUNTRY_COLUMNS = ("country", "host_country", "chair_country")


def word(vocabulary: dict[str, str], code, lang: str = DEFAULT_LANG) -> str:
    """A code in words ("" for an empty cell); an unknown code is shown as it is."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return ""
    return t(vocabulary.get(code, code), lang) if code in vocabulary else str(code)


def country_names(ds: Dataset, lang: str = DEFAULT_LANG) -> dict[str, str]:
    key = ("labels", "countries " + lang)
    if key not in ds.derived:
        col = "name_ru" if lang == "ru" else "name_en"
        ds.derived[key] = dict(zip(ds.countries["country"], ds.countries[col]))
    return ds.derived[key]


def body_names(bodies: pd.DataFrame, lang: str = DEFAULT_LANG, short: bool = False) -> dict:
    col = ("short_" if short else "name_") + ("ru" if lang == "ru" else "en")
    return dict(zip(bodies["body"], bodies[col]))


def sessions_by_id(ds: Dataset) -> pd.DataFrame:
    """The sessions table indexed by id, built once per loaded dataset (read, never changed):
    a page looking up one session no longer indexes every session on each rerun."""
    key = ("labels", "sessions by id")
    if key not in ds.derived:
        ds.derived[key] = ds.sessions.set_index("session_id", drop=False)
    return ds.derived[key]


def session_label(row, lang: str = DEFAULT_LANG, councils: dict | None = None) -> str:
    """"11 Apr 2025 · Almaty · Foreign Ministers" (the council's code without `councils`)."""
    city, _ = pick(row.get("city_en"), row.get("city_ru"), lang)
    body = (councils or {}).get(row["body"], row["body"])
    return f"{short_date(row['date'], lang)} · {city or t('city unknown', lang)} · {body}"


def session_labels(ds: Dataset, lang: str = DEFAULT_LANG) -> dict[str, str]:
    """session_id -> its label, for every session: built once per dataset and language (the
    session picker offers all of them on every rerun)."""
    key = ("labels", "sessions " + lang)
    if key not in ds.derived:
        councils = body_names(ds.bodies, lang, short=True)
        s = ds.sessions
        days = {d: short_date(d, lang) for d in s["date"].unique()}
        unknown = t("city unknown", lang)
        ds.derived[key] = {
            sid: f"{days[d]} · {pick(en, ru, lang)[0] or unknown} · {councils.get(b, b)}"
            for sid, d, en, ru, b in zip(s["session_id"], s["date"], s["city_en"],
                                         s["city_ru"], s["body"])}
    return ds.derived[key]


def source_urls(ds: Dataset) -> dict[str, str]:
    key = ("labels", "source urls")
    if key not in ds.derived:
        ds.derived[key] = dict(zip(ds.sources["source_id"], ds.sources["url"]))
    return ds.derived[key]


def source_publishers(ds: Dataset) -> dict[str, str]:
    key = ("labels", "source publishers")
    if key not in ds.derived:
        ds.derived[key] = dict(zip(ds.sources["source_id"], ds.sources["publisher"]))
    return ds.derived[key]


def urls_for(ids, lookup: dict[str, str]) -> str:
    """Space-separated source ids (as in the tidy tables) -> their addresses."""
    if not isinstance(ids, str) or not ids:
        return ""
    return " ".join(lookup[i] for i in ids.split() if i in lookup)


def for_reader(df: pd.DataFrame, ds: Dataset, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The table as a reader sees it: codes in words, states and councils by name, yes/no
    for flags, empty cells blank. Column names are kept (headers are translated where the
    table is drawn); downloads use the table itself, with its codes."""
    out = df.copy(deep=False)
    names = country_names(ds, lang)
    councils = body_names(ds.bodies, lang)
    for col in out.columns:
        series = out[col]
        if col in _COUNTRY_COLUMNS:
            out[col] = _per_value(series, lambda c: names.get(c, "" if _empty(c) else c))
        elif col == "body":
            out[col] = _per_value(series, lambda b: councils.get(b, "" if _empty(b) else b))
        elif col == "signatures":  # "not_signed: ARM; reservation: AZE, KAZ"
            out[col] = _per_value(series, lambda v: _signatures_in_words(v, names, lang))
        elif col.startswith("attendance_"):  # one column per chosen state
            out[col] = _per_value(series, lambda c: word(CATEGORIES, c, lang))
        elif col in _BY_COLUMN:
            vocab = _BY_COLUMN[col]
            out[col] = _per_value(series, lambda c, v=vocab: word(v, c, lang))
        elif pd.api.types.is_bool_dtype(series):
            out[col] = series.map({True: t("yes", lang), False: t("no", lang)})
        elif series.dtype == object or pd.api.types.is_string_dtype(series):
            kind = pd.api.types.infer_dtype(series, skipna=True)
            if kind in ("integer", "floating", "mixed-integer-float", "decimal"):
                out[col] = pd.to_numeric(series, errors="coerce")  # numbers stay numbers
            elif kind in ("string", "empty"):
                out[col] = series.astype(object).mask(series.isna(), "")
            else:
                # One type per column for the grid: dates as ISO text once blanks are "".
                out[col] = _per_value(series, lambda v: "" if _empty(v) else
                                      v.isoformat() if isinstance(v, dt.date) else v)
    return out


def _per_value(series: pd.Series, fn) -> pd.Series:
    """`series.map(fn)`, calling fn once per distinct value: a column of a few codes over many
    rows costs a few calls (the tables run to tens of thousands of rows at scale)."""
    try:
        codes, uniques = pd.factorize(series, use_na_sentinel=False)
    except TypeError:  # unhashable cells (lists)
        return series.map(fn)
    words = np.empty(len(uniques), dtype=object)
    words[:] = [fn(u) for u in uniques]
    return pd.Series(words[codes], index=series.index, dtype=object)


def _signatures_in_words(value, names: dict[str, str], lang: str) -> str:
    if not isinstance(value, str) or not value.strip():
        return ""
    parts = []
    for part in value.split("; "):
        status, _, codes = part.partition(": ")
        parts.append(f"{word(SIGNATURES, status, lang)}: "
                     + ", ".join(names.get(c, c) for c in codes.split(", ")))
    return "; ".join(parts)


def _empty(v) -> bool:
    return v is None or (not isinstance(v, (str, list, tuple, dict)) and pd.isna(v))


# Column headers in English (Russian headers are the catalogue's translations of the codes).
# A column not named here reads as its code in words: "sessions_as_member" -> "Sessions as
# member".
COLUMN_NAMES = {
    "session_id": "Session", "document_id": "Document", "item_id": "Agenda item",
    "source_id": "Source", "body": "Council", "city_en": "City", "city_ru": "City (Russian)",
    "host_country": "Host", "chair_country": "Chair", "country": "State",
    "country_a": "State A", "country_b": "State B", "head_name": "Head of delegation",
    "head_name_ru": "Head of delegation (Russian)", "title_en": "Title (English)",
    "title_ru": "Title (Russian)", "title_en_translated": "English title translated",
    "present_count": "Present", "absent_count": "Absent", "unknown_count": "No information",
    "members_count": "States expected", "guests_count": "Guests and observers",
    "agenda_items_count": "Agenda items (stated)", "documents_count": "Documents (stated)",
    "agenda_items_known": "Agenda items known", "documents_known": "Documents known",
    "source_urls": "Sources", "source_ids": "Source ids", "url": "Address",
    "how_known": "How it is known", "basis": "Basis (code)", "doc_type": "Type",
    "prior_document_id": "Previous step", "next_document_ids": "Next step",
    "first_document_id": "First step", "membership_status": "Membership",
    "rate_known": "% present where known", "seats_known": "Seats known",
    "share_known": "Share of seats known", "share_seats_known": "Share of seats known",
    "seats_expected": "Seats expected", "seats_stated": "Seats stated",
    "seats_list": "Seats from lists", "seats_announced": "Seats announced",
    "seats_unknown": "Seats with no information", "known_stated": "Known: stated",
    "known_list": "Known: from a list", "known_announced": "Known: announced",
    "estimate_from": "Estimate from", "estimate_date": "Estimate as of",
    "estimate_session_id": "Estimate from session", "estimate_source_ids": "Estimate sources",
    "estimated_total": "Estimated total", "known_session_ids": "Known sessions",
    "unknown": "No information", "not_expected": "Not a member", "participants_level":
    "Level of the listed", "as_of": "As of", "end_date": "End date", "start_date": "Start date",
    "matched": "Matched",
}


def column_name(code: str, lang: str = DEFAULT_LANG) -> str:
    if lang != DEFAULT_LANG:
        return t(code, lang)
    if code in COLUMN_NAMES:
        return COLUMN_NAMES[code]
    text = code.replace("_", " ")
    return text[:1].upper() + text[1:]
