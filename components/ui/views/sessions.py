"""Sessions: the table and the session page, every fact with its sources."""

from __future__ import annotations

import streamlit as st

from ... import attendance_map, basis, labels, sessions, timeline
from ...dataset import Dataset
from ...filters import Filtered
from ...i18n import long_date, pick_marked, t
from ...state import ViewState, Vocabulary
from ..cache import load_key, memo, view_key
from ..sync import change
from ..widgets import chart, download, fname, md_escape, source_line, source_links, table
from .map import not_held_notice, session_alt


def view_sessions(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    if state.session:
        show_session(ds, vocab, state)
        return
    tbl = memo("sessions", view_key(ds, state, vocab), lambda: _table(f, ds, state))
    table(tbl, lang, key="sessions_table", opens="session_id",
          order=["date", "body", "city_en", "city_ru", "matched", "status", "present_count",
                 "absent_count", "unknown_count", *[c for c in tbl if c.startswith("attendance_")],
                 "session_id"])
    download(tbl, "sessions", fname("sessions", state, vocab), "dl_sessions", lang)


def _table(f: Filtered, ds: Dataset, state: ViewState):
    tbl = sessions.sessions_table(f.sessions, f.attendance, ds, state.countries)
    if state.q:
        tbl = tbl.merge(sessions.matched_column(f.matches, state.lang), on="session_id",
                        how="left")
    return tbl


def show_session(ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    """The session page: key facts first, each with the sources that state it; who came and
    how it is known; then the map, agenda and documents (with their steps across councils),
    notes and every source as a link."""
    lang, session_id = state.lang, state.session
    row = labels.sessions_by_id(ds).loc[session_id]
    council = labels.body_names(ds.bodies, lang)[row["body"]]
    st.button(t("← All sessions", lang), key="back", on_click=change, args=(vocab,),
              kwargs={"session": None})
    st.subheader(md_escape(f"{council} · {long_date(row['date'], lang)} · "
                           f"{timeline.city_of(row.to_dict(), lang)}"))
    st.caption(session_id)
    # Built from the dataset alone, once per session and language.
    facts, parts, frame, fig = memo("session page", (load_key(ds), session_id, lang),
                                    lambda: _page(ds, session_id, lang, row["status"]))
    lines = []
    for fact in facts:
        mark = " ⚠ " + t("disputed", lang) if fact["disputed"] else ""
        label = fact["label"][:1].upper() + fact["label"][1:]
        lines.append(f"- **{md_escape(label)}**: {md_escape(fact['value'])}{mark} — "
                     + (source_links(fact["sources"]) or t("no source", lang)))
    missing = [t(labels.FACTS[f], lang) for f in ("city", "host_country", "chair_country",
                                                  "format", "number")
               if f not in {x["field"] for x in facts}]
    if missing:
        lines.append("- " + md_escape(t("Not stated by any source found: {facts}", lang,
                                        facts=", ".join(missing))))
    st.markdown("\n".join(lines))
    if row["status"] == "held":
        st.markdown(md_escape(attendance_summary(parts["attendance"], lang)))
    else:
        not_held_notice(row, lang)
    if not parts["disputes"].empty:
        st.warning(t("Some facts of this session are disputed between sources:", lang))
        table(parts["disputes"], lang)
    neighbours(ds, vocab, session_id, lang)
    tabs = st.tabs([t("Attendance", lang), t("Agenda and documents", lang),
                    t("Sources and notes", lang)])
    with tabs[0]:
        if fig is not None:
            chart(fig, "session_map", lang, session_alt(frame, lang), None,
                  attendance_map.PLOT_CONFIG)
        st.markdown(t("**Attendance** (states not listed by any source: no information)", lang))
        table(parts["attendance"], lang,
              order=["country", "how_known", "level", "position", "head_name", "head_name_ru",
                     "role",
                     "membership_status", "status", "basis", "source_urls"])
        download(parts["attendance"], "attendance", f"{session_id}_attendance.csv",
                 "dl_session_attendance", lang)
    with tabs[1]:
        for key, title in (("agenda_items", "Agenda items"), ("documents", "Documents")):
            st.markdown(t("**{title}** ({n} known by title)", lang, title=t(title, lang),
                          n=len(parts[key])))
            if not parts[key].empty:
                table(parts[key], lang, order=["title", "outcome", "prior_document_id",
                                               "next_document_ids", "doc_type", "signatures",
                                               "title_en", "title_ru", "document_id",
                                               "source_urls"])
                download(parts[key], key.replace("_", " "), f"{session_id}_{key}.csv",
                         f"dl_session_{key}", lang)
        steps(ds, vocab, session_id, lang)
    with tabs[2]:
        if isinstance(row["notes"], str):
            st.markdown(t("**Notes**", lang))
            st.text(row["notes"])
        st.markdown(t("**Sources**", lang))
        names = labels.country_names(ds, lang)
        lines = []
        for src in sessions.source_rows(ds, " ".join(ds.sources.loc[
                ds.sources["session_id"] == session_id, "source_id"])):
            line = "- " + source_line(src, lang)
            if isinstance(src.get("participants"), str) and src["participants"]:
                line += " — " + md_escape(t("gives the whole list of participants: {states}",
                                            lang, states=", ".join(
                                                names.get(c, c)
                                                for c in src["participants"].split())))
            lines.append(line)
        st.markdown("\n".join(lines))


def _page(ds: Dataset, session_id: str, lang: str, status: str) -> tuple:
    """The session page's facts, tables and map (for a session held)."""
    frame = fig = None
    if status == "held":
        frame = attendance_map.session_frame(ds, session_id, tuple(ds.countries["country"]),
                                             lang)
        fig = attendance_map.build_session_map(
            frame, t("Attendance and delegation levels", lang), lang)
    return (sessions.fact_list(ds, session_id, lang), sessions.detail(ds, session_id, lang),
            frame, fig)


def attendance_summary(att, lang: str) -> str:
    """"Present: 9 · absent: 2 (stated: 1; from a list of participants: 1) · no information: 0"."""
    expected = att[att["role"].isna()]
    parts = []
    for status in ("present", "absent", "unknown"):
        rows = expected[expected["status"] == status]
        how = basis.breakdown(rows["basis"].value_counts(), lang) if status != "unknown" else ""
        parts.append(f"{t(labels.ATTENDANCE[status], lang)}: {len(rows)}"
                     + (f" ({how})" if how else ""))
    guests = att[att["role"].notna()]
    if len(guests):
        parts.append(f"{t('guests and observers', lang)}: {len(guests)}")
    text = " · ".join(parts)
    return text[:1].upper() + text[1:]


def neighbours(ds: Dataset, vocab: Vocabulary, session_id: str, lang: str) -> None:
    prev_id, next_id = sessions.neighbours(ds.sessions, session_id)
    left, right = st.columns(2)
    rows = labels.sessions_by_id(ds)
    councils = labels.body_names(ds.bodies, lang, short=True)
    if prev_id:
        left.button("← " + t("Previous: {label}", lang,
                             label=labels.session_label(rows.loc[prev_id].to_dict(), lang,
                                                          councils)),
                    key="prev", on_click=change, args=(vocab,), kwargs={"session": prev_id})
    if next_id:
        right.button(t("Next: {label}", lang,
                       label=labels.session_label(rows.loc[next_id].to_dict(), lang,
                                                    councils)) + " →",
                     key="next", on_click=change, args=(vocab,), kwargs={"session": next_id})


def steps(ds: Dataset, vocab: Vocabulary, session_id: str, lang: str) -> None:
    """Documents of this session taken further (or prepared) at another council's session:
    one button per step, so a chain walks from one council's session to the next."""
    docs = ds.documents
    here = docs[docs["session_id"] == session_id]
    earlier = docs[docs["document_id"].isin(set(here["prior_document_id"].dropna()))]
    later = docs[docs["prior_document_id"].isin(here["document_id"])]
    if earlier.empty and later.empty:
        return
    st.markdown(t("**The same texts at other councils' sessions**", lang))
    rows = labels.sessions_by_id(ds)
    for i, (label, part) in enumerate((("Earlier step", earlier), ("Next step", later))):
        for r in part.itertuples():
            s = rows.loc[r.session_id]
            title = pick_marked(r.title_en, r.title_ru, lang)
            st.button(t(label, lang) + ": " + labels.session_label(
                          s.to_dict(), lang, labels.body_names(ds.bodies, lang, short=True))
                      + " — " + (title[:80] + "…" if len(title) > 80 else title),
                      key=f"step_{i}_{r.document_id}", on_click=change, args=(vocab,),
                      kwargs={"session": r.session_id})
