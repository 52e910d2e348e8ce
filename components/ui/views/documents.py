"""Documents: what was approved or signed, documents followed across councils, agenda items."""

from __future__ import annotations

import streamlit as st

from ... import documents, sessions
from ...dataset import Dataset
from ...filters import Filtered
from ...i18n import pick_marked, t
from ...state import ViewState, Vocabulary
from ..cache import memo, view_key
from ..widgets import chart, download, fname, table


def view_documents(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    k = view_key(ds, state, vocab)
    tbl = memo("documents", k, lambda: _documents(f, ds, lang))
    counts = memo("document types", k, lambda: documents.type_counts(f.documents))
    if not counts.empty:
        chart(lambda: documents.build_type_bar(counts, lang), "doc_chart", lang,
              documents.describe_types(counts, lang), counts, memo_key=k)
    table(tbl, lang, key="documents_table", opens="document_id",
          order=["title", "outcome", "prior_document_id", "next_document_ids", "date", "body",
                 "city_en", "doc_type", "signatures", "document_id", "session_id",
                 "source_urls"])
    download(tbl, "documents", fname("documents", state, vocab), "dl_documents", lang)
    trail = memo("trails", k, lambda: documents.trails(f.documents, ds))
    if not trail.empty:
        st.subheader(t("Documents followed across councils", lang))
        st.caption(t("The same text at each step: approved by ministers, then signed by the "
                     "heads of state or government. Steps outside the filters are shown too.", lang))
        table(trail, lang, key="trails_table", opens="session_id",
              order=["first_document_id", "step", "date", "body", "city_en", "title_en",
                     "title_ru", "outcome", "document_id", "session_id", "source_urls"])
        download(trail, "document steps", fname("document-steps", state, vocab), "dl_trails", lang)
    sig = memo("signatures", k, lambda: documents.signatures_table(f.documents, ds, f.countries))
    if not sig.empty:
        st.subheader(t("Who signed what (where sources state it)", lang))
        table(sig, lang, key="signatures_table", opens="session_id")
        download(sig, "signatures", fname("signatures", state, vocab), "dl_signatures", lang)
    if not f.agenda_items.empty:
        st.subheader(t("Agenda items", lang))
        items = sessions.with_urls(f.agenda_items, ds, ["session_id", "title_en", "title_ru"])
        table(items, lang, key="items_table", opens="session_id")
        download(items, "agenda items", fname("agenda-items", state, vocab), "dl_items", lang)


def _documents(f: Filtered, ds: Dataset, lang: str):
    tbl = documents.documents_table(f.documents, f.sessions, ds)
    return tbl.assign(title=[pick_marked(e, r, lang)
                             for e, r in zip(tbl["title_en"], tbl["title_ru"])])
