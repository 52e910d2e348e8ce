"""Checks on the curated dataset itself (data/), as a careful reader would make them."""

import pandas as pd
import pytest

from components.dataset import load_dataset, membership_on
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def real():
    return load_dataset(ROOT / "data")


def test_dataset_validates_and_covers_2014_to_2026(real):
    years = set(real.sessions["year"])
    assert min(years) <= 2014 and max(years) == 2026
    held = real.sessions[real.sessions["status"] == "held"]
    # The council meets about twice a year: no held year may be silently missing.
    assert set(range(2014, 2027)) <= set(held["year"])


def test_every_session_has_a_source_url(real):
    urls = real.sources.groupby("session_id")["url"].apply(list)
    for sid in real.sessions["session_id"]:
        assert any(u.startswith("http") for u in urls.get(sid, [])), sid
    assert real.sources["publisher"].str.len().min() > 0


def test_seed_session_almaty_2025(real):
    s = real.sessions.set_index("session_id").loc["cfm-2025-04-11"]
    assert (s["city_en"], s["host_country"]) == ("Almaty", "KAZ")
    assert (s["agenda_items_count"], s["documents_count"]) == (13, 17)
    docs = real.documents[real.documents["session_id"] == "cfm-2025-04-11"]
    assert docs["title_en"].fillna("").str.contains("communication system", case=False).any()
    cfm = real.sessions[real.sessions["body"] == "cfm"]
    earlier = cfm[(cfm["date"] < s["date"]) & (cfm["status"] == "held")]
    previous = earlier.iloc[-1]
    assert previous["city_en"] == "Moscow" and previous["date"].strftime("%Y-%m") == "2024-10"


def test_attendance_only_for_states_in_membership(real):
    for r in real.attendance.itertuples():
        got = membership_on(real.memberships, r.country, r.date, r.body)
        assert got == r.membership_status or (got is None and pd.isna(r.membership_status))
        expected = r.membership_status in ("member", "associate", "participant", "not_participating")
        # A state outside the council that day can only be a guest or an observer.
        assert expected == pd.isna(r.role), (r.session_id, r.country)


def test_ids_unique_and_sources_resolve(real):
    for table, key in ((real.sessions, "session_id"), (real.documents, "document_id"),
                       (real.signatures, ["document_id", "country"]),
                       (real.agenda_items, "item_id"), (real.sources, "source_id")):
        unique = table[key].is_unique if isinstance(key, str) else not table.duplicated(key).any()
        assert unique, key
    known = set(real.sources["source_id"])
    for table in (real.attendance, real.documents, real.agenda_items, real.memberships,
                  real.signatures):
        for refs in table["source_ids"].dropna():
            assert set(refs.split()) <= known


def test_no_known_member_missing_from_attendance(real):
    per_session = real.attendance[real.attendance["role"].isna()].groupby("session_id").size()
    s = real.sessions.set_index("session_id")
    assert (per_session == s.loc[per_session.index, "members_count"]).all()
    assert pd.Series(s["present_count"] + s["absent_count"] + s["unknown_count"]
                     == s["members_count"]).all()


def test_cross_session_document_links_resolve(real):
    docs = real.documents.set_index("document_id")
    linked = docs.dropna(subset=["prior_document_id"])
    assert len(linked) >= 2
    for doc_id, prior in linked["prior_document_id"].items():
        assert prior in docs.index, doc_id
        assert docs.at[prior, "date"] <= docs.at[doc_id, "date"], doc_id


def test_joint_communication_system_followed_from_defence_ministers_to_heads(real):
    """The seed thread: principles approved by defence ministers (Minsk, July 2024), by
    foreign ministers (Almaty, April 2025), signed by heads of government (June 2025)."""
    docs = real.documents.merge(real.sessions[["session_id", "body", "city_en"]], on="session_id")
    signed = docs[(docs["body"] == "chg") & (docs["date"].astype(str) == "2025-06-05")
                  & docs["title_ru"].fillna("").str.contains("систем[ыа] связи", regex=True)]
    assert len(signed) == 1
    chain = docs[docs["first_document_id"] == signed.iloc[0]["first_document_id"]].sort_values("date")
    assert [(r.body, r.city_en, str(r.date)[:7]) for r in chain.itertuples()] == [
        ("cmo", "Minsk", "2024-07"), ("cfm", "Almaty", "2025-04"), ("chg", "Dushanbe", "2025-06")]


def test_every_council_has_sessions_and_the_defence_ministers_are_numbered(real):
    per_body = real.sessions.groupby("body").size()
    assert set(per_body.index) == {"cfm", "cmo", "chs", "chg"}
    cmo = real.sessions[real.sessions["body"] == "cmo"].set_index("session_id")
    assert cmo.at["cmo-2023-09-29", "number"] == 82 and cmo.at["cmo-2023-09-29", "city_en"] == "Tula"
    numbered = cmo.dropna(subset=["number"]).sort_values("date")
    assert numbered["number"].is_monotonic_increasing  # numbers follow dates


def test_georgia_left_the_defence_council_before_the_cis(real):
    day = pd.Timestamp("2007-06-01").date()
    assert membership_on(real.memberships, "GEO", day) == "member"
    assert membership_on(real.memberships, "GEO", day, "cmo") == "withdrawn"


def test_armenia_did_not_sign_two_statements_in_october_2024(real):
    sig = real.signatures[(real.signatures["session_id"] == "cfm-2024-10-07")
                          & (real.signatures["country"] == "ARM")]
    assert sorted(sig["status"]) == ["not_signed", "not_signed"]


def test_coverage_command_prints_every_council(tmp_path):
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-m", "components", "coverage"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout
    for body in ("cfm", "cmo", "chs", "chg"):
        assert f"== {body}: " in out and "by decade ==" in out


def test_large_views_group_by_council_and_year_without_losing_a_delegation(real, monkeypatch):
    """Above the thresholds the timeline and the bars draw one mark per council and year; the
    grouped figures must add up to exactly the per-session numbers."""
    from components import timeline

    s = real.sessions
    per_session = timeline.build_attendance_strip(s).data[0]
    assert len(per_session.x) == int((s["status"] == "held").sum())  # 1x: one per session
    monkeypatch.setattr(timeline, "BARS_MAX_SESSIONS", 50)
    monkeypatch.setattr(timeline, "TIMELINE_MAX_SESSIONS", 50)
    grouped = timeline.build_attendance_strip(s).data[0]
    for row, (status, _) in enumerate(timeline.STATUS_LABELS):
        total = int(s.loc[s["status"] == "held", f"{status}_count"].sum())
        assert sum(c[1] for c in grouped.customdata[row]) == total
        assert sum(c[1] for c in per_session.customdata[row]) == total
    keys = [timeline.parse_group_key(c[0]) for c in grouped.customdata[0]]
    cfm_2025 = keys.index(("cfm", 2025))
    held_2025 = s[(s["body"] == "cfm") & (s["year"] == 2025) & (s["status"] == "held")]
    assert grouped.customdata[0][cfm_2025][1] == held_2025["present_count"].sum()
    assert grouped.x[cfm_2025] == "2025 cfm"

    fig = timeline.build_timeline(s, real.bodies, real.disputes)
    assert "grouped by council and year" in fig.layout.title.text
    assert sum(int(sum(t.marker.size)) for t in fig.data) == len(s)  # every session counted once
    table = timeline.timeline_table(s)
    assert table["sessions"].sum() == len(s) and table["held"].sum() == (s["status"] == "held").sum()
    assert timeline.parse_group_key("cfm-2025-04-11") is None
    assert timeline.parse_group_key("cfm@x") is None


def test_the_participation_grid_keeps_the_latest_sessions_when_too_wide(real, monkeypatch):
    from components import participation

    shown, held = participation.grid_sessions(real.sessions)
    assert shown is real.sessions and held == int((real.sessions["status"] == "held").sum())
    monkeypatch.setattr(participation, "GRID_MAX_SESSIONS", 20)
    shown, held = participation.grid_sessions(real.sessions)
    latest = real.sessions[real.sessions["status"] == "held"].sort_values("date").tail(20)
    assert len(shown) == 20 and held > 20
    assert set(shown["session_id"]) == set(latest["session_id"])


def test_moldova_absent_from_almaty_2025_as_the_seed_article_says(real, tmp_path):
    """The article this project started from: "As in recent years, Moldova did not attend the
    Almaty meeting" (anewz.tv). The export shows the absence, how it is known, and the page."""
    from components.dataset import export
    export(real, tmp_path)
    att = pd.read_csv(tmp_path / "attendance.csv", keep_default_na=False)
    row = att[(att["session_id"] == "cfm-2025-04-11") & (att["country"] == "MDA")].iloc[0]
    assert (row["status"], row["basis"]) == ("absent", "stated")
    src = pd.read_csv(tmp_path / "sources.csv", keep_default_na=False).set_index("source_id")
    urls = [src.at[i, "url"] for i in row["source_ids"].split()]
    assert any(u.startswith("https://anewz.tv/") and "unified-armed-forces-communication-system"
               in u for u in urls), urls
    # The Kazinform list of participants (via Yeni Şafak) is marked and leaves Moldova out.
    listed = src[src.index.str.startswith("cfm-2025-04-11:") & (src["participants"] != "")]
    assert any("MDA" not in p.split() and len(p.split()) == 9 for p in listed["participants"])


def test_observers_of_the_defence_council_are_not_expected_seats(real):
    """Moldova, Turkmenistan and Ukraine are observers of the defence ministers' council: from
    the day a source first says so they are not counted as expected, and attend as observers."""
    att = real.attendance[(real.attendance["body"] == "cmo")
                          & (real.attendance["date"] >= pd.Timestamp("2004-05-21").date())]
    observers = att[att["country"].isin(["MDA", "TKM", "UKR"])]
    assert len(observers) and observers["role"].eq("observer").all()
    assert observers["status"].eq("present").all()


def test_every_list_of_participants_is_a_known_source(real):
    listed = real.sources[real.sources["participants"].fillna("") != ""]
    assert len(listed) >= 20
    by_list = real.attendance[real.attendance["basis"] == "list"]
    marked = set(listed["source_id"])
    for ids in by_list["source_ids"]:
        assert any(i in marked for i in ids.split()), ids


def test_no_view_calls_a_state_not_a_member_on_a_day_it_was_one(real):
    """Over every session: the map of a held session, the sessions table with every state
    chosen and the participation grid say "not a member" only of states that were not
    expected that day; a session not held is "not held", never drawn as a map."""
    from components import attendance_map, participation
    from components.dataset import MembershipIndex
    from components.schema import EXPECTED_STATUSES
    from components.sessions import sessions_table
    index = MembershipIndex(real.memberships)
    everyone = tuple(real.countries["country"])
    table = sessions_table(real.sessions, real.attendance, real, everyone).set_index("session_id")
    grid = participation.grid_frame(real.sessions, real, everyone)
    for s in real.sessions.itertuples():
        expected = {c for c in everyone if index.status(c, s.date, s.body) in EXPECTED_STATUSES}
        cells = {c: table.at[s.session_id, f"attendance_{c}"] for c in everyone}
        if s.status != "held":
            assert set(cells.values()) == {"not held"}, s.session_id
            assert s.session_id not in set(grid["session_id"])
            continue
        frame = attendance_map.session_frame(real, s.session_id, everyone)
        said = set(frame.loc[frame["category"] == "not a member", "country"])
        assert not said & expected, (s.session_id, said & expected)
        assert not {c for c, v in cells.items() if v == "not a member"} & expected, s.session_id
        g = grid[grid["session_id"] == s.session_id]
        assert not set(g.loc[g["category"] == "not a member", "country"]) & expected
