"""Apply a view state to the dataset's tables. Pure: tables in, tables out."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from anyascii import anyascii

from .dataset import Dataset
from .state import ViewState, Vocabulary


@dataclass(frozen=True)
class Filtered:
    sessions: pd.DataFrame
    attendance: pd.DataFrame
    agenda_items: pd.DataFrame
    documents: pd.DataFrame
    countries: tuple[str, ...]  # the states in view (all when the filter is empty)


def fold(text: str) -> str:
    """The form search compares: case-folded and transliterated to Latin, so "Лавров" finds
    "Lavrov", "Almaty" finds "Алматы", and ё and е are the same letter."""
    return anyascii(text.casefold().replace("ё", "е")).casefold()


# Session text a search also looks at, beyond agenda and document titles.
SESSION_TEXT = ("city_en", "city_ru")
ATTENDANCE_TEXT = ("head_name", "head_name_ru")


# Folded text of the dataset's (cached, never modified) tables, computed once per column:
# transliterating every title on every search was most of a rerun's time (make bench).
_FOLDED: dict[tuple[int, str], tuple[pd.DataFrame, pd.Series]] = {}


def _folded(df: pd.DataFrame, col: str) -> pd.Series:
    hit = _FOLDED.get((id(df), col))
    if hit is None or hit[0] is not df:  # holding df keeps its id from being reused
        hit = (df, df[col].fillna("").astype(str).map(fold))
        _FOLDED[(id(df), col)] = hit
    return hit[1]


def _matches(df: pd.DataFrame, needle: str, cols: tuple[str, ...]) -> pd.Series:
    hit = pd.Series(False, index=df.index)
    for col in cols:
        hit |= _folded(df, col).str.contains(needle, regex=False)
    return hit


def apply(state: ViewState, ds: Dataset, vocab: Vocabulary) -> Filtered:
    lo, hi = state.years(vocab)
    s = ds.sessions
    keep = s["year"].between(lo, hi)
    if state.bodies:
        keep &= s["body"].isin(state.bodies)
    if state.version and "version" in s:
        # A pinned link: only sessions published by that version of the dataset.
        keep &= s["version"].astype(int) <= int(state.version)

    items, docs = ds.agenda_items, ds.documents
    if state.q:
        needle = fold(state.q)
        att = ds.attendance
        by_place = set(s.loc[_matches(s, needle, SESSION_TEXT), "session_id"])
        by_person = set(att.loc[_matches(att, needle, ATTENDANCE_TEXT), "session_id"])
        whole = by_place | by_person  # every item of a session found by city or delegate
        items = items[_matches(items, needle, ("title_en", "title_ru"))
                      | items["session_id"].isin(whole)]
        docs = docs[_matches(docs, needle, ("title_en", "title_ru"))
                    | docs["session_id"].isin(whole)]
        keep &= s["session_id"].isin(set(items["session_id"]) | set(docs["session_id"]) | whole)

    sessions = s[keep].reset_index(drop=True)
    ids = set(sessions["session_id"])
    countries = state.countries or vocab.countries
    att = ds.attendance
    att = att[att["session_id"].isin(ids) & att["country"].isin(countries)].reset_index(drop=True)
    return Filtered(
        sessions=sessions,
        attendance=att,
        agenda_items=items[items["session_id"].isin(ids)].reset_index(drop=True),
        documents=docs[docs["session_id"].isin(ids)].reset_index(drop=True),
        countries=tuple(countries),
    )


def vocabulary(ds: Dataset) -> Vocabulary:
    years = ds.sessions["year"]
    return Vocabulary(
        bodies=tuple(b for b in ds.bodies["body"] if b in set(ds.sessions["body"])),
        countries=tuple(ds.countries["country"]),
        sessions=frozenset(ds.sessions["session_id"]),
        year_min=int(years.min()) if len(years) else 1991,
        year_max=int(years.max()) if len(years) else 1991,
        versions=tuple(ds.versions["version"]),
    )
