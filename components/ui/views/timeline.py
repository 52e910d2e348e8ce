"""Timeline: sessions over time and delegations at each session held."""

from __future__ import annotations

import streamlit as st

from ... import exports, timeline
from ...dataset import Dataset
from ...filters import Filtered
from ...i18n import t, tn
from ...state import ViewState, Vocabulary
from ..cache import memo, view_key
from ..sync import on_session_click
from ..widgets import chart, fname


def view_timeline(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    k = view_key(ds, state, vocab)
    chart(lambda: timeline.build_timeline(f.sessions, ds.bodies, ds.disputes, lang),
          "timeline_chart", lang,
          memo("timeline alt", k, lambda: timeline.describe_timeline(f.sessions, ds.bodies,
                                                                      lang)),
          lambda: timeline.timeline_table(f.sessions),
          on_select=lambda: on_session_click("timeline_chart", vocab),
          name=fname("timeline", state, vocab), memo_key=k)
    st.caption(t("Circles: sessions held; open symbols: planned sessions not held or postponed. "
                 "Click a session to open its page.", lang))
    held = f.sessions[f.sessions["status"] == "held"]
    chart(lambda: timeline.build_attendance_strip(f.sessions, lang, f.attendance),
          "attendance_bars", lang,
          t("Delegations stated present, stated absent and with no information at each session "
            "held ({sessions}). The legend and the hover say how the seats are known: stated "
            "by a source, from a whole list of participants (a member missing from it stayed "
            "away), or announced beforehand.", lang,
            sessions=tn("{n} session", "{n} sessions", len(held), lang)),
          lambda: timeline.attendance_bars_table(f.sessions),
          on_select=lambda: on_session_click("attendance_bars", vocab), memo_key=k)
    st.download_button(t("Download these sessions as a calendar (.ics)", lang),
                       # Built on click only: it was half of every rerun's time (make bench).
                       data=lambda: exports.sessions_ics(f.sessions, ds, lang),
                       file_name=fname("sessions", state, vocab).replace(".csv", ".ics"),
                       mime="text/calendar", on_click="ignore", key="dl_ics")
