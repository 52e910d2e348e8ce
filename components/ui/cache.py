"""What the face keeps per process: the dataset, loaded and validated once, and what is derived
from it alone. Reruns only filter and build."""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import TypeVar

import pandas as pd
import streamlit as st

from ..dataset import Dataset, load_dataset
from ..downloads import dataset_zip
from ..filters import Filtered, prepare_search, vocabulary
from ..state import ViewState, Vocabulary

T = TypeVar("T")
_loads = itertools.count(1)


@st.cache_resource(show_spinner="Loading and validating the dataset…")
def cached_dataset(data_dir: str) -> Dataset:
    # Loaded and validated once per process; reruns only filter and build figures.
    ds = load_dataset(Path(data_dir))
    prepare_search(ds)
    # Every load gets its own number, part of every memo key: two datasets in one process
    # (tests, a reload) never share a figure.
    ds.derived[("memo", "load")] = next(_loads)
    return ds


@st.cache_resource(show_spinner=False)
def cached_vocabulary(data_dir: str) -> Vocabulary:
    return vocabulary(cached_dataset(data_dir))


@st.cache_resource(show_spinner=False)
def cached_zip(data_dir: str) -> bytes:
    return dataset_zip(cached_dataset(data_dir), Path(data_dir) / "README.md")


# Figures and tables built from the filtered data, kept per process for the views most
# recently asked for, keyed by everything they depend on (the filters, the language and the
# view's own choices): a rerun that changes no data (a widget that touches nothing shown, an
# expander, R) finds them built. Bounded: the oldest go first.
MEMO_SIZE = 128
_memo: OrderedDict[tuple, object] = OrderedDict()
_memo_lock = threading.Lock()


def memo(kind: str, key: tuple, build: Callable[[], T]) -> T:
    """`build()`, or what it returned for the same kind and key. Tables come back as shallow
    copies (copy-on-write: a change to one never reaches the kept table); figures are handed
    to plotly_chart, which only reads them."""
    full = (kind, *key)
    with _memo_lock:
        if full in _memo:
            _memo.move_to_end(full)
            return _fresh(_memo[full])
    value = build()
    with _memo_lock:
        _memo[full] = value
        while len(_memo) > MEMO_SIZE:
            _memo.popitem(last=False)
    return _fresh(value)


def _fresh(value):
    if isinstance(value, pd.DataFrame):
        return value.copy(deep=False)
    if isinstance(value, tuple):
        return tuple(_fresh(v) for v in value)
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, Filtered):
        return Filtered(**{f.name: _fresh(getattr(value, f.name)) for f in fields(value)})
    return value


def load_key(ds: Dataset) -> int | None:
    """Which load of the dataset: what a page built from the dataset alone depends on."""
    return ds.derived.get(("memo", "load"))


def view_key(ds: Dataset, state: ViewState, vocab: Vocabulary) -> tuple:
    """What the filtered tables depend on: the loaded dataset, filters, pinned version and
    language."""
    return (load_key(ds), state.bodies, state.years(vocab), state.countries,
            state.q, state.version, state.levels, state.lang)
