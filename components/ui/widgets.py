"""Shared pieces of every page: tables with translated headers, CSV downloads of exactly the
rows shown, charts with their text alternative, numbers and image downloads."""

from __future__ import annotations

import contextvars
import re

import pandas as pd
import streamlit as st

from .. import labels
from ..dataset import Dataset
from ..downloads import csv_bytes, file_name, image_config
from ..i18n import long_date, t, tn
from ..state import ViewState, Vocabulary
from .cache import memo
from .sync import change, commit

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
PLOT_CONFIG = {"displaylogo": False}
# The dataset of the run being drawn (set by main at the start of every run, in the run's
# own thread): tables show its names for codes without every caller passing it along.
_DATASET: contextvars.ContextVar[Dataset] = contextvars.ContextVar("dataset")
_VOCAB: contextvars.ContextVar[Vocabulary] = contextvars.ContextVar("vocabulary")


def set_dataset(ds: Dataset, vocab: Vocabulary) -> None:
    _DATASET.set(ds)
    _VOCAB.set(vocab)


def link(text: str, url: str) -> str:
    """A markdown link: a real <a href> a reader, a keyboard or a crawler can follow (opened
    in a new tab). The text is escaped; the address keeps no character that ends a link."""
    safe = str(url).replace("(", "%28").replace(")", "%29").replace(" ", "%20")
    return f"[{md_escape(text)}]({safe})"


def source_line(src: dict, lang: str) -> str:
    """"Title — Publisher, 11 April 2025, ru" with the title linking to the page."""
    bits = [md_escape(src["publisher"])]
    published = src.get("published")
    if published is not None and not pd.isna(published):
        bits.append(long_date(published, lang))
    bits.append(str(src.get("language") or ""))
    return f"{link(src['title'], src['url'])} — " + ", ".join(b for b in bits if b)


def source_links(sources: list[dict]) -> str:
    """Publishers, each linking to its page: "[Kazinform](…), [Astana Times](…)"."""
    return ", ".join(link(s["publisher"], s["url"]) for s in sources)


def md_escape(text: str) -> str:
    """Data text shown through markdown is escaped: it is text, never markup or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def names_of(ds: Dataset, lang: str) -> dict[str, str]:
    return labels.country_names(ds, lang)


def columns(df: pd.DataFrame, lang: str) -> dict:
    """Column headers in the interface language; the CSV keeps the stable column codes."""
    def label(c: str) -> str:
        if c.startswith("attendance_"):  # one column per chosen state
            code = c.removeprefix("attendance_")
            return labels.country_names(_DATASET.get(), lang).get(code, code)
        return labels.column_name(c, lang)
    config = {c: st.column_config.Column(label(c)) for c in df.columns}
    for c in df.columns:
        if c == "url":
            config[c] = st.column_config.LinkColumn(label(c))
    return config


def table(df: pd.DataFrame, lang: str, key: str | None = None,
          order: list[str] | None = None, opens: str | None = None) -> None:
    """A table as a reader sees it: codes in words, blank for empty, the columns a reader came
    for first (`order`); its CSV keeps the codes and the column order. With `opens`
    ("session_id" or "document_id") and a key, selecting a row opens that session's page."""
    shown = labels.for_reader(df, _DATASET.get(), lang)
    kwargs = {}
    if opens and key and opens in df.columns and len(df):
        # The callback runs at the start of the next run, outside this run's context: it
        # takes the dataset and vocabulary along.
        ds, vocab = _DATASET.get(), _VOCAB.get()
        kwargs = {"on_select": lambda: _open_selected(df, key, opens, ds, vocab),
                  "selection_mode": "single-row"}
    st.dataframe(shown, hide_index=True, width="stretch", column_config=columns(df, lang),
                 column_order=[c for c in order if c in df.columns] if order else None,
                 key=key, **kwargs)
    if kwargs:
        st.caption(t("Select a row to open its session.", lang))


def _open_selected(df: pd.DataFrame, key: str, column: str, ds: Dataset,
                   vocab: Vocabulary) -> None:
    try:
        rows = st.session_state[key]["selection"]["rows"]
    except (KeyError, TypeError):
        return
    if not rows or rows[0] >= len(df):
        return
    value = df.iloc[rows[0]][column]
    if column == "document_id":
        hit = ds.documents.loc[ds.documents["document_id"] == value, "session_id"]
        value = hit.iloc[0] if len(hit) else None
    if value in vocab.sessions:
        change(vocab, tab="sessions", session=value)


def download(df: pd.DataFrame, label: str, name: str, key: str, lang: str) -> None:
    st.download_button(t("Download {what} as CSV ({rows})", lang, what=t(label, lang),
                         rows=tn("{n} row", "{n} rows", len(df), lang)),
                       # Written on click: at scale the CSV was a third of a view's rerun, and
                       # every session kept its bytes. A copy: the rows shown now, whatever
                       # happens to the frame later (copy-on-write makes it cheap).
                       data=lambda rows=df.copy(deep=False): csv_bytes(rows), file_name=name,
                       mime="text/csv", on_click="ignore", key=key)


def placed(fig):
    """The title sits on the plot area, below plotly's toolbar: at the top of the figure the
    toolbar covered it on a phone."""
    if fig.layout.title.text and fig.layout.title.yref != "paper":  # kept figures: once
        top = max(fig.layout.margin.t or 0, 64)
        fig.update_layout(margin={"t": top}, title={"yref": "paper", "y": 1,
                                                    "yanchor": "bottom", "pad": {"b": 8}})
    return fig


def chart(fig, key: str, lang: str, alt: str, numbers=None,
          config: dict | None = None, on_select=None, name: str | None = None,
          memo_key: tuple | None = None) -> None:
    """A chart with its text alternative and the table of its numbers (accessibility); the
    toolbar's camera downloads it as PNG or SVG (the sidebar's choice), drawn in the browser.
    `fig` is a figure, or a function building one: with `memo_key` (everything the figure
    depends on) it is built once for those and kept (cache.memo). `numbers` is a frame, or a
    function returning one."""
    if callable(fig):
        build = fig
        fig = (memo("chart " + key, memo_key, lambda: placed(build())) if memo_key is not None
               else placed(build()))
    else:
        fig = placed(fig)
    kwargs = {"on_select": on_select, "selection_mode": ("points",)} if on_select else {}
    fmt = st.session_state.get("w_image_format", "png")
    config = image_config(name or f"cis_{key}", fmt, config or PLOT_CONFIG)
    st.plotly_chart(fig, width="stretch", key=key, config=config, **kwargs)
    st.caption(alt)
    if numbers is None:
        return
    # Built and sent only while the expander is open: a closed expander still received its
    # whole table on every rerun. With no table on the first screen, the browser also loads
    # the table code only when a table is first shown (make bench: first load 1.32x -> 1.2x
    # the floor; the first switch to a table view takes about 230 ms longer, once).
    box = st.expander(t("The numbers behind this chart", lang), key=f"numbers_{key}",
                      on_change="rerun")
    if box.open:
        with box:
            table(numbers() if callable(numbers) else numbers, lang)


def fname(view: str, state: ViewState, vocab: Vocabulary, extra: str = "") -> str:
    return file_name(view, state.bodies, state.years(vocab), state.countries, state.q, extra)


def session_picker(options: list[str], ds: Dataset, vocab: Vocabulary, label: str,
                   none_label: str, lang: str) -> None:
    session_labels = labels.session_labels(ds, lang)
    current = st.session_state.get("w_session") or ""
    ids = [""] + options + ([current] if current and current not in options else [])
    st.selectbox(label, ids, key="w_session",
                 format_func=lambda i: session_labels.get(i, i) if i else none_label,
                 on_change=commit, args=("session", vocab))
