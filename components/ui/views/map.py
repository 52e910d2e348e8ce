"""Map: attendance at one session, or the share of known seats present per state."""

from __future__ import annotations

import streamlit as st

from ... import attendance_map, labels, timeline
from ...dataset import Dataset
from ...filters import Filtered
from ...i18n import long_date, t, tn
from ...state import ViewState, Vocabulary
from ..cache import memo, view_key
from ..sync import change, on_map_click, toggle_country
from ..widgets import chart, download, fname, md_escape, placed, session_picker, table


def session_alt(frame, lang: str) -> str:
    counts = frame["category"].value_counts()
    return t("Map of {states}: present: {p}; absent: {a}; no information: {u}; not a member: "
             "{x}.", lang, states=tn("{n} state", "{n} states", len(frame), lang),
             p=int(counts.get("present", 0)), a=int(counts.get("absent", 0)),
             u=int(counts.get("unknown", 0)), x=int(counts.get("not a member", 0)))


def not_held_notice(row, lang: str) -> None:
    """A session that did not take place has no attendance: say so instead of a map."""
    st.info(t("This session was not held ({status}): it has no attendance to map.", lang,
              status=labels.word(labels.SESSION_STATUSES, row["status"], lang)))


def view_map(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    latest_first = memo("map options", view_key(ds, state, vocab), lambda: tuple(
        f.sessions.sort_values(["date", "session_id"], ascending=False)["session_id"]))
    session_picker(list(latest_first), ds, vocab, t("Colour the map by", lang),
                   t("Share of known seats present, per state", lang), lang)
    if state.session:
        row = labels.sessions_by_id(ds).loc[state.session]
        if row["status"] != "held":
            not_held_notice(row, lang)
            return
    frame, fig, alt = memo("map", (*view_key(ds, state, vocab), state.session),
                           lambda: _map(f, ds, state))
    chart(fig, "map_chart", lang, alt, None, attendance_map.PLOT_CONFIG,
          on_select=lambda: on_map_click(vocab),
          name=fname("map", state, vocab, state.session or "rate"))
    picked(frame, ds, vocab, state)
    caption = attendance_map.borders_caption(lang) + " " + t(
        "Tap or click a state to see it and filter every view to it.", lang)
    if not state.session:
        caption += " " + t("A rate counts only the seats where a source states presence or "
                           "absence; a state known for under half its seats is drawn faded, "
                           "its rate resting on too few.", lang)
    st.caption(caption)
    table(frame, lang)
    download(frame, "map data", fname("map", state, vocab, state.session or "rate"), "dl_map", lang)


def _map(f: Filtered, ds: Dataset, state: ViewState) -> tuple:
    """The map's table, figure and text alternative, for one session or for the rates."""
    lang = state.lang
    if state.session:
        row = labels.sessions_by_id(ds).loc[state.session]
        frame = attendance_map.session_frame(ds, state.session, f.countries, lang)
        title = t("Attendance, {date}, {city}", lang, date=long_date(row["date"], lang),
                  city=timeline.city_of(row.to_dict(), lang))
        return frame, placed(attendance_map.build_session_map(frame, title, lang)), \
            session_alt(frame, lang)
    frame = attendance_map.rate_frame(f.attendance, ds, f.countries, lang)
    fig = attendance_map.build_rate_map(
        frame, t("Share of known seats where the state was present ({sessions} in view)",
                 lang, sessions=tn("{n} session", "{n} sessions", len(f.sessions), lang)),
        lang)
    known = frame.dropna(subset=["rate_known"])
    alt = t("Map of the share of known seats present: {parts}.", lang, parts="; ".join(
        f"{r['name']} {r['rate_known']}% ("
        + tn("known for {k} of {n} seat", "known for {k} of {n} seats",
             r["sessions_as_member"], lang, k=r["seats_known"]) + ")"
        for r in known.to_dict("records")) or "—")
    return frame, placed(fig), alt


def picked(frame, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    """What the map says of the state last tapped, and the buttons that act on it."""
    lang = state.lang
    code = st.session_state.get("map_pick")
    rows = frame[frame["country"] == code] if code else frame.iloc[0:0]
    if rows.empty:
        return
    r = rows.iloc[0]
    name = labels.country_names(ds, lang).get(code, code)
    if "how_known" in r and isinstance(r.get("how_known"), str) and "category" in r:
        what = r["how_known"] if r["category"] != "not a member" else t("not a member", lang)
    else:
        what = (t("{rate}% present where known", lang, rate=r["rate_known"])
                if r["rate_known"] == r["rate_known"] and r["rate_known"] is not None
                else t("no stated attendance in view", lang)) + " · " + tn(
            "known for {k} of {n} seat", "known for {k} of {n} seats",
            r["sessions_as_member"], lang, k=r["seats_known"])
    with st.container(border=True, key="map_pick_box"):
        st.markdown(f"**{md_escape(name)}**: {md_escape(what)}")
        a, b, c = st.columns(3)
        chosen = code in state.countries
        a.button(t("Remove {name} from the filter", lang, name=name) if chosen else
                 t("Filter every view to {name}", lang, name=name), key="map_pick_filter",
                 on_click=_filter_and_close, args=(vocab, code))
        b.button(t("Open the page of {name}", lang, name=name), key="map_pick_page",
                 on_click=_open_page, args=(vocab, code))
        c.button(t("Close", lang), key="map_pick_close", on_click=_close)


def _close() -> None:
    st.session_state.pop("map_pick", None)


def _filter_and_close(vocab: Vocabulary, code: str) -> None:
    toggle_country(vocab, code)
    _close()


def _open_page(vocab: Vocabulary, code: str) -> None:
    change(vocab, tab="countries", countries=(code,))
    _close()
