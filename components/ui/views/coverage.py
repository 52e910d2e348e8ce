"""Coverage: how far to trust a chart, sessions known against the estimated total."""

from __future__ import annotations

import streamlit as st

from ... import coverage, numbering, sessions
from ...dataset import Dataset
from ...filters import Filtered
from ...i18n import t, tn
from ...state import ViewState, Vocabulary
from ..cache import load_key, memo, view_key
from ..widgets import chart, download, fname, table


def view_coverage(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    st.caption(t("How far to trust a chart: per council and year, the sessions known and the "
                 "share of held sessions where a source fills each field. Computed from the "
                 "same tables as the other views, with the same filters.", lang))
    if f.sessions.empty:
        st.info(t("No session in view.", lang))
        return
    # First how much of who-came is known: the share of seats stated present or absent.
    k = view_key(ds, state, vocab)
    per = memo("coverage per session", k,
               lambda: coverage.session_coverage(f.sessions, f.attendance))
    decades = memo("coverage decades", k,
                   lambda: coverage.coverage_table(f.sessions, f.attendance, "decade", per))
    chart(lambda: coverage.build_seats_bar(decades, ds.bodies, lang), "seats_chart", lang,
          coverage.describe_seats(decades, lang),
          lambda: decades[["body", "period", "seats_expected",
                           *[f"seats_{b}" for b in coverage.SEAT_BASES], "seats_unknown",
                           "share_seats_known"]], memo_key=k)
    sessions_known(ds, f, vocab, state)
    by_year = memo("coverage years", k,
                   lambda: coverage.coverage_table(f.sessions, f.attendance, "year", per))
    alt = coverage.describe_coverage(by_year, lang)
    chart(lambda: coverage.build_sessions_known_bar(by_year, ds.bodies, lang), "coverage_bar",
          lang, alt, memo_key=k)
    chart(lambda: coverage.build_coverage_heatmap(by_year, ds.bodies, lang), "coverage_chart",
          lang, t("Heatmap of the shares in the table below.", lang), memo_key=k)
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
    # Over all years, whatever the search: the councils in view and the pinned version only.
    key = (load_key(ds), state.version, tuple(sorted(bodies)))
    summ = memo("numbering", key, lambda: numbering.summary(scope, ds.counts, ds.facts))
    st.subheader(t("Sessions known against the estimated total", lang))
    st.caption(t("Councils number their sessions, and official totals are published now and "
                 "then; each gives a lower bound of the sessions held. The estimate is the "
                 "largest such bound, over all years whatever the year filter; the gaps "
                 "below are the numbers no known session fills yet.", lang))
    table(sessions.with_urls(summ.rename(columns={"estimate_source_ids": "source_ids"}), ds,
                             [c for c in numbering.SUMMARY_COLUMNS
                              if c != "estimate_source_ids"]), lang)
    download(summ, "sessions known", fname("sessions-known", state, vocab), "dl_known", lang)
    gaps = memo("gaps", key, lambda: numbering.gaps(scope, ds.counts, ds.facts))
    if not gaps.empty:
        st.markdown(t("**Session numbers missing between known sessions** ({gaps})", lang,
                      gaps=tn("{n} gap", "{n} gaps", len(gaps), lang)))
        if gaps["conflict"].any():
            st.caption(t("A conflict is a span where more sessions are known than the numbers "
                         "or counts around it allow: a count may leave out some informal "
                         "meetings, or a number or a date is wrong. Both are kept as the "
                         "sources state them.", lang))
        table(gaps, lang)
        download(gaps, "missing numbers", fname("missing-numbers", state, vocab), "dl_gaps",
                 lang)
