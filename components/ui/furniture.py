"""The page around the views: the error page, the sidebar of filters, the filter chips, the
version notice and the footer."""

from __future__ import annotations

import datetime as dt
import os
from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from .. import citation, labels
from ..dataset import Dataset
from ..i18n import LANGS, long_date, t, tn
from ..problems import DatasetError
from ..state import LEVELS, ViewState, Vocabulary, to_query
from .cache import cached_zip
from .sync import change, commit, reset
from .widgets import md_escape, names_of

LANG_LABELS = {"en": "English", "ru": "Русский"}
# Set by the replica launcher (deploy/replicas.py) so users and tests see which process answered.
REPLICA = os.environ.get("CIS_REPLICA", "")

def show_dataset_error(err: DatasetError, lang: str) -> None:
    st.title(t("CIS Meetings Dashboard", lang))
    st.error(t("The dataset could not be loaded ({problems}). Nothing is shown until they "
               "are fixed. Each line names file, record, field and reason.", lang,
               problems=tn("{n} problem found", "{n} problems found", len(err.problems), lang)))
    st.code("\n".join(str(p) for p in err.problems), language=None)
    st.caption(t("Run `python -m components validate` to see the same list in a terminal.", lang))


def sidebar(ds: Dataset, vocab: Vocabulary, data_dir: str, lang: str) -> None:
    names = names_of(ds, lang)
    bodies = labels.body_names(ds.bodies, lang)
    with st.sidebar:
        st.radio(t("Language", lang), LANGS, key="w_lang", format_func=LANG_LABELS.get,
                 horizontal=True, on_change=commit, args=("lang", vocab))
        st.header(t("Filters", lang))
        st.multiselect(t("Councils", lang), vocab.bodies, key="w_bodies", format_func=bodies.get,
                       placeholder=t("All councils", lang), on_change=commit,
                       args=("bodies", vocab))
        if vocab.year_min < vocab.year_max:
            st.slider(t("Years", lang), vocab.year_min, vocab.year_max, key="w_years",
                      on_change=commit, args=("years", vocab))
        st.multiselect(t("Member states", lang), vocab.countries, key="w_countries",
                       format_func=lambda c: f"{names.get(c, c)} ({c})",
                       placeholder=t("All member states", lang), on_change=commit,
                       args=("countries", vocab))
        st.multiselect(t("Delegation level", lang), LEVELS, key="w_levels",
                       format_func=lambda v: labels.word(labels.LEVELS, v, lang),
                       placeholder=t("Every delegation", lang), on_change=commit,
                       args=("levels", vocab),
                       help=t("Only delegations present at these levels, in every view and "
                              "download", lang))
        st.text_input(t("Search titles, cities, delegates", lang), key="w_q",
                      placeholder=t("e.g. связи, communication, Лавров, Almaty", lang),
                      on_change=commit, args=("q", vocab))
        st.button(t("Reset all filters", lang), on_click=reset, args=(vocab,), key="reset")
        st.divider()
        st.radio(t("Chart images download as", lang), ("png", "svg"), key="w_image_format",
                 format_func=str.upper, horizontal=True,
                 help=t("The camera in each chart's toolbar saves the chart as it is drawn, "
                        "in your browser", lang))
        st.download_button(t("Download the whole dataset (zip of CSVs, data dictionary, "
                             "datapackage.json)", lang),
                           data=lambda: cached_zip(data_dir), file_name="cis-meetings-dataset.zip",
                           mime="application/zip", on_click="ignore", key="dl_zip")
        st.caption(t("The link in the address bar reopens exactly this view.", lang))


def chips(ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    """Active filters as removable chips, and a reset."""
    lang = state.lang
    names = names_of(ds, lang)
    bodies = labels.body_names(ds.bodies, lang, short=True)
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
    for v in state.levels:
        rest = tuple(x for x in state.levels if x != v)
        items.append((f"chip_level_{v}", labels.word(labels.LEVELS, v, lang), {"levels": rest}))
    if state.q:
        items.append(("chip_q", f"“{state.q[:30]}”", {"q": ""}))
    if state.session:
        items.append(("chip_session", state.session, {"session": None}))
    if not items:
        return
    cols = st.columns(min(len(items) + 1, 8))
    for i, (key, label, edit) in enumerate(items):
        cols[i % (len(cols) - 1 or 1)].button(f"✕ {label}", key=key, on_click=change,
                                               args=(vocab,), kwargs=edit,
                                               help=t("Remove this filter", lang))
    cols[-1].button(t("Reset", lang), key="chip_reset", on_click=reset, args=(vocab,))


def version_notice(ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    if not state.version:
        return
    v = ds.versions.set_index("version")
    hidden = int((ds.sessions["version"].astype(int) > int(state.version)).sum())
    st.info(tn("This link shows the dataset as of version {v} ({date}); {n} session "
               "published since is hidden.",
               "This link shows the dataset as of version {v} ({date}); {n} sessions "
               "published since are hidden.", hidden, state.lang, v=state.version,
               date=long_date(v.at[state.version, "released"], state.lang)))
    st.button(t("Show the current data", state.lang), key="unpin", on_click=change,
              args=(vocab,), kwargs={"version": None})


def footer(ds: Dataset, state: ViewState) -> None:
    s, lang = ds.sessions, state.lang
    st.divider()
    version = ds.current_version
    released = ds.versions["released"].iloc[-1] if len(ds.versions) else None
    st.caption(t("Dataset: {sessions} ({first} – {last}), {sources}.", lang,
                 sessions=tn("{n} session", "{n} sessions", len(s), lang),
                 first=long_date(s["date"].min(), lang), last=long_date(s["date"].max(), lang),
                 sources=tn("{n} source", "{n} sources", len(ds.sources), lang))
               + (" " + t("Version {v}, updated {date}.", lang, v=version,
                          date=long_date(released, lang)) if version else "")
               + " " + t("Every fact links to a page that states it; unknown stays empty.", lang)
               + (f" · {t('server', lang)} {md_escape(REPLICA)}" if REPLICA else ""))


def view_link(state: ViewState, vocab: Vocabulary) -> str:
    """The address that reopens exactly this view: this app's own address and the view's
    query (the same one the address bar holds)."""
    base = st.context.url or "http://localhost:8501/"
    scheme, netloc, path, _, _ = urlsplit(base)
    return urlunsplit((scheme, netloc, path or "/", urlencode(to_query(state, vocab), doseq=True),
                       ""))


def cite_view(ds: Dataset, vocab: Vocabulary, state: ViewState) -> None:
    """Under every view: how to cite it (title, dataset version and date, the link that
    reopens it), and, when asked, the same in boxes with copy buttons, with BibTeX. The boxes
    are built only once opened: the code block's script alone added 2 MB to a first load."""
    lang = state.lang
    url = view_link(state, vocab)
    released = ds.versions["released"].iloc[-1] if len(ds.versions) else None
    version = state.version or ds.current_version
    if state.version:
        released = ds.versions.set_index("version").at[state.version, "released"]
    what = citation.describe(state, ds, vocab, lang)
    today = dt.date.today()
    text = citation.plain(what, version, released, url, today, lang)
    st.markdown(t("**Cite this view**", lang) + ": " + md_escape(text))
    box = st.expander(t("Copy the link to this view, the citation or BibTeX", lang),
                      key="cite_copy", on_change="rerun")
    if box.open:
        with box:
            st.caption(t("Link to this view (copy it with the button at the right of the box):",
                         lang))
            st.code(url, language=None, wrap_lines=True)
            st.code(text, language=None, wrap_lines=True)
            st.code(citation.bibtex(what, version, released, url, today), language="latex")


def phone_css(lang: str) -> None:
    """Names the control that opens the filters on a narrow screen (Streamlit draws it as a
    bare chevron) and keeps plotly's toolbar off chart titles. Our own fixed text only."""
    label = t("Filters", lang).replace('"', "")
    st.markdown(
        "<style>"
        '[data-testid="stSidebarCollapsedControl"] button::after,'
        '[data-testid="stExpandSidebarButton"]::after'
        f'{{content:"{label}";font-size:0.9rem;margin-left:0.3rem}}'
        "</style>", unsafe_allow_html=True)
