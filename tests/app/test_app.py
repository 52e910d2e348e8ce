"""The app's main flows through streamlit.testing (no browser): views, URL state, errors."""

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.dataset import load_dataset
from components.state import TABS
from tests.conftest import GOOD, ROOT

APP = str(ROOT / "app.py")


def run(monkeypatch, data_dir: Path = GOOD, **params) -> AppTest:
    monkeypatch.setenv("CIS_DATA_DIR", str(data_dir))
    at = AppTest.from_file(APP, default_timeout=30)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_default_view_is_the_timeline(monkeypatch):
    at = run(monkeypatch)
    assert not at.exception
    assert at.radio(key="w_tab").value == "timeline"
    assert any("2 sessions in view" in c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 2  # timeline and attendance bars
    assert dict(at.query_params) == {}


def test_link_restores_filters_and_session(monkeypatch):
    at = run(monkeypatch, tab="sessions", country=["MDA", "RUS"], q="связи",
             session="cfm-2025-04-11")
    assert not at.exception
    assert [w.value for w in at.warning if "disputed" not in w.value] == []  # no link notice
    assert at.multiselect(key="w_countries").value == ["MDA", "RUS"]
    assert at.text_input(key="w_q").value == "связи"
    # The session page: facts with sources, previous session of the same council, no next.
    assert any("Almaty" in h.value for h in at.subheader)
    # Key facts first, in words, each with links to the sources that state it.
    facts = " ".join(m.value for m in at.markdown)
    assert "**Agenda items**: 13 —" in facts
    assert "**Documents**: 17 ⚠ disputed —" in facts
    assert "**Host**: Kazakhstan —" in facts
    assert "[Fixture](https://example.org/almaty)" in facts
    assert at.button(key="prev").label.endswith("Moscow · Foreign Ministers")
    assert not [b for b in at.button if b.key == "next"]
    # Going back to the list keeps the filters; the table shows the chosen states.
    at.button(key="back").click().run()
    table = at.dataframe[0].value
    assert list(table["session_id"]) == ["cfm-2025-04-11"]
    assert list(table["attendance_MDA"]) == ["absent"]
    assert dict(at.query_params).get("session") is None


def test_changing_a_filter_updates_the_url(monkeypatch):
    at = run(monkeypatch)
    at.radio(key="w_tab").set_value("documents").run()
    at.slider(key="w_years").set_value((2025, 2025)).run()
    at.multiselect(key="w_countries").set_value(["KAZ"]).run()
    assert not at.exception
    qp = {k: at.query_params.get_all(k) if hasattr(at.query_params, "get_all") else v
          for k, v in at.query_params.items()}
    assert qp["tab"] in (["documents"], "documents")
    assert str(qp["from"]).strip("[]'") == "2025"
    assert "to" not in qp  # 2025 is the last year: a default stays out of the link
    # The numbers behind a chart are built only once their expander is opened.
    closed = len(at.dataframe)
    at.session_state["numbers_doc_chart"] = True
    at.run()
    assert len(at.dataframe) == closed + 1
    counts = at.dataframe[0].value  # the numbers behind the chart of types
    assert counts["documents"].sum() == 2
    docs = at.dataframe[1].value
    assert set(docs["session_id"]) == {"cfm-2025-04-11"}


def test_bad_link_falls_back_with_notice(monkeypatch):
    at = run(monkeypatch, tab="nonsense", country="XXX", session="cfm-1900-01-01", **{"from": "abc"})
    assert not at.exception
    # Notices are markdown-escaped (they quote link values); the reader sees the plain text.
    text = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "nonsense" in text and "XXX" in text and "cfm-1900-01-01" in text and "abc" in text
    assert at.radio(key="w_tab").value == "timeline"


def test_map_view_for_one_session(monkeypatch):
    at = run(monkeypatch, tab="map", session="cfm-2025-04-11")
    assert not at.exception
    table = at.dataframe[0].value.set_index("country")  # states by name, codes in words
    assert table.loc["Moldova", "category"] == "absent"
    assert table.loc["Moldova", "how_known"] == "absent (stated by Fixture)"
    assert table.loc["Turkmenistan", "level"] == "deputy minister"


# What each view offers first for download: it proves the link opened that view, not the default.
FIRST_DOWNLOAD = {
    "timeline": "Download these sessions as a calendar (.ics)",
    "map": "Download map data as CSV (12 rows)",
    "countries": "Download participation as CSV (12 rows)",
    "documents": "Download documents as CSV (3 rows)",
    "sessions": "Download sessions as CSV (2 rows)",
    "coverage": "Download sessions known as CSV (1 row)",
    "signatures": "Download affinity as CSV (66 rows)",
}


def test_every_view_is_checked():
    assert set(FIRST_DOWNLOAD) == set(TABS)


@pytest.mark.parametrize("tab", TABS)
def test_every_view_renders(monkeypatch, tab):
    at = run(monkeypatch, tab=tab)
    assert not at.exception, at.exception
    assert at.get("download_button")[0].label == FIRST_DOWNLOAD[tab]


def test_broken_dataset_shows_error_page_not_traceback(monkeypatch, data_copy):
    path = data_copy / "sessions/cfm/2025-04-11-almaty.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("format: regular", "format: gala"),
                    encoding="utf-8")
    at = run(monkeypatch, data_dir=data_copy)
    assert not at.exception
    assert "could not be loaded" in at.error[0].value
    assert "2025-04-11-almaty.yaml: cfm-2025-04-11: format:" in at.code[0].value


def test_coverage_tab_shows_the_same_numbers_as_the_command(monkeypatch, councils_data):
    at = run(monkeypatch, councils_data, tab="coverage")
    assert not at.exception
    assert [c.key for c in at.get("plotly_chart")] == ["seats_chart", "coverage_bar",
                                                       "coverage_chart"]
    # First, sessions known against the estimated total: only the defence council numbers
    # a session here (no. 54 on 2008-06-10), so 53 numbers before it are missing.
    known = at.dataframe[0].value.set_index("body")
    cmo, cfm = "Council of Defence Ministers", "Council of Foreign Ministers"
    assert (known.at[cmo, "sessions_known"], known.at[cmo, "estimated_total"],
            known.at[cmo, "missing"]) == (1, 54, 53)
    assert pd.isna(known.at[cfm, "estimated_total"])  # no anchor: unknown, not guessed
    gaps = at.dataframe[1].value
    assert list(zip(gaps["body"], gaps["numbers"], gaps["missing"])) == [(cmo, "1–54", 53)]
    by_year = at.dataframe[2].value
    chg = "Council of Heads of Government"
    assert list(zip(by_year["body"], by_year["period"])) == [
        (cfm, 2024), (cfm, 2025), (chg, 2025), (cmo, 2008)]
    almaty = by_year[(by_year["body"] == cfm) & (by_year["period"] == 2025)].iloc[0]
    assert almaty["share_with_levels"] == 1.0 and almaty["share_full_attendance"] == 0.0
    decades = at.dataframe[3].value
    assert set(decades["period"]) == {"2000s", "2020s"}
    # Seats by how they are known, per council and decade (the seats chart's numbers), by
    # hand: ten members expected at each of the two foreign ministers' sessions; Almaty
    # states all ten, Moscow 2024 two (Armenia absent, Russia present).
    seats = decades[decades["body"] == cfm].iloc[0]
    assert (seats["seats_expected"], seats["seats_stated"], seats["seats_list"],
            seats["seats_unknown"]) == (20, 12, 0, 8)
    # Filters apply: only the defence council.
    at = run(monkeypatch, councils_data, tab="coverage", body="cmo")
    assert list(at.dataframe[0].value["body"]) == [cmo]
    assert list(at.dataframe[2].value["body"]) == [cmo]


def test_documents_tab_follows_a_document_to_its_signature(monkeypatch, councils_data):
    at = run(monkeypatch, councils_data, tab="documents", body="chg")
    assert not at.exception
    headers = [h.value for h in at.subheader]
    assert "Documents followed across councils" in headers
    assert "Who signed what (where sources state it)" in headers
    # (The numbers behind the chart of types stay unsent until their expander opens.)
    trail = at.dataframe[1].value
    assert list(trail["document_id"]) == ["cfm-2025-04-11-d1", "chg-2025-06-05-d1"]
    signatures = at.dataframe[2].value
    assert sorted(zip(signatures["country"], signatures["status"])) == [
        ("Armenia", "signed with reservations"), ("Azerbaijan", "not signed"),
        ("Russia", "signed")]


def test_a_numbers_table_is_sent_only_once_its_expander_opens(monkeypatch):
    """The session x state grid behind the Countries chart has thousands of rows: it is built
    and sent only when the reader opens "The numbers behind this chart"."""
    at = run(monkeypatch, ROOT / "data", tab="countries")
    assert not at.exception
    closed = [len(d.value) for d in at.dataframe]
    assert all(n <= 300 for n in closed)
    at.session_state["numbers_grid_chart"] = True
    at.run()
    opened = [len(d.value) for d in at.dataframe]
    assert len(opened) == len(closed) + 1
    grid = next(d.value for d in at.dataframe if len(d.value) not in closed)
    ds = load_dataset(ROOT / "data")
    held = int((ds.sessions["status"] == "held").sum())
    assert len(grid) == held * len(ds.countries)
