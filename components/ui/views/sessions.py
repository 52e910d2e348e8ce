"""Sessions: the table and the session page, every fact with its sources."""

from __future__ import annotations

import streamlit as st

from ... import (attendance_map, sessions, timeline)
from ...dataset import Dataset
from ...filters import Filtered
from ...i18n import long_date, t
from ...state import ViewState, Vocabulary
from ..sync import change
from ..widgets import chart, download, fname, md_escape, session_picker, table


def view_sessions(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    if state.session:
        show_session(ds, vocab, state)
        return
    tbl = sessions.sessions_table(f.sessions, f.attendance, ds, state.countries)
    table(tbl, lang)
    download(tbl, "sessions", fname("sessions", state, vocab), "dl_sessions", lang)
    session_picker(list(tbl.sort_values("date", ascending=False)["session_id"]), ds, vocab,
                   t("Open a session", lang),
                   t("— choose a session to see every fact and its sources —", lang), lang)


def show_session(ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    """The session page: facts with sources and disputes, attendance map, agenda, documents."""
    lang, session_id = state.lang, state.session
    row = ds.sessions.set_index("session_id").loc[session_id]
    council = timeline.body_names(ds.bodies, lang)[row["body"]]
    st.button(t("← All sessions", lang), key="back", on_click=change, args=(vocab,),
              kwargs={"session": None})
    st.subheader(md_escape(f"{council} · {long_date(row['date'], lang)} · "
                           f"{timeline.city_of(row.to_dict(), lang)} ({session_id})"))
    prev_id, next_id = sessions.neighbours(ds.sessions, session_id)
    left, right = st.columns(2)
    labels = {r["session_id"]: sessions.session_label(r, lang) for r in ds.sessions.to_dict("records")}
    if prev_id:
        left.button("← " + t("Previous: {label}", lang, label=labels[prev_id]), key="prev",
                    on_click=change, args=(vocab,), kwargs={"session": prev_id})
    if next_id:
        right.button(t("Next: {label}", lang, label=labels[next_id]) + " →", key="next",
                     on_click=change, args=(vocab,), kwargs={"session": next_id})
    parts = sessions.detail(ds, session_id, lang)
    st.markdown(t("**Facts**", lang))
    table(parts["facts"], lang)
    if not parts["disputes"].empty:
        st.warning(t("Some facts of this session are disputed between sources:", lang))
        table(parts["disputes"], lang)
    if row["status"] == "held":
        frame = attendance_map.session_frame(ds, session_id, tuple(ds.countries["country"]), lang)
        fig = attendance_map.build_session_map(frame, t("Attendance and delegation levels", lang), lang)
        counts = frame["category"].value_counts()
        chart(fig, "session_map", lang,
              t("Map of {n} states: {p} present, {a} absent, {u} no information, {x} not members.",
                lang, n=len(frame), p=int(counts.get("present", 0)),
                a=int(counts.get("absent", 0)), u=int(counts.get("unknown", 0)),
                x=int(counts.get("not a member", 0))), None, attendance_map.PLOT_CONFIG)
    st.markdown(t("**Attendance** (states not listed by any source: no information)", lang))
    table(parts["attendance"], lang)
    download(parts["attendance"], "attendance", f"{session_id}_attendance.csv",
             "dl_session_attendance", lang)
    for key, title in (("agenda_items", "Agenda items"), ("documents", "Documents")):
        st.markdown(t("**{title}** ({n} known by title)", lang, title=t(title, lang),
                      n=len(parts[key])))
        if not parts[key].empty:
            table(parts[key], lang)
    if isinstance(row["notes"], str):
        st.markdown(t("**Notes**", lang))
        st.text(row["notes"])
    st.markdown(t("**Sources**", lang))
    table(parts["sources"], lang)
