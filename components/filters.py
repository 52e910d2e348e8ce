"""Apply a view state to the dataset's tables. Pure: tables in, tables out."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

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
    """Case- and ё-insensitive form used for search, for Russian and English alike."""
    return text.casefold().replace("ё", "е")


def _matches(df: pd.DataFrame, needle: str, cols: tuple[str, ...]) -> pd.Series:
    hit = pd.Series(False, index=df.index)
    for col in cols:
        hit |= df[col].fillna("").astype(str).map(fold).str.contains(needle, regex=False)
    return hit


def apply(state: ViewState, ds: Dataset, vocab: Vocabulary) -> Filtered:
    lo, hi = state.years(vocab)
    s = ds.sessions
    keep = s["year"].between(lo, hi)
    if state.bodies:
        keep &= s["body"].isin(state.bodies)

    items, docs = ds.agenda_items, ds.documents
    if state.q:
        needle = fold(state.q)
        items = items[_matches(items, needle, ("title_en", "title_ru"))]
        docs = docs[_matches(docs, needle, ("title_en", "title_ru"))]
        keep &= s["session_id"].isin(set(items["session_id"]) | set(docs["session_id"]))

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
    )
