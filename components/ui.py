"""The rendering layer: the only module that imports streamlit.

Widget values are mirrored from one ViewState kept in session_state, so a view that is
not on screen keeps its selection, and the URL is written from that state alone.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from . import attendance_map, coverage, documents, participation, sessions, timeline
from .dataset import DATA_DIR, Dataset, load_dataset
from .downloads import csv_bytes, dataset_zip, file_name
from .filters import Filtered, apply, vocabulary
from .problems import DatasetError
from .state import TABS, ViewState, Vocabulary, from_query, normalize, to_query

TAB_LABELS = {"timeline": "Timeline", "map": "Map", "countries": "Countries",
              "documents": "Documents", "sessions": "Sessions", "coverage": "Coverage"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def md_escape(text: str) -> str:
    """Data text shown through markdown is escaped: it is text, never markup or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


@st.cache_resource(show_spinner="Loading and validating the dataset…")
def cached_dataset(data_dir: str) -> Dataset:
    # Loaded and validated once per process; reruns only filter and build figures.
    return load_dataset(Path(data_dir))


@st.cache_resource(show_spinner=False)
def cached_zip(data_dir: str) -> bytes:
    return dataset_zip(cached_dataset(data_dir), Path(data_dir) / "README.md")


def show_dataset_error(err: DatasetError) -> None:
    st.title("CIS Meetings Dashboard")
    st.error(f"The dataset could not be loaded: {len(err.problems)} problem(s) were found. "
             "Nothing is shown until they are fixed. Each line names file, record, field "
             "and reason.")
    st.code("\n".join(str(p) for p in err.problems), language=None)
    st.caption("Run `python -m components validate` to see the same list in a terminal.")


# ---------------------------------------------------------------- state <-> widgets

def _read_url() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def current_state(vocab: Vocabulary) -> ViewState:
    ss = st.session_state
    if "view_state" not in ss:
        state, notices = from_query(_read_url(), vocab)
        ss["view_state"], ss["notices"] = state, notices
    return ss["view_state"]


def _commit(field: str, vocab: Vocabulary) -> None:
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
    elif field == "years" and value:
        state = replace(state, year_from=int(value[0]), year_to=int(value[1]))
    elif field == "q":
        state = replace(state, q=(value or "").strip()[:200])
    elif field == "session":
        state = replace(state, session=value or None)
    ss["view_state"] = normalize(state, vocab)
    ss["notices"] = []


def _reset() -> None:
    st.session_state["view_state"] = ViewState()
    st.session_state["notices"] = []


def _mirror_widgets(state: ViewState, vocab: Vocabulary) -> None:
    ss = st.session_state
    ss["w_tab"] = state.tab
    ss["w_bodies"] = list(state.bodies)
    ss["w_countries"] = list(state.countries)
    ss["w_years"] = state.years(vocab)
    ss["w_q"] = state.q
    ss["w_session"] = state.session or ""


def write_url(state: ViewState, vocab: Vocabulary) -> None:
    wanted = to_query(state, vocab)
    if wanted != _read_url():
        st.query_params.from_dict(wanted)


# ---------------------------------------------------------------- page parts

def sidebar(ds: Dataset, vocab: Vocabulary, data_dir: str) -> None:
    names = dict(zip(ds.countries["country"], ds.countries["name_en"]))
    bodies = dict(zip(ds.bodies["body"], ds.bodies["name_en"]))
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Councils", vocab.bodies, key="w_bodies", format_func=bodies.get,
                       placeholder="All councils", on_change=_commit, args=("bodies", vocab))
        if vocab.year_min < vocab.year_max:
            st.slider("Years", vocab.year_min, vocab.year_max, key="w_years",
                      on_change=_commit, args=("years", vocab))
        st.multiselect("Member states", vocab.countries, key="w_countries",
                       format_func=lambda c: f"{names.get(c, c)} ({c})",
                       placeholder="All member states", on_change=_commit,
                       args=("countries", vocab))
        st.text_input("Search agenda items and documents", key="w_q",
                      placeholder="e.g. связь, communication, terrorism",
                      on_change=_commit, args=("q", vocab))
        st.button("Reset all filters", on_click=_reset)
        st.divider()
        st.download_button("Download the whole dataset (zip of CSVs + data dictionary)",
                           data=cached_zip(data_dir), file_name="cis-meetings-dataset.zip",
                           mime="application/zip", on_click="ignore", key="dl_zip")
        st.caption("The link in the address bar reopens exactly this view.")


def download(df: pd.DataFrame, label: str, name: str, key: str) -> None:
    st.download_button(f"Download {label} as CSV ({len(df)} rows)", data=csv_bytes(df),
                       file_name=name, mime="text/csv", on_click="ignore", key=key)


def session_picker(options: list[str], ds: Dataset, vocab: Vocabulary, label: str,
                   none_label: str) -> None:
    labels = {r["session_id"]: sessions.session_label(r) for r in ds.sessions.to_dict("records")}
    current = st.session_state.get("w_session") or ""
    ids = [""] + options + ([current] if current and current not in options else [])
    st.selectbox(label, ids, key="w_session",
                 format_func=lambda i: labels.get(i, i) if i else none_label,
                 on_change=_commit, args=("session", vocab))


def view_timeline(f: Filtered, ds: Dataset) -> None:
    st.plotly_chart(timeline.build_timeline(f.sessions, ds.bodies, ds.disputes), width="stretch",
                    key="timeline_chart", config={"displaylogo": False})
    st.caption("Circles: sessions held; open symbols: planned sessions not held or postponed. "
               "Hover a session for date, city and counts.")
    st.plotly_chart(timeline.build_attendance_bars(f.sessions), width="stretch",
                    key="attendance_bars", config={"displaylogo": False})


def view_map(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    session_picker(list(f.sessions.sort_values("date", ascending=False)["session_id"]), ds,
                   vocab, "Colour the map by", "Attendance rate over all sessions in view")
    if state.session:
        row = ds.sessions.set_index("session_id").loc[state.session]
        frame = attendance_map.session_frame(ds, state.session, f.countries)
        fig = attendance_map.build_session_map(
            frame, f"Attendance, {row['date']:%d %B %Y}, {row['city_en'] or 'city unknown'}")
    else:
        frame = attendance_map.rate_frame(f.attendance, ds, f.countries)
        fig = attendance_map.build_rate_map(
            frame, f"Share of sessions attended where attendance is known ({len(f.sessions)} sessions)")
    st.plotly_chart(fig, width="stretch", key="map_chart", config=attendance_map.PLOT_CONFIG)
    st.caption(attendance_map.BORDERS_CAPTION)
    st.dataframe(frame, hide_index=True, width="stretch")
    download(frame, "map data", file_name("map", state.bodies, state.years(vocab),
                                          state.countries, state.q, state.session or "rate"),
             "dl_map")


def view_countries(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    table = participation.participation_table(f.attendance, ds, f.countries)
    st.plotly_chart(participation.build_counts_bar(table), width="stretch",
                    key="counts_chart", config={"displaylogo": False})
    grid = participation.grid_frame(f.sessions, ds, f.countries)
    if not grid.empty:
        st.plotly_chart(participation.build_grid(grid, ds), width="stretch", key="grid_chart",
                        config={"displaylogo": False})
    st.caption("'No information' means no source found states that delegation's presence or "
               "absence; it is not counted as an absence.")
    st.dataframe(table, hide_index=True, width="stretch")
    download(table, "participation", file_name("countries", state.bodies, state.years(vocab),
                                               state.countries, state.q), "dl_countries")


def view_documents(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    table = documents.documents_table(f.documents, f.sessions, ds)
    counts = documents.type_counts(f.documents)
    if not counts.empty:
        st.plotly_chart(documents.build_type_bar(counts), width="stretch", key="doc_chart",
                        config={"displaylogo": False})
    st.dataframe(table, hide_index=True, width="stretch")
    download(table, "documents", file_name("documents", state.bodies, state.years(vocab),
                                           state.countries, state.q), "dl_documents")
    trail = documents.trails(f.documents, ds)
    if not trail.empty:
        st.subheader("Documents followed across councils")
        st.caption("The same text at each step: approved by ministers, then signed by the "
                   "heads of state or government. Steps outside the filters are shown too.")
        st.dataframe(trail, hide_index=True, width="stretch")
        download(trail, "document steps", file_name("document-steps", state.bodies,
                                                    state.years(vocab), state.countries, state.q),
                 "dl_trails")
    sig = documents.signatures_table(f.documents, ds, f.countries)
    if not sig.empty:
        st.subheader("Who signed what (where sources state it)")
        st.dataframe(sig, hide_index=True, width="stretch")
        download(sig, "signatures", file_name("signatures", state.bodies, state.years(vocab),
                                              state.countries, state.q), "dl_signatures")
    if not f.agenda_items.empty:
        st.subheader("Agenda items")
        items = sessions.with_urls(f.agenda_items, ds, ["session_id", "title_en", "title_ru"])
        st.dataframe(items, hide_index=True, width="stretch")
        download(items, "agenda items", file_name("agenda-items", state.bodies,
                                                  state.years(vocab), state.countries, state.q),
                 "dl_items")


def view_sessions(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    table = sessions.sessions_table(f.sessions, f.attendance, ds, state.countries)
    st.dataframe(table, hide_index=True, width="stretch")
    download(table, "sessions", file_name("sessions", state.bodies, state.years(vocab),
                                          state.countries, state.q), "dl_sessions")
    session_picker(list(table.sort_values("date", ascending=False)["session_id"]), ds, vocab,
                   "Open a session", "— choose a session to see every fact and its sources —")
    if state.session:
        show_session(ds, state.session)


def view_coverage(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    st.caption("How far to trust a chart: per council and year, the sessions known and the "
               "share of held sessions where a source fills each field. Computed from the "
               "same tables as the other views, with the same filters.")
    if f.sessions.empty:
        st.info("No session in view.")
        return
    table = coverage.coverage_table(f.sessions, f.attendance, "year")
    st.plotly_chart(coverage.build_sessions_known_bar(table, ds.bodies), width="stretch",
                    key="coverage_bar", config={"displaylogo": False})
    st.plotly_chart(coverage.build_coverage_heatmap(table, ds.bodies), width="stretch",
                    key="coverage_chart", config={"displaylogo": False})
    st.dataframe(table, hide_index=True, width="stretch")
    download(table, "coverage by year", file_name("coverage", state.bodies, state.years(vocab),
                                                  state.countries, state.q), "dl_coverage")
    st.subheader("By decade")
    decades = coverage.coverage_table(f.sessions, f.attendance, "decade")
    st.dataframe(decades, hide_index=True, width="stretch")
    download(decades, "coverage by decade", file_name("coverage-decades", state.bodies,
                                                      state.years(vocab), state.countries,
                                                      state.q), "dl_coverage_decades")


def show_session(ds: Dataset, session_id: str) -> None:
    row = ds.sessions.set_index("session_id").loc[session_id]
    st.subheader(md_escape(f"{row['date']:%d %B %Y} · {row['city_en'] or 'city unknown'} "
                           f"({session_id})"))
    parts = sessions.detail(ds, session_id)
    link = {"source_urls": st.column_config.TextColumn("sources (URLs)")}
    st.markdown("**Facts**")
    st.dataframe(parts["facts"], hide_index=True, width="stretch", column_config=link)
    if not parts["disputes"].empty:
        st.warning("Some facts of this session are disputed between sources:")
        st.dataframe(parts["disputes"], hide_index=True, width="stretch", column_config=link)
    st.markdown("**Attendance** (states not listed by any source: no information)")
    st.dataframe(parts["attendance"], hide_index=True, width="stretch", column_config=link)
    for key, title in (("agenda_items", "Agenda items"), ("documents", "Documents")):
        st.markdown(f"**{title}** ({len(parts[key])} known by title)")
        if not parts[key].empty:
            st.dataframe(parts[key], hide_index=True, width="stretch", column_config=link)
    if isinstance(row["notes"], str):
        st.markdown("**Notes**")
        st.text(row["notes"])
    st.markdown("**Sources**")
    st.dataframe(parts["sources"], hide_index=True, width="stretch",
                 column_config={"url": st.column_config.LinkColumn("url")})


def footer(ds: Dataset) -> None:
    s = ds.sessions
    st.divider()
    st.caption(f"Dataset: {len(s)} sessions ({s['date'].min()} – {s['date'].max()}), "
               f"{len(ds.sources)} sources. Every fact links to a page that states it; "
               "unknown stays empty.")


def main(data_dir: Path = DATA_DIR) -> None:
    st.set_page_config(page_title="CIS Meetings Dashboard", layout="wide")
    try:
        ds = cached_dataset(str(data_dir))
    except DatasetError as err:
        show_dataset_error(err)
        return
    vocab = vocabulary(ds)
    state = current_state(vocab)
    _mirror_widgets(state, vocab)

    st.title("CIS ministerial meetings")
    for notice in st.session_state.get("notices", []):
        st.warning(notice)
    sidebar(ds, vocab, str(data_dir))
    st.radio("View", TABS, key="w_tab", format_func=TAB_LABELS.get, horizontal=True,
             on_change=_commit, args=("tab", vocab), label_visibility="collapsed")

    f = apply(state, ds, vocab)
    lo, hi = state.years(vocab)
    st.caption(f"{len(f.sessions)} sessions in view · {lo}–{hi}"
               + (f" · search: {md_escape(state.q)}" if state.q else ""))
    if state.tab == "timeline":
        view_timeline(f, ds)
    elif state.tab == "map":
        view_map(f, ds, vocab, state)
    elif state.tab == "countries":
        view_countries(f, ds, vocab, state)
    elif state.tab == "documents":
        view_documents(f, ds, vocab, state)
    elif state.tab == "coverage":
        view_coverage(f, ds, vocab, state)
    else:
        view_sessions(f, ds, vocab, state)
    footer(ds)
    write_url(state, vocab)
