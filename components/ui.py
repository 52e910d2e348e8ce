"""The rendering layer: the only module that imports streamlit.

Widget values are mirrored from one ViewState kept in session_state, so a view that is
not on screen keeps its selection, and the URL is written from that state alone. Clicks
on charts (map, timeline, bars, grid) change the same state, so the URL follows them.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from . import (attendance_map, country_page, coverage, documents, exports, images, numbering,
               participation, sessions, signatures_matrix, timeline)
from .dataset import DATA_DIR, Dataset, load_dataset
from .downloads import csv_bytes, dataset_zip, file_name
from .filters import Filtered, apply, prepare_search, vocabulary
from .i18n import LANGS, long_date, pick_marked, t
from .problems import DatasetError
from .state import MAX_Q, TABS, ViewState, Vocabulary, from_query, normalize, to_query

TAB_LABELS = {"timeline": "Timeline", "map": "Map", "countries": "Countries",
              "documents": "Documents", "sessions": "Sessions", "coverage": "Coverage",
              "signatures": "Who signed what"}
LANG_LABELS = {"en": "English", "ru": "Русский"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")
PLOT_CONFIG = {"displaylogo": False}
# Set by the replica launcher (deploy/replicas.py) so users and tests see which process answered.
REPLICA = os.environ.get("CIS_REPLICA", "")


def md_escape(text: str) -> str:
    """Data text shown through markdown is escaped: it is text, never markup or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


@st.cache_resource(show_spinner="Loading and validating the dataset…")
def cached_dataset(data_dir: str) -> Dataset:
    # Loaded and validated once per process; reruns only filter and build figures.
    ds = load_dataset(Path(data_dir))
    prepare_search(ds)
    return ds


@st.cache_resource(show_spinner=False)
def cached_vocabulary(data_dir: str) -> Vocabulary:
    return vocabulary(cached_dataset(data_dir))


@st.cache_resource(show_spinner=False)
def cached_zip(data_dir: str) -> bytes:
    return dataset_zip(cached_dataset(data_dir), Path(data_dir) / "README.md")


def show_dataset_error(err: DatasetError, lang: str) -> None:
    st.title(t("CIS Meetings Dashboard", lang))
    st.error(t("The dataset could not be loaded: {n} problem(s) were found. Nothing is shown "
               "until they are fixed. Each line names file, record, field and reason.", lang,
               n=len(err.problems)))
    st.code("\n".join(str(p) for p in err.problems), language=None)
    st.caption(t("Run `python -m components validate` to see the same list in a terminal.", lang))


# ---------------------------------------------------------------- state <-> widgets

def _read_url() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def current_state(vocab: Vocabulary) -> ViewState:
    ss = st.session_state
    if "view_state" not in ss:
        state, notices = from_query(_read_url(), vocab)
        ss["view_state"], ss["notices"] = state, notices
    return ss["view_state"]


def _set_state(state: ViewState, vocab: Vocabulary) -> None:
    st.session_state["view_state"] = normalize(state, vocab)
    st.session_state["notices"] = []


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
        state = replace(state, q=(value or "").strip()[:MAX_Q])
    elif field == "session":
        state = replace(state, session=value or None)
    elif field == "lang" and value in LANGS:
        state = replace(state, lang=value)
    _set_state(state, vocab)


def _change(vocab: Vocabulary, **changes) -> None:
    """Button callback: apply changes to the view state (chips, page links, clicks)."""
    _set_state(replace(st.session_state["view_state"], **changes), vocab)


def _reset(vocab: Vocabulary) -> None:
    lang = st.session_state["view_state"].lang
    _set_state(ViewState(lang=lang), vocab)


def _toggle_country(vocab: Vocabulary, code: str) -> None:
    state: ViewState = st.session_state["view_state"]
    chosen = set(state.countries)
    chosen ^= {code}
    _change(vocab, countries=tuple(c for c in vocab.countries if c in chosen))


def _selected_points(key: str) -> list[dict]:
    event = st.session_state.get(key)
    try:
        return list(event["selection"]["points"]) if event else []
    except (KeyError, TypeError):
        return []


def _on_map_click(vocab: Vocabulary) -> None:
    """A click on a state filters every view to it (a second click removes it)."""
    for point in _selected_points("map_chart"):
        code = point.get("location")
        if code in vocab.countries:
            _toggle_country(vocab, code)
            return


def _on_session_click(key: str, vocab: Vocabulary) -> None:
    """A click on a session (timeline point, bar, grid cell) opens its page."""
    for point in _selected_points(key):
        sid = point.get("customdata")
        if isinstance(sid, list):
            sid = sid[0] if sid else None
        if sid in vocab.sessions:
            _change(vocab, tab="sessions", session=sid)
            return
        group = timeline.parse_group_key(sid)  # a council-year group: zoom into it
        if group and group[0] in vocab.bodies:
            _change(vocab, bodies=(group[0],), year_from=group[1], year_to=group[1])
            return


def _on_country_bar_click(vocab: Vocabulary) -> None:
    for point in _selected_points("counts_chart"):
        code = point.get("customdata")
        if code in vocab.countries:
            _change(vocab, tab="countries", countries=(code,))
            return


def _mirror_widgets(state: ViewState, vocab: Vocabulary) -> None:
    ss = st.session_state
    ss["w_tab"] = state.tab
    ss["w_bodies"] = list(state.bodies)
    ss["w_countries"] = list(state.countries)
    ss["w_years"] = state.years(vocab)
    ss["w_q"] = state.q
    ss["w_session"] = state.session or ""
    ss["w_lang"] = state.lang


def write_url(state: ViewState, vocab: Vocabulary) -> None:
    wanted = to_query(state, vocab)
    current = _read_url()
    # Streamlit's own embedding switches are not part of the view; keep them as they are.
    kept = {k: v for k, v in current.items() if k == "embed" or k.startswith("embed_")}
    if {**wanted, **kept} != current:
        st.query_params.from_dict({**wanted, **kept})


# ---------------------------------------------------------------- helpers

def names_of(ds: Dataset, lang: str) -> dict[str, str]:
    return dict(zip(ds.countries["country"], ds.countries["name_ru" if lang == "ru" else "name_en"]))


def columns(df: pd.DataFrame, lang: str) -> dict:
    """Column headers in the interface language; the CSV keeps the stable column codes."""
    def label(c: str) -> str:
        if c.startswith("attendance_"):  # one column per chosen state
            return f"{t('attendance', lang)} {c.removeprefix('attendance_')}"
        return t(c, lang)
    config = {c: st.column_config.Column(label(c)) for c in df.columns}
    for c in df.columns:
        if c == "url":
            config[c] = st.column_config.LinkColumn(label(c))
    return config


def table(df: pd.DataFrame, lang: str, key: str | None = None) -> None:
    st.dataframe(df, hide_index=True, width="stretch", column_config=columns(df, lang), key=key)


def download(df: pd.DataFrame, label: str, name: str, key: str, lang: str) -> None:
    st.download_button(t("Download {what} as CSV ({n} rows)", lang, what=t(label, lang), n=len(df)),
                       data=csv_bytes(df), file_name=name, mime="text/csv", on_click="ignore",
                       key=key)


@st.cache_resource(show_spinner=False)
def image_export_available() -> bool:
    return images.find_browser() is not None


def image_buttons(fig, key: str, name: str, lang: str) -> None:
    """PNG and SVG of the chart, drawn on the server by a local Chromium when clicked (no
    network); hidden when the server has no Chromium."""
    if not image_export_available():
        return
    left, right, _ = st.columns([1, 1, 4])
    for col, fmt, mime in ((left, "png", "image/png"), (right, "svg", "image/svg+xml")):
        col.download_button(t("{fmt} image", lang, fmt=fmt.upper()),
                            data=lambda fm=fmt: images.figure_image(fig, fm),
                            file_name=images.image_name(name, fmt), mime=mime,
                            on_click="ignore", key=f"img_{fmt}_{key}",
                            help=t("Download this chart as an image", lang))


def chart(fig, key: str, lang: str, alt: str, numbers=None,
          config: dict | None = None, on_select=None, name: str | None = None) -> None:
    """A chart with its text alternative, the table of its numbers (accessibility) and
    image downloads. `numbers` is a frame, or a function returning one."""
    kwargs = {"on_select": on_select, "selection_mode": ("points",)} if on_select else {}
    st.plotly_chart(fig, width="stretch", key=key, config=config or PLOT_CONFIG, **kwargs)
    st.caption(alt)
    image_buttons(fig, key, name or f"cis_{key}", lang)
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


# ---------------------------------------------------------------- page parts

def sidebar(ds: Dataset, vocab: Vocabulary, data_dir: str, lang: str) -> None:
    names = names_of(ds, lang)
    bodies = timeline.body_names(ds.bodies, lang)
    with st.sidebar:
        st.radio(t("Language", lang), LANGS, key="w_lang", format_func=LANG_LABELS.get,
                 horizontal=True, on_change=_commit, args=("lang", vocab))
        st.header(t("Filters", lang))
        st.multiselect(t("Councils", lang), vocab.bodies, key="w_bodies", format_func=bodies.get,
                       placeholder=t("All councils", lang), on_change=_commit,
                       args=("bodies", vocab))
        if vocab.year_min < vocab.year_max:
            st.slider(t("Years", lang), vocab.year_min, vocab.year_max, key="w_years",
                      on_change=_commit, args=("years", vocab))
        st.multiselect(t("Member states", lang), vocab.countries, key="w_countries",
                       format_func=lambda c: f"{names.get(c, c)} ({c})",
                       placeholder=t("All member states", lang), on_change=_commit,
                       args=("countries", vocab))
        st.text_input(t("Search titles, cities, delegates", lang), key="w_q",
                      placeholder=t("e.g. связи, communication, Лавров, Almaty", lang),
                      on_change=_commit, args=("q", vocab))
        st.button(t("Reset all filters", lang), on_click=_reset, args=(vocab,), key="reset")
        st.divider()
        st.download_button(t("Download the whole dataset (zip of CSVs, data dictionary, "
                             "datapackage.json)", lang),
                           data=lambda: cached_zip(data_dir), file_name="cis-meetings-dataset.zip",
                           mime="application/zip", on_click="ignore", key="dl_zip")
        st.caption(t("The link in the address bar reopens exactly this view.", lang))


def chips(ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    """Active filters as removable chips, and a reset."""
    lang = state.lang
    names = names_of(ds, lang)
    bodies = timeline.body_names(ds.bodies, lang, short=True)
    items: list[tuple[str, str, dict]] = []
    for b in state.bodies:
        rest = tuple(x for x in state.bodies if x != b)
        items.append((f"chip_body_{b}", bodies.get(b, b), {"bodies": rest}))
    if state.year_from or state.year_to:
        lo, hi = state.years(vocab)
        items.append(("chip_years", f"{lo}–{hi}", {"year_from": None, "year_to": None}))
    for c in state.countries:
        rest = tuple(x for x in state.countries if x != c)
        items.append((f"chip_country_{c}", names.get(c, c), {"countries": rest}))
    if state.q:
        items.append(("chip_q", f"“{state.q[:30]}”", {"q": ""}))
    if state.session:
        items.append(("chip_session", state.session, {"session": None}))
    if not items:
        return
    cols = st.columns(min(len(items) + 1, 8))
    for i, (key, label, change) in enumerate(items):
        cols[i % (len(cols) - 1 or 1)].button(f"✕ {label}", key=key, on_click=_change,
                                               args=(vocab,), kwargs=change,
                                               help=t("Remove this filter", lang))
    cols[-1].button(t("Reset", lang), key="chip_reset", on_click=_reset, args=(vocab,))


def session_picker(options: list[str], ds: Dataset, vocab: Vocabulary, label: str,
                   none_label: str, lang: str) -> None:
    labels = {r["session_id"]: sessions.session_label(r, lang) for r in ds.sessions.to_dict("records")}
    current = st.session_state.get("w_session") or ""
    ids = [""] + options + ([current] if current and current not in options else [])
    st.selectbox(label, ids, key="w_session",
                 format_func=lambda i: labels.get(i, i) if i else none_label,
                 on_change=_commit, args=("session", vocab))


def view_timeline(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    chart(timeline.build_timeline(f.sessions, ds.bodies, ds.disputes, lang), "timeline_chart",
          lang, timeline.describe_timeline(f.sessions, ds.bodies, lang),
          lambda: timeline.timeline_table(f.sessions),
          on_select=lambda: _on_session_click("timeline_chart", vocab),
          name=fname("timeline", state, vocab))
    st.caption(t("Circles: sessions held; open symbols: planned sessions not held or postponed. "
                 "Click a session to open its page.", lang))
    bars = timeline.build_attendance_bars(f.sessions, lang, f.attendance)
    held = f.sessions[f.sessions["status"] == "held"]
    chart(bars, "attendance_bars", lang,
          t("Delegations stated present, stated absent and with no information at each of "
            "{n} sessions held. The legend and the hover say how the seats are known: stated "
            "by a source, from a whole list of participants (a member missing from it stayed "
            "away), or announced beforehand.", lang, n=len(held)),
          lambda: timeline.attendance_bars_table(f.sessions),
          on_select=lambda: _on_session_click("attendance_bars", vocab))
    st.download_button(t("Download these sessions as a calendar (.ics)", lang),
                       # Built on click only: it was half of every rerun's time (make bench).
                       data=lambda: exports.sessions_ics(f.sessions, ds, lang),
                       file_name=fname("sessions", state, vocab).replace(".csv", ".ics"),
                       mime="text/calendar", on_click="ignore", key="dl_ics")


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
          on_select=lambda: _on_map_click(vocab),
          name=fname("map", state, vocab, state.session or "rate"))
    st.caption(attendance_map.borders_caption(lang) + " "
               + t("Click a state to filter every view to it.", lang))
    table(frame, lang)
    download(frame, "map data", fname("map", state, vocab, state.session or "rate"), "dl_map", lang)


def view_countries(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    if 1 <= len(state.countries) <= country_page.MAX_COMPARE:
        view_country_pages(f, ds, vocab, state)
        st.divider()
    tbl = participation.participation_table(f.attendance, ds, f.countries, lang)
    chart(participation.build_counts_bar(tbl, lang), "counts_chart", lang,
          participation.describe_counts(tbl, lang), None,
          on_select=lambda: _on_country_bar_click(vocab))
    shown, held = participation.grid_sessions(f.sessions)
    grid = participation.grid_frame(shown, ds, f.countries)
    if held > participation.GRID_MAX_SESSIONS:
        st.info(t("The grid shows the latest {k} of {n} sessions held; narrow the years or "
                  "councils to see the others.", lang, k=participation.GRID_MAX_SESSIONS, n=held))
    if not grid.empty:
        counts = grid["category"].value_counts()
        chart(participation.build_grid(grid, ds, lang), "grid_chart", lang,
              t("Grid of {s} sessions × {c} states; cells by category: {parts}.", lang,
                s=grid["session_id"].nunique(), c=grid["country"].nunique(),
                parts="; ".join(f"{t(k, lang)} {v}" for k, v in counts.items())),
              grid, on_select=lambda: _on_session_click("grid_chart", vocab))
    st.caption(t("'No information' means no source found states that delegation's presence or "
                 "absence; it is not counted as an absence. Click a state's bar to open its "
                 "page; pick up to four states to compare them.", lang))
    table(tbl, lang)
    download(tbl, "participation", fname("countries", state, vocab), "dl_countries", lang)
    standings(ds, f, lang)


def standings(ds: Dataset, f: Filtered, lang: str) -> None:
    """Who is expected where: each state's standing in the CIS and in single councils."""
    box = st.expander(t("Who is expected at each council: membership and standings", lang),
                      key="standings", on_change="rerun")
    if not box.open:
        return
    with box:
        st.caption(t("A state is expected at a session (present, absent or no information) "
                     "when it is a member, associate, participant or not participating on "
                     "that day; a council's own standing (an observer at the defence "
                     "ministers' council, say) takes precedence over the CIS-wide one. An "
                     "observer that comes is shown as a guest with its level; one that does "
                     "not is not an expected seat. Where no source gives when a standing "
                     "began, it is recorded as of a day a source states it (as_of) and "
                     "counts from that day only: earlier sessions follow the state's "
                     "previous standing.", lang))
        m = ds.memberships[ds.memberships["country"].isin(f.countries)]
        m = sessions.with_urls(m, ds, ["country", "body", "status", "start_date", "as_of",
                                       "end_date", "event"])
        table(m, lang)


def view_country_pages(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    codes = state.countries
    st.subheader(t("Country page", lang) if len(codes) == 1 else t("Comparing {n} states", lang,
                                                                  n=len(codes)))
    compare = country_page.compare_table(f.sessions, f.attendance, ds, codes, lang)
    table(compare, lang, key="compare_table")
    download(compare, "country summary", fname("country-summary", state, vocab), "dl_compare", lang)
    cols = st.columns(len(codes))
    lo, hi = state.years(vocab)
    names = names_of(ds, lang)
    for col, code in zip(cols, codes):
        with col:
            st.markdown(f"**{md_escape(names[code])}** ({code})")
            by_year = country_page.participation_by_year(f.sessions, f.attendance, code)
            bands = country_page.membership_bands(ds.memberships, code, lo, hi)
            chart(country_page.build_country_chart(by_year, bands, names[code], lang),
                  f"country_chart_{code}", lang,
                  country_page.describe_country(by_year, names[code], lang), by_year)
            levels = country_page.levels_table(f.attendance, f.sessions, code)
            st.markdown(t("**Delegations present** ({n})", lang, n=len(levels)))
            table(levels, lang)
            download(levels, "delegations", fname("delegations", state, vocab, code),
                     f"dl_levels_{code}", lang)
            away = country_page.absences_table(f.attendance, f.sessions, ds, code, lang)
            st.markdown(t("**Sessions stayed away from** ({n})", lang, n=len(away)))
            if not away.empty:
                table(away, lang)
                download(away, "absences", fname("absences", state, vocab, code),
                         f"dl_absent_{code}", lang)
            sig = country_page.signatures_of(ds.signatures, f.documents, code)
            st.markdown(t("**Signed, not signed, reservations** ({n})", lang, n=len(sig)))
            if not sig.empty:
                table(sig, lang)
                download(sig, "signatures", fname("signatures", state, vocab, code),
                         f"dl_sig_{code}", lang)
            ch = country_page.chaired_hosted(f.sessions, code)
            st.markdown(t("**Chaired or hosted** ({n})", lang, n=len(ch)))
            if not ch.empty:
                table(ch, lang)
                download(ch, "chaired or hosted", fname("chaired-hosted", state, vocab, code),
                         f"dl_ch_{code}", lang)


def view_documents(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    tbl = documents.documents_table(f.documents, f.sessions, ds)
    counts = documents.type_counts(f.documents)
    if not counts.empty:
        chart(documents.build_type_bar(counts, lang), "doc_chart", lang,
              documents.describe_types(counts, lang), counts)
    tbl = tbl.assign(title=[pick_marked(e, r, lang) for e, r in zip(tbl["title_en"], tbl["title_ru"])])
    table(tbl, lang)
    download(tbl, "documents", fname("documents", state, vocab), "dl_documents", lang)
    trail = documents.trails(f.documents, ds)
    if not trail.empty:
        st.subheader(t("Documents followed across councils", lang))
        st.caption(t("The same text at each step: approved by ministers, then signed by the "
                     "heads of state or government. Steps outside the filters are shown too.", lang))
        table(trail, lang)
        download(trail, "document steps", fname("document-steps", state, vocab), "dl_trails", lang)
    sig = documents.signatures_table(f.documents, ds, f.countries)
    if not sig.empty:
        st.subheader(t("Who signed what (where sources state it)", lang))
        table(sig, lang)
        download(sig, "signatures", fname("signatures", state, vocab), "dl_signatures", lang)
    if not f.agenda_items.empty:
        st.subheader(t("Agenda items", lang))
        items = sessions.with_urls(f.agenda_items, ds, ["session_id", "title_en", "title_ru"])
        table(items, lang)
        download(items, "agenda items", fname("agenda-items", state, vocab), "dl_items", lang)


def view_signatures(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    frame = signatures_matrix.matrix_frame(f.documents, ds, f.countries)
    if frame.empty:
        st.info(t("No document in view has a stated signature.", lang))
    else:
        counts = frame["status"].value_counts()
        chart(signatures_matrix.build_matrix(frame, ds, lang), "matrix_chart", lang,
              t("Matrix of {d} documents × {c} states: {parts}.", lang,
                d=frame["document_id"].nunique(), c=frame["country"].nunique(),
                parts="; ".join(f"{t(k, lang)} {v}" for k, v in counts.items())), None)
        table(frame, lang)
        download(frame, "signature matrix", fname("signature-matrix", state, vocab),
                 "dl_matrix", lang)
    st.subheader(t("Affinity between states", lang))
    aff = signatures_matrix.affinity_frame(f.attendance, ds.signatures[
        ds.signatures["document_id"].isin(set(f.documents["document_id"]))], f.countries)
    measure = "co_attendance_share"
    chart(signatures_matrix.build_affinity(aff, ds, measure, lang), "affinity_chart", lang,
          t("Share of sessions where both states were stated present, of those where both "
            "states' attendance is stated; and share of documents both signed, of those where "
            "both states' signature is stated.", lang), None)
    table(aff, lang)
    download(aff, "affinity", fname("affinity", state, vocab), "dl_affinity", lang)


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
    st.button(t("← All sessions", lang), key="back", on_click=_change, args=(vocab,),
              kwargs={"session": None})
    st.subheader(md_escape(f"{council} · {long_date(row['date'], lang)} · "
                           f"{timeline.city_of(row.to_dict(), lang)} ({session_id})"))
    prev_id, next_id = sessions.neighbours(ds.sessions, session_id)
    left, right = st.columns(2)
    labels = {r["session_id"]: sessions.session_label(r, lang) for r in ds.sessions.to_dict("records")}
    if prev_id:
        left.button("← " + t("Previous: {label}", lang, label=labels[prev_id]), key="prev",
                    on_click=_change, args=(vocab,), kwargs={"session": prev_id})
    if next_id:
        right.button(t("Next: {label}", lang, label=labels[next_id]) + " →", key="next",
                     on_click=_change, args=(vocab,), kwargs={"session": next_id})
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


def view_coverage(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    st.caption(t("How far to trust a chart: per council and year, the sessions known and the "
                 "share of held sessions where a source fills each field. Computed from the "
                 "same tables as the other views, with the same filters.", lang))
    if f.sessions.empty:
        st.info(t("No session in view.", lang))
        return
    sessions_known(ds, f, vocab, state)
    decades = coverage.coverage_table(f.sessions, f.attendance, "decade")
    chart(coverage.build_seats_bar(decades, ds.bodies, lang), "seats_chart", lang,
          coverage.describe_seats(decades, lang),
          lambda: decades[["body", "period", "seats_expected",
                           *[f"seats_{b}" for b in coverage.SEAT_BASES], "seats_unknown",
                           "share_seats_known"]])
    by_year = coverage.coverage_table(f.sessions, f.attendance, "year")
    alt = coverage.describe_coverage(by_year, lang)
    chart(coverage.build_sessions_known_bar(by_year, ds.bodies, lang), "coverage_bar", lang, alt)
    chart(coverage.build_coverage_heatmap(by_year, ds.bodies, lang), "coverage_chart", lang,
          t("Heatmap of the shares in the table below.", lang))
    table(by_year, lang)
    download(by_year, "coverage by year", fname("coverage", state, vocab), "dl_coverage", lang)
    st.subheader(t("By decade", lang))
    table(decades, lang)
    download(decades, "coverage by decade", fname("coverage-decades", state, vocab),
             "dl_coverage_decades", lang)


def sessions_known(ds: Dataset, f: Filtered, vocab: Vocabulary, state: ViewState) -> None:
    """Per council in view: sessions known against the estimated total, and the session
    numbers still missing (the research to-do list). Over all years: a year filter would
    cut the numbering."""
    lang = state.lang
    bodies = set(f.sessions["body"])
    pinned = ds.sessions
    if state.version:
        pinned = pinned[pinned["version"].astype(int) <= int(state.version)]
    scope = pinned[pinned["body"].isin(bodies)]
    summ = numbering.summary(scope, ds.counts, ds.facts)
    st.subheader(t("Sessions known against the estimated total", lang))
    st.caption(t("Councils number their sessions, and official totals are published now and "
                 "then; each gives a lower bound of the sessions held. The estimate is the "
                 "largest such bound, over all years whatever the year filter; the gaps "
                 "below are the numbers no known session fills yet.", lang))
    table(sessions.with_urls(summ.rename(columns={"estimate_source_ids": "source_ids"}), ds,
                             [c for c in numbering.SUMMARY_COLUMNS
                              if c != "estimate_source_ids"]), lang)
    download(summ, "sessions known", fname("sessions-known", state, vocab), "dl_known", lang)
    gaps = numbering.gaps(scope, ds.counts, ds.facts)
    if not gaps.empty:
        st.markdown(t("**Session numbers missing between known sessions** ({n} gaps)", lang,
                      n=len(gaps)))
        if gaps["conflict"].any():
            st.caption(t("A conflict is a span where more sessions are known than the numbers "
                         "or counts around it allow: a count may leave out some informal "
                         "meetings, or a number or a date is wrong. Both are kept as the "
                         "sources state them.", lang))
        table(gaps, lang)
        download(gaps, "missing numbers", fname("missing-numbers", state, vocab), "dl_gaps",
                 lang)


def version_notice(ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    if not state.version:
        return
    v = ds.versions.set_index("version")
    hidden = int((ds.sessions["version"].astype(int) > int(state.version)).sum())
    st.info(t("This link shows the dataset as of version {v} ({date}); {n} session(s) "
              "published since are hidden.", state.lang, v=state.version,
              date=long_date(v.at[state.version, "released"], state.lang), n=hidden))
    st.button(t("Show the current data", state.lang), key="unpin", on_click=_change,
              args=(vocab,), kwargs={"version": None})


def footer(ds: Dataset, state: ViewState) -> None:
    s, lang = ds.sessions, state.lang
    st.divider()
    version = ds.current_version
    released = ds.versions["released"].iloc[-1] if len(ds.versions) else None
    st.caption(t("Dataset: {n} sessions ({first} – {last}), {src} sources.", lang, n=len(s),
                 first=s["date"].min(), last=s["date"].max(), src=len(ds.sources))
               + (" " + t("Version {v}, updated {date}.", lang, v=version,
                          date=long_date(released, lang)) if version else "")
               + " " + t("Every fact links to a page that states it; unknown stays empty.", lang)
               + (f" · {t('server', lang)} {md_escape(REPLICA)}" if REPLICA else ""))


def main(data_dir: Path = DATA_DIR) -> None:
    st.set_page_config(page_title="CIS Meetings Dashboard", layout="wide")
    try:
        ds = cached_dataset(str(data_dir))
    except DatasetError as err:
        lang = st.query_params.get("lang", "en")
        show_dataset_error(err, lang if lang in LANGS else "en")
        return
    vocab = cached_vocabulary(str(data_dir))
    state = current_state(vocab)
    lang = state.lang
    _mirror_widgets(state, vocab)

    st.title(t("CIS ministerial meetings", lang))
    for notice in st.session_state.get("notices", []):
        st.warning(md_escape(notice))  # notices quote link values: text, never markup
    version_notice(ds, vocab, state)
    sidebar(ds, vocab, str(data_dir), lang)
    st.radio(t("View", lang), TABS, key="w_tab", format_func=lambda x: t(TAB_LABELS[x], lang),
             horizontal=True, on_change=_commit, args=("tab", vocab), label_visibility="collapsed")
    chips(ds, vocab, state)

    f = apply(state, ds, vocab)
    lo, hi = state.years(vocab)
    st.caption(t("{n} sessions in view · {lo}–{hi}", lang, n=len(f.sessions), lo=lo, hi=hi)
               + (" · " + t("search", lang) + ": " + md_escape(state.q) if state.q else ""))
    views = {"timeline": view_timeline, "map": view_map, "countries": view_countries,
             "documents": view_documents, "sessions": view_sessions, "coverage": view_coverage,
             "signatures": view_signatures}
    views[state.tab](f, ds, vocab, state)
    footer(ds, state)
    write_url(st.session_state["view_state"], vocab)
