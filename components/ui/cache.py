"""What the face keeps per process: the dataset, loaded and validated once, and what is derived
from it alone. Reruns only filter and build."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ..dataset import Dataset, load_dataset
from ..downloads import dataset_zip
from ..filters import prepare_search, vocabulary
from ..state import Vocabulary


@st.cache_resource(show_spinner="Loading and validating the dataset…")
def cached_dataset(data_dir: str) -> Dataset:
    # Loaded and validated once per process; reruns only filter and build figures.
    ds = load_dataset(Path(data_dir))
    prepare_search(ds)
    return ds


@st.cache_resource(show_spinner=False)
def cached_vocabulary(data_dir: str) -> Vocabulary:
    return vocabulary(cached_dataset(data_dir))


@st.cache_resource(show_spinner=False)
def cached_zip(data_dir: str) -> bytes:
    return dataset_zip(cached_dataset(data_dir), Path(data_dir) / "README.md")
