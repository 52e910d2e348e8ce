"""The view state and the widgets, the URL and the clicks on charts: one ViewState kept in
session_state; widgets mirror it, callbacks fold changes into it, the URL is written from it."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from .. import timeline
from ..i18n import LANGS
from ..state import LEVELS, MAX_Q, TABS, ViewState, Vocabulary, from_query, normalize, to_query


def read_url() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def current_state(vocab: Vocabulary) -> ViewState:
    ss = st.session_state
    if "view_state" not in ss:
        state, notices = from_query(read_url(), vocab)
        ss["view_state"], ss["notices"] = state, notices
    return ss["view_state"]


def set_state(state: ViewState, vocab: Vocabulary) -> None:
    st.session_state["view_state"] = normalize(state, vocab)
    st.session_state["notices"] = []


def commit(field: str, vocab: Vocabulary) -> None:
    """Widget callback: fold one widget's new value into the view state."""
    ss = st.session_state
    state: ViewState = ss["view_state"]
    value = ss.get(f"w_{field}")
    if field == "tab" and value in TABS:
        state = replace(state, tab=value)
    elif field == "bodies":
        state = replace(state, bodies=tuple(b for b in vocab.bodies if b in (value or [])))
    elif field == "countries":
        state = replace(state, countries=tuple(c for c in vocab.countries if c in (value or [])))
    elif field == "levels":
        state = replace(state, levels=tuple(v for v in LEVELS if v in (value or [])))
    elif field == "years" and value:
        state = replace(state, year_from=int(value[0]), year_to=int(value[1]))
    elif field == "q":
        state = replace(state, q=(value or "").strip()[:MAX_Q])
    elif field == "session":
        state = replace(state, session=value or None)
    elif field == "lang" and value in LANGS:
        state = replace(state, lang=value)
    set_state(state, vocab)


def change(vocab: Vocabulary, **changes) -> None:
    """Button callback: apply changes to the view state (chips, page links, clicks)."""
    set_state(replace(st.session_state["view_state"], **changes), vocab)


def reset(vocab: Vocabulary) -> None:
    lang = st.session_state["view_state"].lang
    set_state(ViewState(lang=lang), vocab)


def toggle_country(vocab: Vocabulary, code: str) -> None:
    state: ViewState = st.session_state["view_state"]
    chosen = set(state.countries)
    chosen ^= {code}
    change(vocab, countries=tuple(c for c in vocab.countries if c in chosen))


def selected_points(key: str) -> list[dict]:
    event = st.session_state.get(key)
    try:
        return list(event["selection"]["points"]) if event else []
    except (KeyError, TypeError):
        return []


def on_map_click(vocab: Vocabulary) -> None:
    """A click (a tap on a phone) on a state shows what the map says of it, with a button to
    filter every view to it: a tap that lands on a small neighbour only shows, never filters."""
    for point in selected_points("map_chart"):
        code = point.get("location")
        if code in vocab.countries:
            st.session_state["map_pick"] = code
            return
    st.session_state.pop("map_pick", None)


def on_session_click(key: str, vocab: Vocabulary) -> None:
    """A click on a session (timeline point, bar, grid cell) opens its page."""
    for point in selected_points(key):
        sid = point.get("customdata")
        if isinstance(sid, list):
            sid = sid[0] if sid else None
        if sid in vocab.sessions:
            change(vocab, tab="sessions", session=sid)
            return
        group = timeline.parse_group_key(sid)  # a council-year group: zoom into it
        if group and group[0] in vocab.bodies:
            change(vocab, bodies=(group[0],), year_from=group[1], year_to=group[1])
            return


def on_country_bar_click(vocab: Vocabulary) -> None:
    for point in selected_points("counts_chart"):
        code = point.get("customdata")
        if code in vocab.countries:
            change(vocab, tab="countries", countries=(code,))
            return


def mirror_widgets(state: ViewState, vocab: Vocabulary) -> None:
    ss = st.session_state
    ss["w_tab"] = state.tab
    ss["w_bodies"] = list(state.bodies)
    ss["w_countries"] = list(state.countries)
    ss["w_levels"] = list(state.levels)
    ss["w_years"] = state.years(vocab)
    ss["w_q"] = state.q
    ss["w_session"] = state.session or ""
    ss["w_lang"] = state.lang


def write_url(state: ViewState, vocab: Vocabulary) -> None:
    wanted = to_query(state, vocab)
    current = read_url()
    # Streamlit's own embedding switches are not part of the view; keep them as they are.
    kept = {k: v for k, v in current.items() if k == "embed" or k.startswith("embed_")}
    if {**wanted, **kept} != current:
        st.query_params.from_dict({**wanted, **kept})
