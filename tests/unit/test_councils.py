"""Several councils: documents followed from ministers to heads, signatures per state, guests
at a council a state has left, council-specific membership, and the coverage figures."""

import datetime as dt
import subprocess
import sys

import pytest

from components import coverage, documents
from components.dataset import COLUMNS, export, load_dataset, membership_on
from components.problems import DatasetError
from tests.conftest import ROOT

CHG = "sessions/chg/2025-06-05-dushanbe.yaml"
CMO = "sessions/cmo/2008-06-10-moscow.yaml"


def test_document_steps_link_ministers_to_heads(ds_councils):
    docs = ds_councils.documents.set_index("document_id")
    assert docs.at["chg-2025-06-05-d1", "prior_document_id"] == "cfm-2025-04-11-d1"
    assert docs.at["chg-2025-06-05-d1", "first_document_id"] == "cfm-2025-04-11-d1"
    assert docs.at["cfm-2025-04-11-d2", "first_document_id"] == "cfm-2025-04-11-d2"
    # Filtering to the heads' session alone still shows the ministers' step.
    only_chg = ds_councils.documents[ds_councils.documents["session_id"] == "chg-2025-06-05"]
    trail = documents.trails(only_chg, ds_councils)
    assert list(trail["document_id"]) == ["cfm-2025-04-11-d1", "chg-2025-06-05-d1"]
    assert list(trail["body"]) == ["cfm", "chg"]
    assert list(trail["step"]) == [1, 2]
    table = documents.documents_table(ds_councils.documents, ds_councils.sessions, ds_councils)
    nxt = table.set_index("document_id")["next_document_ids"]
    assert nxt["cfm-2025-04-11-d1"] == "chg-2025-06-05-d1"


def test_signatures_per_state(ds_councils, tmp_path):
    sig = ds_councils.signatures
    assert sorted(zip(sig["country"], sig["status"])) == [
        ("ARM", "reservation"), ("AZE", "not_signed"), ("RUS", "signed")]
    assert set(sig["source_ids"]) == {"chg-2025-06-05:s1", "chg-2025-06-05:s2"}
    table = documents.documents_table(ds_councils.documents, ds_councils.sessions, ds_councils)
    summary = table.set_index("document_id").at["chg-2025-06-05-d1", "signatures"]
    assert summary == "not_signed: AZE; reservation: ARM; signed: RUS"
    view = documents.signatures_table(ds_councils.documents, ds_councils, ("AZE", "RUS"))
    assert list(view["country"]) == ["AZE", "RUS"]
    export(ds_councils, tmp_path)
    header = (tmp_path / "signatures.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("document_id,country,status,source_ids")
    members = (tmp_path / "memberships.csv").read_text(encoding="utf-8").splitlines()[0]
    assert members.startswith("country,status,start_date,end_date,event,source_ids")


def test_guest_at_a_council_the_state_left(ds_councils):
    m = ds_councils.memberships
    day = dt.date(2008, 6, 10)
    assert membership_on(m, "GEO", day) == "member"           # still in the CIS
    assert membership_on(m, "GEO", day, "cmo") == "withdrawn"  # out of the defence council
    assert membership_on(m, "RUS", day, "cmo") == "member"     # no council interval: CIS status
    att = ds_councils.attendance
    geo = att[(att["session_id"] == "cmo-2008-06-10") & (att["country"] == "GEO")]
    assert list(zip(geo["status"], geo["role"], geo["membership_status"])) == [
        ("present", "guest", "withdrawn")]
    s = ds_councils.sessions.set_index("session_id").loc["cmo-2008-06-10"]
    assert s["guests_count"] == 1 and s["number"] == 54
    # Expected at the defence council: members on that day, without Georgia.
    expected = set(att[(att["session_id"] == "cmo-2008-06-10") & att["role"].isna()]["country"])
    assert "GEO" not in expected and "RUS" in expected


MUTATIONS = [
    # (file, old, new, record part, field, reason part)
    (CHG, "prior: cfm-2025-04-11-d1", "prior: cfm-2025-04-11-d9",
     "documents[0] d1", "prior", "no document 'cfm-2025-04-11-d9'"),
    (CHG, "prior: cfm-2025-04-11-d1", "prior: chg-2025-06-05-d1",
     "documents[0] d1", "prior", "its own prior step"),
    (CHG, "prior: cfm-2025-04-11-d1", "prior: not a document id",
     "documents[0]", "prior", "should match pattern"),
    (CHG, "{country: ARM, status: reservation,", "{country: AZE, status: reservation,",
     "documents[0].signatures[2]", "country", "AZE is listed twice"),
    (CHG, "{country: RUS, status: signed, sources: [s1]}",
     "{country: RUS, status: signed, sources: [s7]}",
     "documents[0].signatures[0]", "sources", "unknown source id 's7'"),
    (CHG, "{country: RUS, status: signed,", "{country: RUS, status: initialled,",
     "documents[0] signatures[0]", "status", "Input should be"),
    (CMO, "status: present, basis: stated, level: deputy_minister, role: guest,",
     "status: absent, basis: stated,",
     "attendance[1]", "country", "its absence is not a seat"),
    (CMO, "level: deputy_minister, role: guest,", "level: deputy_minister,",
     "attendance[1]", "country", "can only attend with role guest or observer"),
    (CMO, "{country: RUS, status: present, basis: stated, level: minister,",
     "{country: RUS, status: present, basis: stated, level: minister, role: guest,",
     "attendance[0]", "role", "role is only for states that were not"),
    (CMO, "{country: RUS, status: present, basis: stated, level: minister,",
     "{country: RUS, status: present, basis: stated, level: head,",
     "attendance[0]", "level", "only for chs/chg sessions"),
    (CMO, "number: [s1]", "", "fact_sources", "number", "needs at least one source"),
]


@pytest.mark.parametrize("file,old,new,erecord,efield,ereason", MUTATIONS,
                         ids=[m[4] + ":" + m[5][:25] for m in MUTATIONS])
def test_council_mutations_are_caught(councils_data, file, old, new, erecord, efield, ereason):
    path = councils_data / file
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        load_dataset(councils_data, today=dt.date(2026, 11, 27))
    match = [p for p in err.value.problems if p.file.endswith(file.split("/")[-1])
             and erecord in p.record and p.field == efield and ereason in p.reason]
    assert match, "\n".join(map(str, err.value.problems))


def test_prior_step_dated_later_is_rejected(councils_data):
    path = councils_data / "sessions/cfm/2025-04-11-almaty.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("outcome: forwarded,", "outcome: forwarded, prior: chg-2025-06-05-d1,"),
                    encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        load_dataset(councils_data, today=dt.date(2026, 11, 27))
    assert any(p.field == "prior" and "after this session" in p.reason
               for p in err.value.problems), err.value.problems


def test_council_membership_overlap_is_checked_per_council(councils_data):
    path = councils_data / "memberships.yaml"
    text = path.read_text(encoding="utf-8")
    extra = "  - {country: GEO, body: cmo, status: member, start_date: 2007-01-01, event: x, sources: [m1]}\n"
    path.write_text(text.replace("sources:\n  - {id: m1", extra + "sources:\n  - {id: m1"),
                    encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        load_dataset(councils_data, today=dt.date(2026, 11, 27))
    assert any("GEO on cmo: interval overlaps" in p.reason for p in err.value.problems)


def test_coverage_numbers(ds_councils):
    t = coverage.coverage_table(ds_councils.sessions, ds_councils.attendance, "year")
    row = lambda body, year: t[(t["body"] == body) & (t["period"] == year)].iloc[0]  # noqa: E731
    cfm25 = row("cfm", 2025)
    # Almaty fixture: 9 of 10 expected present with levels, Moldova absent, counts stated.
    assert (cfm25["sessions_known"], cfm25["held"]) == (1, 1)
    assert cfm25["share_full_attendance"] == 0.0
    assert cfm25["share_with_levels"] == 1.0 and cfm25["share_with_counts"] == 1.0
    assert cfm25["attendance_stated_share"] == 1.0
    assert cfm25["disputed_sessions"] == 1
    chg = row("chg", 2025)
    assert (chg["sessions_known"], chg["share_with_documents"], chg["share_with_counts"]) == (1, 1.0, 0.0)
    cmo = row("cmo", 2008)
    assert cmo["sources"] == 1 and cmo["share_with_attendance"] == 1.0
    decades = coverage.coverage_table(ds_councils.sessions, ds_councils.attendance, "decade")
    assert set(decades["period"]) == {"2000s", "2020s"}
    assert int(decades[decades["body"] == "cfm"]["sessions_known"].sum()) == 2
    assert list(coverage.COLUMNS) == list(t.columns)


def test_coverage_command_prints_per_council_tables(councils_data):
    out = subprocess.run([sys.executable, "-m", "components", "--data", str(councils_data),
                          "coverage"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    for header in ("== cfm: 2 sessions, by year ==", "== chg: 1 sessions, by year ==",
                   "== cmo: 1 sessions, by decade =="):
        assert header in out, out
    assert "signatures" in COLUMNS
