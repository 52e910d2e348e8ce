"""Map: attendance at one session, or the attendance rate where known."""

from __future__ import annotations

import streamlit as st

from ... import (attendance_map, timeline)
from ...dataset import Dataset
from ...filters import Filtered
from ...i18n import long_date, t
from ...state import ViewState, Vocabulary
from ..sync import on_map_click
from ..widgets import chart, download, fname, session_picker, table


def view_map(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    session_picker(list(f.sessions.sort_values("date", ascending=False)["session_id"]), ds,
                   vocab, t("Colour the map by", lang),
                   t("Attendance rate over all sessions in view", lang), lang)
    if state.session:
        row = ds.sessions.set_index("session_id").loc[state.session]
        frame = attendance_map.session_frame(ds, state.session, f.countries, lang)
        title = t("Attendance, {date}, {city}", lang, date=long_date(row["date"], lang),
                  city=timeline.city_of(row.to_dict(), lang))
        fig = attendance_map.build_session_map(frame, title, lang)
        counts = frame["category"].value_counts()
        alt = t("Map of {n} states: {p} present, {a} absent, {u} no information, {x} not members.",
                lang, n=len(frame), p=int(counts.get("present", 0)), a=int(counts.get("absent", 0)),
                u=int(counts.get("unknown", 0)), x=int(counts.get("not a member", 0)))
    else:
        frame = attendance_map.rate_frame(f.attendance, ds, f.countries, lang)
        fig = attendance_map.build_rate_map(
            frame, t("Share of sessions attended where attendance is known ({n} sessions)", lang,
                     n=len(f.sessions)), lang)
        known = frame.dropna(subset=["rate_known"])
        alt = t("Map of attendance rates where known: {parts}.", lang, parts="; ".join(
            f"{r['name']} {r['rate_known']}%" for r in known.to_dict("records")) or "—")
    chart(fig, "map_chart", lang, alt, None, attendance_map.PLOT_CONFIG,
          on_select=lambda: on_map_click(vocab),
          name=fname("map", state, vocab, state.session or "rate"))
    st.caption(attendance_map.borders_caption(lang) + " "
               + t("Click a state to filter every view to it.", lang))
    table(frame, lang)
    download(frame, "map data", fname("map", state, vocab, state.session or "rate"), "dl_map", lang)
