"""The dashboard's entry point: load once, restore the view from the link, draw it, write the
link back."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from .. import labels
from ..dataset import DATA_DIR
from ..filters import apply
from ..i18n import LANGS, t, tn
from ..problems import DatasetError
from ..state import TABS
from .cache import cached_dataset, cached_vocabulary, memo, view_key
from .furniture import chips, cite_view, footer, phone_css, show_dataset_error, sidebar, version_notice
from .sync import commit, current_state, mirror_widgets, write_url
from .views import countries, coverage, documents, sessions, signatures, timeline
from .views import map as map_view
from .widgets import md_escape, set_dataset

TAB_LABELS = labels.TABS

def main(data_dir: Path = DATA_DIR) -> None:
    st.set_page_config(page_title="CIS Meetings Dashboard", layout="wide")
    try:
        ds = cached_dataset(str(data_dir))
    except DatasetError as err:
        lang = st.query_params.get("lang", "en")
        show_dataset_error(err, lang if lang in LANGS else "en")
        return
    vocab = cached_vocabulary(str(data_dir))
    set_dataset(ds, vocab)
    state = current_state(vocab)
    lang = state.lang
    mirror_widgets(state, vocab)

    phone_css(lang)
    st.title(t("CIS ministerial meetings", lang))
    for notice in st.session_state.get("notices", []):
        st.warning(md_escape(notice))  # notices quote link values: text, never markup
    version_notice(ds, vocab, state)
    sidebar(ds, vocab, str(data_dir), lang)
    st.radio(t("View", lang), TABS, key="w_tab", format_func=lambda x: t(TAB_LABELS[x], lang),
             horizontal=True, on_change=commit, args=("tab", vocab), label_visibility="collapsed")
    chips(ds, vocab, state)

    f = memo("filtered", view_key(ds, state, vocab), lambda: apply(state, ds, vocab))
    lo, hi = state.years(vocab)
    st.caption(tn("{n} session in view · {lo}–{hi}", "{n} sessions in view · {lo}–{hi}",
                  len(f.sessions), lang, lo=lo, hi=hi)
               + (" · " + t("search", lang) + ": " + md_escape(state.q) if state.q else ""))
    views = {"timeline": timeline.view_timeline, "map": map_view.view_map,
             "countries": countries.view_countries, "documents": documents.view_documents,
             "sessions": sessions.view_sessions, "coverage": coverage.view_coverage,
             "signatures": signatures.view_signatures}
    views[state.tab](f, ds, vocab, state)
    cite_view(ds, vocab, st.session_state["view_state"])
    footer(ds, state)
    write_url(st.session_state["view_state"], vocab)
