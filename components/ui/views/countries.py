"""Countries: participation per state, the session x state grid, country pages and who is
expected where."""

from __future__ import annotations

import streamlit as st

from ... import country_page, participation, sessions
from ...dataset import Dataset
from ...filters import Filtered
from ...i18n import t, tn
from ...state import ViewState, Vocabulary
from ..cache import memo, view_key
from ..sync import on_country_bar_click, on_session_click
from ..widgets import chart, download, fname, md_escape, names_of, table


def view_countries(f: Filtered, ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    lang = state.lang
    if 1 <= len(state.countries) <= country_page.MAX_COMPARE:
        view_country_pages(f, ds, vocab, state)
        st.divider()
    k = view_key(ds, state, vocab)
    tbl = memo("participation", k,
               lambda: participation.participation_table(f.attendance, ds, f.countries, lang))
    chart(lambda: participation.build_counts_bar(tbl, lang), "counts_chart", lang,
          participation.describe_counts(tbl, lang), None,
          on_select=lambda: on_country_bar_click(vocab), memo_key=k)
    shown, held = participation.grid_sessions(f.sessions)
    grid = memo("grid", k, lambda: participation.grid_frame(shown, ds, f.countries))
    if held > participation.GRID_MAX_SESSIONS:
        st.info(t("The grid shows the latest {k} of {n} sessions held; narrow the years or "
                  "councils to see the others.", lang, k=participation.GRID_MAX_SESSIONS, n=held))
    if not grid.empty:
        counts = grid["category"].value_counts()
        chart(lambda: participation.build_grid(grid, ds, lang), "grid_chart", lang,
              t("Grid of {sessions} × {states}; cells by category: {parts}.", lang,
                sessions=tn("{n} session", "{n} sessions", grid["session_id"].nunique(), lang),
                states=tn("{n} state", "{n} states", grid["country"].nunique(), lang),
                parts="; ".join(f"{t(c, lang)}: {v}" for c, v in counts.items())),
              grid, on_select=lambda: on_session_click("grid_chart", vocab), memo_key=k)
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
    st.subheader(t("Country page", lang) if len(codes) == 1 else
                 tn("Comparing {n} state", "Comparing {n} states", len(codes), lang))
    lo, hi = state.years(vocab)
    names = names_of(ds, lang)
    compare, pages = memo("country pages", view_key(ds, state, vocab),
                          lambda: _pages(f, ds, codes, names, lo, hi, lang))
    table(compare, lang, key="compare_table")
    download(compare, "country summary", fname("country-summary", state, vocab), "dl_compare", lang)
    cols = st.columns(len(codes))
    for col, code in zip(cols, codes):
        by_year, fig, alt, levels, away, sig, ch = pages[code]
        with col:
            st.markdown(f"**{md_escape(names[code])}** ({code})")
            chart(fig, f"country_chart_{code}", lang, alt, by_year)
            st.markdown(t("**Delegations present** ({n})", lang, n=len(levels)))
            table(levels, lang)
            download(levels, "delegations", fname("delegations", state, vocab, code),
                     f"dl_levels_{code}", lang)
            st.markdown(t("**Sessions stayed away from** ({n})", lang, n=len(away)))
            if not away.empty:
                table(away, lang)
                download(away, "absences", fname("absences", state, vocab, code),
                         f"dl_absent_{code}", lang)
            st.markdown(t("**Signed, not signed, reservations** ({n})", lang, n=len(sig)))
            if not sig.empty:
                table(sig, lang)
                download(sig, "signatures", fname("signatures", state, vocab, code),
                         f"dl_sig_{code}", lang)
            st.markdown(t("**Chaired or hosted** ({n})", lang, n=len(ch)))
            if not ch.empty:
                table(ch, lang)
                download(ch, "chaired or hosted", fname("chaired-hosted", state, vocab, code),
                         f"dl_ch_{code}", lang)


def _pages(f: Filtered, ds: Dataset, codes: tuple[str, ...], names: dict, lo: int, hi: int,
           lang: str) -> tuple:
    """The comparison table, and per state: participation by year, its chart and text
    alternative, delegations present, absences, signatures, sessions chaired or hosted."""
    pages = {}
    for code in codes:
        by_year = country_page.participation_by_year(f.sessions, f.attendance, code)
        bands = country_page.membership_bands(ds.memberships, code, lo, hi)
        pages[code] = (
            by_year, country_page.build_country_chart(by_year, bands, names[code], lang),
            country_page.describe_country(by_year, names[code], lang),
            country_page.levels_table(f.attendance, f.sessions, code),
            country_page.absences_table(f.attendance, f.sessions, ds, code, lang),
            country_page.signatures_of(ds.signatures, f.documents, code),
            country_page.chaired_hosted(f.sessions, code))
    return country_page.compare_table(f.sessions, f.attendance, ds, codes, lang), pages
