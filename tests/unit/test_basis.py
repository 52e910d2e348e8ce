"""Format v3: how each seat is known (stated, list, announced), lists of participants,
standings known as of a day, and the session numbering behind the estimated totals.

The fixture (tests/fixtures/basis) is counted by hand in the comments below."""

import csv
import datetime as dt

import pandas as pd
import pytest

from components import attendance_map, basis, country_page, coverage, numbering, participation, timeline
from components import sessions as sessions_view
from components.dataset import MembershipIndex, export, load_dataset
from components.filters import apply, vocabulary
from components.problems import DatasetError
from components.state import ViewState

LIST = "sessions/cmo/2016-06-15-moscow.yaml"
TODAY = dt.date(2026, 11, 27)
# cmo-2016-06-15: expected are ARM AZE BLR KAZ KGZ RUS TJK UKR UZB (Georgia withdrew in 2009;
# Moldova and Turkmenistan are observers of the council from 2016-01-01 / 2010-01-01). The
# list (s1, Kazinform Fixture) names eight members and Turkmenistan; Russia has its own row.
LISTED = {"ARM", "AZE", "BLR", "KAZ", "KGZ", "TJK", "UZB"}


def seats(ds, session_id):
    a = ds.attendance[ds.attendance["session_id"] == session_id]
    return {r.country: (r.status, r.basis if isinstance(r.basis, str) else None,
                        r.role if isinstance(r.role, str) else None) for r in a.itertuples()}


def test_a_list_makes_listed_states_present_and_missing_members_absent(ds_basis):
    got = seats(ds_basis, "cmo-2016-06-15")
    assert {c for c, v in got.items() if v == ("present", "list", None)} == LISTED
    assert got["RUS"] == ("present", "stated", None)
    assert got["UKR"] == ("absent", "list", None)
    assert got["TKM"] == ("present", "list", "observer")  # an observer in the list is a guest
    # The list names defence ministers: every state it makes present is at minister level.
    a = ds_basis.attendance.set_index(["session_id", "country"])
    assert {a.at[("cmo-2016-06-15", c), "level"] for c in LISTED | {"TKM"}} == {"minister"}
    assert "MDA" not in got  # an observer missing from the list is not an expected seat
    s = ds_basis.sessions.set_index("session_id").loc["cmo-2016-06-15"]
    assert (s["members_count"], s["present_count"], s["absent_count"], s["unknown_count"],
            s["guests_count"]) == (9, 8, 1, 0, 1)


def test_the_attendance_csv_says_how_each_seat_is_known(ds_basis, tmp_path):
    export(ds_basis, tmp_path)
    with open(tmp_path / "attendance.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["session_id"] == "cmo-2016-06-15"]
    by = {r["country"]: r for r in rows}
    assert by["UKR"]["status"] == "absent" and by["UKR"]["basis"] == "list"
    assert by["UKR"]["source_ids"] == "cmo-2016-06-15:s1"
    assert by["RUS"]["basis"] == "stated"
    with open(tmp_path / "attendance.csv", encoding="utf-8") as fh:
        unknown = [r for r in csv.DictReader(fh) if r["status"] == "unknown"]
    assert unknown and all(r["basis"] == "" for r in unknown)
    with open(tmp_path / "sources.csv", encoding="utf-8") as fh:
        src = {r["source_id"]: r for r in csv.DictReader(fh)}
    assert src["cmo-2016-06-15:s1"]["participants"] == "ARM AZE BLR KAZ KGZ RUS TJK UZB TKM"
    assert src["cmo-2016-06-15:s2"]["participants"] == ""


def test_an_announced_seat_keeps_its_basis(ds_basis):
    assert seats(ds_basis, "cmo-2014-11-11")["KAZ"] == ("present", "announced", None)


def problems_after(data, file, old, new):
    path = data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        load_dataset(data, today=TODAY)
    return err.value.problems


RUS_ROW = "  - {country: RUS, status: present, basis: stated, level: minister"


@pytest.mark.parametrize("row,record,field,reason", [
    # basis list, citing a source that is not marked as a list
    ("  - {country: UKR, status: absent, basis: list, sources: [s2]}\n",
     "attendance[0]", "basis", "needs a cited source marked as the whole list"),
    # basis list, contradicting its own list
    ("  - {country: UKR, status: present, basis: list, sources: [s1]}\n",
     "attendance[0]", "status", "present with basis 'list', but the list in 's1' makes UKR absent"),
    # a stated row contradicting the list, with no dispute recorded
    ("  - {country: UKR, status: present, basis: stated, level: ambassador, sources: [s2]}\n",
     "attendance[0]", "status", "add a dispute with field 'attendance.UKR'"),
], ids=["unmarked list", "against its list", "needs a dispute"])
def test_a_list_row_is_checked_against_its_list(basis_data, row, record, field, reason):
    problems = problems_after(basis_data, LIST, RUS_ROW, row + RUS_ROW)
    match = [p for p in problems if p.file.endswith("2016-06-15-moscow.yaml")
             and p.record == f"cmo-2016-06-15 {record}" and p.field == field
             and reason in p.reason]
    assert match, "\n".join(map(str, problems))


def test_a_dispute_lets_a_stated_row_disagree_with_a_list(basis_data):
    path = basis_data / LIST
    text = path.read_text(encoding="utf-8")
    text = text.replace(RUS_ROW, "  - {country: UKR, status: present, basis: stated, level: "
                                 "ambassador, sources: [s2]}\n" + RUS_ROW)
    text = text.replace("sources:\n  - {id: s1", "disputes:\n  - {field: attendance.UKR, note: "
                        "\"the list leaves Ukraine out; s2 names its ambassador\", sources: [s1, s2]}"
                        "\nsources:\n  - {id: s1")
    path.write_text(text, encoding="utf-8")
    ds = load_dataset(basis_data, today=TODAY)
    assert seats(ds, "cmo-2016-06-15")["UKR"] == ("present", "stated", None)


def test_two_lists_that_disagree_need_a_row_and_a_dispute(basis_data):
    third = ('  - {id: s3, url: "https://example.org/other-list", title: x, publisher: Other, '
             'language: ru, participants: [ARM, AZE, BLR, KGZ, RUS, TJK, UZB, TKM]}\n')
    problems = problems_after(basis_data, LIST, "  - {id: s2,", third + "  - {id: s2,")
    assert any(p.record == "cmo-2016-06-15 attendance" and p.field == "country"
               and "disagree on KAZ (in ['s1'], not in ['s3'])" in p.reason
               for p in problems), problems


def test_participants_are_country_codes_once_each(basis_data):
    problems = problems_after(basis_data, LIST, "participants: [ARM, AZE,",
                              "participants: [ARM, ARM, XYZ, AZE,")
    reasons = {(p.record, p.field, p.reason) for p in problems}
    assert ("cmo-2016-06-15 sources[0] s1", "participants", "ARM is listed twice") in reasons
    assert ("cmo-2016-06-15 sources[0] s1", "participants", "unknown country code 'XYZ'") in reasons


def test_an_observer_staying_away_is_not_a_seat(basis_data):
    row = "  - {country: TKM, status: absent, basis: stated, sources: [s2]}\n"
    problems = problems_after(basis_data, LIST, RUS_ROW, row + RUS_ROW)
    assert any(p.record == "cmo-2016-06-15 attendance[0]" and p.field == "country"
               and "its absence is not a seat" in p.reason for p in problems), problems


def test_basis_is_required_on_every_row(basis_data):
    problems = problems_after(basis_data, "sessions/cmo/2014-11-11-moscow.yaml",
                              "basis: announced, ", "")
    assert any(p.record == "cmo-2014-11-11 attendance[0]" and p.field == "basis"
               for p in problems), problems


def test_a_standing_known_as_of_a_day_counts_from_that_day(ds_basis):
    index = MembershipIndex(ds_basis.memberships)
    assert index.status("MDA", dt.date(2015, 12, 31), "cmo") == "member"
    assert index.status("MDA", dt.date(2016, 1, 1), "cmo") == "observer"
    assert index.status("MDA", dt.date(2016, 1, 1)) == "member"  # CIS-wide unchanged
    m = ds_basis.memberships
    row = m[(m["country"] == "MDA") & (m["body"] == "cmo")].iloc[0]
    assert row["as_of"] == dt.date(2016, 1, 1) and pd.isna(row["start_date"])
    # Moldova is expected (no information) at the 2015 session, not at the 2016 one.
    assert seats(ds_basis, "cmo-2015-06-03")["MDA"] == ("unknown", None, None)


def test_start_date_and_as_of_are_exclusive(basis_data):
    problems = problems_after(basis_data, "memberships.yaml", "as_of: 2016-01-01,",
                              "as_of: 2016-01-01, start_date: 2015-01-01,")
    assert any("not both" in p.reason for p in problems), problems


# Anchors for cmo, by hand: official count 60 by 2010-12-31; no. 63 (2012-12-11); no. 67
# (2014-11-11); no. 70 (2016-06-15). Known held cmo sessions: those three and the unnumbered
# 2015-06-03. Each bound is the anchor's count plus the known sessions after it:
# 60 + 4 = 64, 63 + 3 = 66, 67 + 2 = 69, 70 + 0 = 70: the estimate is 70, from no. 70.
def test_estimated_total_and_missing_numbers_equal_a_hand_count(ds_basis):
    summ = numbering.summary(ds_basis.sessions, ds_basis.counts, ds_basis.facts).set_index("body")
    cmo = summ.loc["cmo"]
    assert (cmo["sessions_known"], cmo["estimated_total"], cmo["missing"]) == (4, 70, 66)
    assert cmo["share_known"] == round(4 / 70, 3)
    assert (cmo["estimate_from"], cmo["estimate_session_id"]) == ("number", "cmo-2016-06-15")
    assert cmo["estimate_source_ids"] == "cmo-2016-06-15:s2"
    assert pd.isna(summ.loc["cfm", "estimated_total"])  # no anchor: unknown, not guessed
    gaps = numbering.gaps(ds_basis.sessions, ds_basis.counts, ds_basis.facts)
    got = [(r.numbers, r.expected, r.known, r.missing, r.known_session_ids)
           for r in gaps.itertuples()]
    assert got == [
        ("1–60", 60, 0, 60, ""),                                    # start .. count 60
        ("61–63", 3, 1, 2, "cmo-2012-12-11"),                       # 60 .. no. 63
        ("64–67", 4, 1, 3, "cmo-2014-11-11"),                       # 63 .. no. 67
        ("68–70", 3, 2, 1, "cmo-2015-06-03 cmo-2016-06-15"),        # 67 .. no. 70
    ]


def test_more_sessions_than_numbers_is_reported_as_a_conflict(ds_basis):
    s = ds_basis.sessions.copy()
    s.loc[s["session_id"] == "cmo-2016-06-15", "number"] = 68  # 67 .. 68 holds two sessions
    gaps = numbering.gaps(s, ds_basis.counts, ds_basis.facts)
    last = gaps.iloc[-1]
    assert (last["numbers"], last["expected"], last["known"], last["missing"]) == ("68", 1, 2, -1)
    assert "CONFLICT" in coverage.numbering_report(s, ds_basis.counts, ds_basis.facts)


def test_coverage_counts_seats_by_basis(ds_basis):
    f = apply(ViewState(), ds_basis, vocabulary(ds_basis))
    t = coverage.coverage_table(f.sessions, f.attendance, "decade").set_index(["body", "period"])
    row = t.loc[("cmo", "2010s")]
    # 2012, 2014, 2015: ten expected each (Moldova still expected); 2016: nine.
    assert (row["seats_expected"], row["seats_stated"], row["seats_list"],
            row["seats_announced"], row["seats_unknown"]) == (39, 1, 8, 1, 29)
    assert row["share_seats_known"] == round(10 / 39, 3)
    assert "cmo: 10 of 39 seats known (stated: 1; from lists: 8; announced: 1)" in \
        coverage.describe_seats(t.reset_index(), "en")
    report = coverage.format_report(f.sessions, f.attendance, ds_basis.counts, ds_basis.facts)
    assert "cmo: 4 of at least 70 held sessions known (6%), 66 missing" in report
    assert "cmo 68–70: 1 of 3 missing" in report


def test_the_session_map_says_how_each_seat_is_known(ds_basis):
    frame = attendance_map.session_frame(ds_basis, "cmo-2016-06-15",
                                         tuple(ds_basis.countries["country"]))
    by = frame.set_index("country")
    assert by.at["UKR", "how_known"] == \
        "absent (not among the participants listed by Kazinform Fixture)"
    assert by.at["ARM", "how_known"] == \
        "present (among the participants listed by Kazinform Fixture)"
    assert by.at["RUS", "how_known"] == "present (stated by MoD Fixture)"
    assert by.at["UKR", "basis"] == "list"
    fig = attendance_map.build_session_map(frame, "t")
    absent = next(tr for tr in fig.data if tr.name.startswith("absent"))
    assert absent.name == "absent (from a list of participants: 1)"
    assert list(absent.locations) == ["UKR"]
    assert "absent (not among the participants listed by Kazinform Fixture)" in absent.text[0]
    present = next(tr for tr in fig.data if tr.name.startswith("present"))
    assert present.name == "present (stated: 1; from a list of participants: 8)"  # with TKM


def test_the_session_map_says_it_in_russian(ds_basis):
    frame = attendance_map.session_frame(ds_basis, "cmo-2016-06-15", ("UKR",), "ru")
    assert frame.iloc[0]["how_known"] == \
        "отсутствовало (нет среди участников по списку Kazinform Fixture)"


def test_the_grid_and_the_bars_say_how_seats_are_known(ds_basis):
    f = apply(ViewState(bodies=("cmo",)), ds_basis, vocabulary(ds_basis))
    grid = participation.grid_frame(f.sessions, ds_basis, f.countries)
    fig = participation.build_grid(grid, ds_basis)
    hm = fig.data[0]
    row = list(hm.y).index("Ukraine")
    col = list(hm.x).index("2016-06-15 Moscow")
    assert "absent (not among the participants listed by Kazinform Fixture)" in hm.text[row][col]
    strip = timeline.build_attendance_strip(f.sessions, "en", f.attendance).data[0]
    # The row labels count the seats drawn by basis (the defence ministers in view: present 9 =
    # 7 from the 2016 list + Russia stated + Kazakhstan announced in 2014).
    assert list(strip.y) == [
        "present (stated: 1; from a list of participants: 7; announced beforehand: 1)",
        "absent (from a list of participants: 1)", "no information"]
    col = [c[0] for c in strip.customdata[1]].index("cmo-2016-06-15")
    assert strip.customdata[1][col][1] == 1
    assert strip.text[1][col] == "2016-06-15 cmo, Moscow · absent: 1 (from a list of participants: 1)"


def test_country_and_session_pages_show_the_basis(ds_basis):
    f = apply(ViewState(), ds_basis, vocabulary(ds_basis))
    away = country_page.absences_table(f.attendance, f.sessions, ds_basis, "UKR")
    assert list(away["session_id"]) == ["cmo-2016-06-15"]
    assert away.iloc[0]["how_known"] == \
        "absent (not among the participants listed by Kazinform Fixture)"
    summary = country_page.summary(f.sessions, f.attendance, ds_basis.signatures, ds_basis, "UKR")
    assert (summary["known_list"], summary["known_stated"], summary["absent"]) == (1, 0, 1)
    detail = sessions_view.detail(ds_basis, "cmo-2016-06-15")["attendance"].set_index("country")
    assert detail.at["UKR", "basis"] == "list"
    assert detail.at["TKM", "how_known"] == \
        "present (among the participants listed by Kazinform Fixture)"
    assert detail.at["TKM", "role"] == "observer"
    assert "participants" in sessions_view.detail(ds_basis, "cmo-2016-06-15")["sources"]


def test_phrases_for_every_basis_are_translated():
    from components.i18n import catalogue
    ru = catalogue("ru")
    for text in [*basis.PHRASES.values(), *basis.BASIS_LABELS.values()]:
        assert ru.get(text), text
