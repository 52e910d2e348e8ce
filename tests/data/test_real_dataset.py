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
        assert membership_on(real.memberships, r.country, r.date) == r.membership_status
        assert r.membership_status in ("member", "associate", "participant", "not_participating")


def test_ids_unique_and_sources_resolve(real):
    for table, key in ((real.sessions, "session_id"), (real.documents, "document_id"),
                       (real.agenda_items, "item_id"), (real.sources, "source_id")):
        assert table[key].is_unique, key
    known = set(real.sources["source_id"])
    for table in (real.attendance, real.documents, real.agenda_items, real.memberships):
        for refs in table["source_ids"].dropna():
            assert set(refs.split()) <= known


def test_no_known_member_missing_from_attendance(real):
    per_session = real.attendance.groupby("session_id").size()
    s = real.sessions.set_index("session_id")
    assert (per_session == s.loc[per_session.index, "members_count"]).all()
    assert pd.Series(s["present_count"] + s["absent_count"] + s["unknown_count"]
                     == s["members_count"]).all()
