"""Apply a view state to the dataset's tables. Pure: tables in, tables out."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from anyascii import anyascii

from .dataset import Dataset
from .ids import ids_in
from .state import ViewState, Vocabulary


@dataclass(frozen=True)
class Filtered:
    sessions: pd.DataFrame
    attendance: pd.DataFrame
    agenda_items: pd.DataFrame
    documents: pd.DataFrame
    countries: tuple[str, ...]  # the states in view (all when the filter is empty)
    # With a search: what matched in each session found (session_id, kind, text); kinds are
    # city, head_name, agenda_item, document.
    matches: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["session_id", "kind", "text"]))


def fold(text: str) -> str:
    """The form search compares: case-folded and transliterated to Latin, so "Лавров" finds
    "Lavrov", "Almaty" finds "Алматы", and ё and е are the same letter."""
    return anyascii(text.casefold().replace("ё", "е")).casefold()


# Session text a search also looks at, beyond agenda and document titles.
SESSION_TEXT = ("city_en", "city_ru")
ATTENDANCE_TEXT = ("head_name", "head_name_ru")
TITLES = ("title_en", "title_ru")


def _derived(ds: Dataset, table: str, name: str, compute):
    """A column derived from one of the dataset's tables, computed once per loaded dataset:
    transliterating every title on every search was most of a rerun's time, and an `isin`
    over thousands of session ids 0.15 s per rerun at 100x (make bench)."""
    key = (table, name)
    if key not in ds.derived:
        ds.derived[key] = compute()
    return ds.derived[key]


def _folded(ds: Dataset, table: str, col: str) -> pd.Series:
    df = getattr(ds, table)
    return _derived(ds, table, "folded " + col, lambda: df[col].fillna("").astype(str).map(fold))


def _positions(ds: Dataset, table: str) -> np.ndarray:
    """Row position in the sessions table of each row's session: masks follow from sessions
    to attendance, items and documents by indexing."""
    df = getattr(ds, table)
    return _derived(ds, table, "session position",
                    lambda: pd.Index(ds.sessions["session_id"]).get_indexer(df["session_id"]))


def _take(df: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """The rows where mask holds, renumbered. When all hold, a shallow copy: the loaded
    table is shared by every user, and under copy-on-write a change to the copy never
    reaches it."""
    return df.copy(deep=False) if mask.all() else df[mask].reset_index(drop=True)


def _matches(ds: Dataset, table: str, needle: str, cols: tuple[str, ...]) -> np.ndarray:
    hit = np.zeros(len(getattr(ds, table)), dtype=bool)
    for col in cols:
        hit |= _folded(ds, table, col).str.contains(needle, regex=False).to_numpy()
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
    at_att, at_items, at_docs = (_positions(ds, "attendance"), _positions(ds, "agenda_items"),
                                 _positions(ds, "documents"))
    item_hit = doc_hit = None
    matched = []
    if state.q:
        needle = fold(state.q)
        city_hit = _matches(ds, "sessions", needle, SESSION_TEXT)
        head_hit = _matches(ds, "attendance", needle, ATTENDANCE_TEXT)
        whole = city_hit.copy()
        whole[at_att[head_hit]] = True
        own_items = _matches(ds, "agenda_items", needle, TITLES)
        own_docs = _matches(ds, "documents", needle, TITLES)
        # every item of a session found by city or delegate
        item_hit = own_items | whole[at_items]
        doc_hit = own_docs | whole[at_docs]
        matched = [_found(s, city_hit, "city", ("city_en", "city_ru")),
                   _found(att, head_hit, "head_name", ATTENDANCE_TEXT),
                   _found(items, own_items, "agenda_item", TITLES),
                   _found(docs, own_docs, "document", TITLES)]
        found = whole.copy()
        found[at_items[item_hit]] = True
        found[at_docs[doc_hit]] = True
        keep &= found

    countries = state.countries or vocab.countries
    att_keep = keep[at_att]
    if state.countries:
        att_keep &= att["country"].isin(countries).to_numpy()
    if state.levels:
        # Delegations at the chosen levels only: a seat without one (absent, no information,
        # level not stated) is not such a delegation.
        att_keep &= att["level"].isin(state.levels).to_numpy()
    item_keep = keep[at_items] if item_hit is None else keep[at_items] & item_hit
    doc_keep = keep[at_docs] if doc_hit is None else keep[at_docs] & doc_hit
    out = Filtered(sessions=_take(s, keep), attendance=_take(att, att_keep),
                   agenda_items=_take(items, item_keep), documents=_take(docs, doc_keep),
                   countries=tuple(countries))
    if matched:
        found = pd.concat(matched, ignore_index=True)
        out = replace(out, matches=found[ids_in(found["session_id"], out.sessions["session_id"])]
                      .reset_index(drop=True))
    return out


def _found(df: pd.DataFrame, hit: np.ndarray, kind: str, cols: tuple[str, ...]) -> pd.DataFrame:
    """The rows a search hit, as (session_id, kind, text): what a reader is shown as matched."""
    rows = df[hit]
    text = rows[cols[0]].where(rows[cols[0]].notna(), rows[cols[1]]) if len(cols) > 1 \
        else rows[cols[0]]
    return pd.DataFrame({"session_id": rows["session_id"], "kind": kind,
                         "text": text.fillna("").astype(str)})


def prepare_search(ds: Dataset) -> None:
    """Fold every searched column once, when the dataset is loaded, so a user's first search
    does not pay for it (2.4 s on the 100x benchmark dataset)."""
    for table, cols in (("sessions", SESSION_TEXT), ("attendance", ATTENDANCE_TEXT),
                        ("agenda_items", TITLES), ("documents", TITLES)):
        for col in cols:
            _folded(ds, table, col)
    for table in ("attendance", "agenda_items", "documents"):
        _positions(ds, table)


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
