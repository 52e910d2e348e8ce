"""Who signed what: the document x state matrix and the affinity between states."""

from __future__ import annotations

import streamlit as st

from ... import signatures_matrix
from ...dataset import Dataset
from ...filters import Filtered
from ...i18n import t, tn
from ...ids import ids_in
from ...state import ViewState, Vocabulary
from ..cache import memo, view_key
from ..widgets import chart, download, fname, table


def view_signatures(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    k = view_key(ds, state, vocab)
    frame = memo("matrix", k, lambda: signatures_matrix.matrix_frame(f.documents, ds, f.countries))
    if frame.empty:
        st.info(t("No document in view has a stated signature.", lang))
    else:
        counts = frame["status"].value_counts()
        chart(lambda: signatures_matrix.build_matrix(frame, ds, lang), "matrix_chart", lang,
              t("Matrix of {documents} × {states}: {parts}.", lang,
                documents=tn("{n} document", "{n} documents", frame["document_id"].nunique(),
                             lang),
                states=tn("{n} state", "{n} states", frame["country"].nunique(), lang),
                parts="; ".join(f"{t(signatures_matrix.CATEGORY_LABELS.get(c, c), lang)}: {v}"
                                for c, v in counts.items())), None, memo_key=k)
        table(frame, lang)
        download(frame, "signature matrix", fname("signature-matrix", state, vocab),
                 "dl_matrix", lang)
    st.subheader(t("Affinity between states", lang))
    aff = memo("affinity", k, lambda: signatures_matrix.affinity_frame(f.attendance, ds.signatures[
        ids_in(ds.signatures["document_id"], f.documents["document_id"])], f.countries))
    measure = "co_attendance_share"
    chart(lambda: signatures_matrix.build_affinity(aff, ds, measure, lang), "affinity_chart", lang,
          t("Share of sessions where both states were stated present, of those where both "
            "states' attendance is stated; and share of documents both signed, of those where "
            "both states' signature is stated.", lang), None, memo_key=k)
    table(aff, lang)
    download(aff, "affinity", fname("affinity", state, vocab), "dl_affinity", lang)
