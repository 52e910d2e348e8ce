"""Loader and validation: good data becomes tidy tables; each kind of bad data names file,
record, field and reason, and every problem is reported, not just the first."""

import datetime as dt
import re
import subprocess
import sys

import pandas as pd
import pytest

from components.dataset import EXPORT_TABLES, export, load_dataset
from components.problems import DatasetError

ALMATY = "sessions/cfm/2025-04-11-almaty.yaml"
MOSCOW = "sessions/cfm/2024-10-11-moscow.yaml"


def test_tidy_tables_from_fixture(ds):
    s = ds.sessions.set_index("session_id")
    assert list(s.index) == ["cfm-2024-10-11", "cfm-2025-04-11"]
    almaty = s.loc["cfm-2025-04-11"]
    assert (almaty["agenda_items_count"], almaty["documents_count"]) == (13, 17)
    assert almaty["city_ru"] == "Алматы"
    # 9 Charter members + associate Turkmenistan; Georgia and Ukraine had left by 2025.
    assert almaty["members_count"] == 10
    assert (almaty["present_count"], almaty["absent_count"], almaty["unknown_count"]) == (9, 1, 0)
    assert not almaty["full_attendance"]
    assert bool(almaty["disputed"])


def test_unlisted_members_are_unknown_not_absent(ds):
    att = ds.attendance[ds.attendance["session_id"] == "cfm-2024-10-11"].set_index("country")
    assert att.loc["ARM", "status"] == "absent"
    assert att.loc["RUS", "status"] == "present"
    assert att.loc["RUS", "head_name"] == "Sergey Lavrov"
    assert (att["status"] == "unknown").sum() == 8
    assert "UKR" not in att.index and "GEO" not in att.index


def test_source_ids_are_global_and_resolve(ds):
    ids = set(ds.sources["source_id"])
    for table in (ds.attendance, ds.documents, ds.agenda_items):
        for refs in table["source_ids"].dropna():
            assert set(refs.split()) <= ids


def _problems(data_dir):
    with pytest.raises(DatasetError) as err:
        load_dataset(data_dir, today=dt.date(2026, 11, 27))
    return err.value.problems


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN = [
    # (file, old, new, expected file, record part, field, reason part)
    (ALMATY, "agenda_items_count: 13", "agenda_items_count: thirteen",
     ALMATY, "cfm-2025-04-11", "agenda_items_count", "valid integer"),
    (ALMATY, "{country: KGZ, status: present", "{country: XXX, status: present",
     ALMATY, "attendance[4]", "country", "unknown country code 'XXX'"),
    (ALMATY, "{country: MDA, status: absent, basis: stated, sources: [s2]}",
     "{country: MDA, status: absent, basis: stated, sources: [s9]}",
     ALMATY, "attendance[5]", "sources", "unknown source id 's9'"),
    (ALMATY, "date: 2025-04-11\n", "date: 2031-04-11\n",
     ALMATY, "cfm-2025-04-11", "id", "must start with body-date"),
    (MOSCOW, "{country: ARM, status: absent", "{country: GEO, status: absent",
     MOSCOW, "attendance[0]", "country", "GEO was not a member state on 2024-10-11"),
    (ALMATY, "status: present, basis: stated, level: deputy_minister",
     "status: present, basis: stated, level: envoy",
     ALMATY, "attendance[8]", "level", "Input should be"),
    (ALMATY, "format: regular", "format: regular\nvenue: palace",
     ALMATY, "cfm-2025-04-11", "venue", "Extra inputs are not permitted"),
    (ALMATY, "  - {id: a1,", "  - {id: a1, title_ru: x, sources: [s1]}\n  - {id: a1,",
     ALMATY, "agenda_items", "id", "duplicate id 'a1'"),
    (ALMATY, "chair_country: [s2], ", "",
     ALMATY, "fact_sources", "chair_country", "needs at least one source"),
    ("memberships.yaml", "{country: TKM, status: associate,", "{country: TKM, status: associated,",
     "memberships.yaml", "memberships[10]", "status", "Input should be"),
    ("countries.yaml", "code: UZB", "code: UZX",
     "countries.yaml", "countries[11]", "code", "not an ISO 3166-1 alpha-3 code"),
    (MOSCOW, "city_ru: Москва", "city_ru: [Москва",
     MOSCOW, "line", "-", "not valid YAML"),
]


@pytest.mark.parametrize("file,old,new,efile,erecord,efield,ereason", BROKEN,
                         ids=[b[5] + ":" + b[6][:25] for b in BROKEN])
def test_broken_file_names_file_record_field_reason(data_copy, file, old, new, efile, erecord,
                                                    efield, ereason):
    _edit(data_copy / file, old, new)
    problems = _problems(data_copy)
    match = [p for p in problems if p.file.endswith(efile) and erecord in p.record
             and p.field == efield and ereason in p.reason]
    assert match, "\n".join(map(str, problems))


def test_duplicate_session_id_across_files(data_copy):
    src = data_copy / ALMATY
    (data_copy / "sessions/cfm/2025-04-11-almaty-copy.yaml").write_text(
        src.read_text(encoding="utf-8"), encoding="utf-8")
    problems = _problems(data_copy)
    assert any(p.field == "id" and "duplicate session id" in p.reason for p in problems)


def test_every_problem_is_reported_not_just_the_first(data_copy):
    _edit(data_copy / ALMATY, "agenda_items_count: 13", "agenda_items_count: -1")
    _edit(data_copy / MOSCOW, "host_country: RUS", "host_country: ZZZ")
    _edit(data_copy / "memberships.yaml", "{country: ARM, status: member,", "{country: ARM, status: boss,")
    problems = _problems(data_copy)
    files = {p.file.split("/")[-1] for p in problems}
    assert {"2025-04-11-almaty.yaml", "2024-10-11-moscow.yaml", "memberships.yaml"} <= files
    assert "3 problem(s)" in str(DatasetError(problems[:3]))


def test_export_writes_every_table_with_required_columns(ds, tmp_path):
    export(ds, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{t}.csv" for t in EXPORT_TABLES)
    required = {
        "sessions": ["session_id", "body", "date", "city_en", "city_ru", "host_country",
                     "chair_country", "format", "agenda_items_count", "documents_count"],
        "attendance": ["session_id", "country", "status", "level", "head_name"],
        "documents": ["document_id", "session_id", "title_en", "title_ru", "doc_type"],
        "sources": ["source_id", "session_id", "url", "title", "publisher", "published"],
    }
    for table, cols in required.items():
        df = pd.read_csv(tmp_path / f"{table}.csv", encoding="utf-8")
        assert list(df.columns[: len(cols)]) == cols
    sessions = pd.read_csv(tmp_path / "sessions.csv")
    assert sessions.loc[sessions["session_id"] == "cfm-2025-04-11", "city_ru"].item() == "Алматы"
    att = pd.read_csv(tmp_path / "attendance.csv")
    assert set(att["status"]) == {"present", "absent", "unknown"}


def test_cli_validate_and_export(tmp_path, data_copy):
    ok = subprocess.run([sys.executable, "-m", "components", "--data", str(data_copy), "validate"],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and "2 sessions" in ok.stdout
    out = subprocess.run([sys.executable, "-m", "components", "--data", str(data_copy), "export",
                          str(tmp_path / "out")], capture_output=True, text=True)
    assert out.returncode == 0 and (tmp_path / "out" / "sessions.csv").exists()
    _edit(data_copy / ALMATY, "format: regular", "format: banquet")
    _edit(data_copy / MOSCOW, "date: 2024-10-11\n", "date: 2024-13-11\n")
    bad = subprocess.run([sys.executable, "-m", "components", "--data", str(data_copy), "validate"],
                         capture_output=True, text=True)
    assert bad.returncode == 1
    lines = [ln for ln in bad.stderr.splitlines() if ln.startswith("  ")]
    assert any(re.search(r"2025-04-11-almaty.yaml: cfm-2025-04-11: format: ", ln) for ln in lines)
    assert any("2024-10-11-moscow.yaml" in ln and ": date: " in ln for ln in lines)


def test_session_not_held_has_no_attendance(data_copy):
    path = data_copy / "sessions/cfm/2014-03-12-kyiv.yaml"
    path.write_text(
        "id: cfm-2014-03-12\nbody: cfm\nstatus: not_held\ndate: 2014-03-12\nformat: extraordinary\n"
        "city_en: Kyiv\nfact_sources: {date: [s1], city: [s1], format: [s1]}\n"
        "sources:\n  - {id: s1, url: 'https://example.org/kyiv', title: t, publisher: p, language: en}\n",
        encoding="utf-8")
    ds = load_dataset(data_copy, today=dt.date(2026, 11, 27))
    row = ds.sessions.set_index("session_id").loc["cfm-2014-03-12"]
    assert row["status"] == "not_held" and row["members_count"] == 0
    assert "cfm-2014-03-12" not in set(ds.attendance["session_id"])
    with path.open("a", encoding="utf-8") as fh:
        fh.write("attendance:\n  - {country: UKR, status: present, basis: stated, sources: [s1]}\n")
    problems = _problems(data_copy)
    assert any("has no attendance" in p.reason for p in problems)


def test_yaml_is_parsed_by_libyaml_and_still_reports_line_and_duplicate_keys(tmp_path):
    """The C parser made loading 14x faster at 100x (make bench); it must keep the checks the
    pure-Python loader had: dates left as text, duplicate keys refused, lines named."""
    import yaml

    from components import dataset

    if yaml.__with_libyaml__:  # the PyYAML wheels on PyPI always carry it
        assert issubclass(dataset._Loader, yaml.CSafeLoader)
    assert yaml.load("d: 2025-04-11\n", Loader=dataset._Loader) == {"d": "2025-04-11"}
    with pytest.raises(yaml.constructor.ConstructorError, match="duplicate key 'a'.*line 1"):
        yaml.load("a: 1\nb: 2\na: 3\n", Loader=dataset._Loader)
    problems = []
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: 1\nb: [2\n", encoding="utf-8")
    dataset._read_yaml(bad, tmp_path, problems)
    assert len(problems) == 1 and problems[0].record.startswith("line ")
    assert "not valid YAML" in problems[0].reason


def test_global_ids_that_collide_are_refused(data_copy):
    """`<session>-<local>` ids: session cfm-2025-04-11 with document b-d1 and a session
    cfm-2025-04-11-b with document d1 would both be cfm-2025-04-11-b-d1."""
    almaty = data_copy / "sessions/cfm/2025-04-11-almaty.yaml"
    text = almaty.read_text(encoding="utf-8")
    (data_copy / "sessions/cfm/2025-04-11-almaty-b.yaml").write_text(
        text.replace("id: cfm-2025-04-11\n", "id: cfm-2025-04-11-b\n"), encoding="utf-8")
    almaty.write_text(text.replace("  - {id: d1,", "  - {id: b-d1,"), encoding="utf-8")
    problems = _problems(data_copy)
    assert any(p.field == "id" and "'cfm-2025-04-11-b-d1' is also that of" in p.reason
               for p in problems), problems
