"""Apply a view state to the dataset's tables. Pure: tables in, tables out."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
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


# Columns derived from the dataset's (cached, never modified) tables, computed once per table:
# transliterating every title on every search was most of a rerun's time, and an `isin` over
# thousands of session ids 0.15 s per rerun at 100x (make bench).
_DERIVED: dict[tuple[int, str], tuple[pd.DataFrame, object]] = {}


def _derived(df: pd.DataFrame, name: str, compute):
    hit = _DERIVED.get((id(df), name))
    if hit is None or hit[0] is not df:  # holding df keeps its id from being reused
        hit = (df, compute())
        _DERIVED[(id(df), name)] = hit
    return hit[1]


def _folded(df: pd.DataFrame, col: str) -> pd.Series:
    return _derived(df, col, lambda: df[col].fillna("").astype(str).map(fold))


def _positions(sessions: pd.DataFrame, df: pd.DataFrame) -> np.ndarray:
    """Row position in `sessions` of each row's session: masks follow from sessions to
    attendance, items and documents by indexing."""
    return _derived(df, "\0session position",
                    lambda: pd.Index(sessions["session_id"]).get_indexer(df["session_id"]))


def _take(df: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The rows where mask holds, renumbered; the table itself when all do."""
    return df if mask.all() else df[mask].reset_index(drop=True)


def _matches(df: pd.DataFrame, needle: str, cols: tuple[str, ...]) -> pd.Series:
    hit = pd.Series(False, index=df.index)
    for col in cols:
        hit |= _folded(df, col).str.contains(needle, regex=False)
    return hit


def apply(state: ViewState, ds: Dataset, vocab: Vocabulary) -> Filtered:
    lo, hi = state.years(vocab)
    s = ds.sessions
    keep = s["year"].between(lo, hi).to_numpy(dtype=bool, copy=True)
    if state.bodies:
        keep &= s["body"].isin(state.bodies).to_numpy()
    if state.version and "version" in s:
        # A pinned link: only sessions published by that version of the dataset.
        keep &= (s["version"].astype(int) <= int(state.version)).to_numpy()

    att, items, docs = ds.attendance, ds.agenda_items, ds.documents
    at_att, at_items, at_docs = (_positions(s, att), _positions(s, items),
                                 _positions(s, docs))
    item_hit = doc_hit = None
    if state.q:
        needle = fold(state.q)
        whole = _matches(s, needle, SESSION_TEXT).to_numpy(dtype=bool, copy=True)
        whole[at_att[_matches(att, needle, ATTENDANCE_TEXT).to_numpy()]] = True
        # every item of a session found by city or delegate
        item_hit = _matches(items, needle, ("title_en", "title_ru")).to_numpy() | whole[at_items]
        doc_hit = _matches(docs, needle, ("title_en", "title_ru")).to_numpy() | whole[at_docs]
        found = whole.copy()
        found[at_items[item_hit]] = True
        found[at_docs[doc_hit]] = True
        keep &= found

    countries = state.countries or vocab.countries
    att_keep = keep[at_att]
    if state.countries:
        att_keep &= att["country"].isin(countries).to_numpy()
    item_keep = keep[at_items] if item_hit is None else keep[at_items] & item_hit
    doc_keep = keep[at_docs] if doc_hit is None else keep[at_docs] & doc_hit
    return Filtered(sessions=_take(s, keep), attendance=_take(att, att_keep),
                    agenda_items=_take(items, item_keep), documents=_take(docs, doc_keep),
                    countries=tuple(countries))


def prepare_search(ds: Dataset) -> None:
    """Fold every searched column once, when the dataset is loaded, so a user's first search
    does not pay for it (2.4 s on the 100x benchmark dataset)."""
    for df, cols in ((ds.sessions, SESSION_TEXT), (ds.attendance, ATTENDANCE_TEXT),
                     (ds.agenda_items, ("title_en", "title_ru")),
                     (ds.documents, ("title_en", "title_ru"))):
        for col in cols:
            _folded(df, col)
    for df in (ds.attendance, ds.agenda_items, ds.documents):
        _positions(ds.sessions, df)


def vocabulary(ds: Dataset) -> Vocabulary:
    years = ds.sessions["year"]
    used = set(ds.sessions["body"])
    return Vocabulary(
        bodies=tuple(b for b in ds.bodies["body"] if b in used),
        countries=tuple(ds.countries["country"]),
        sessions=frozenset(ds.sessions["session_id"]),
        year_min=int(years.min()) if len(years) else 1991,
        year_max=int(years.max()) if len(years) else 1991,
        versions=tuple(ds.versions["version"]),
    )
