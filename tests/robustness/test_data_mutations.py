"""Mutation suite: copies of real data files broken in every way the schema forbids. Each
mutation must be caught, and the message must name file, record, field and reason."""

import datetime as dt
import shutil

import pytest

from components.dataset import load_dataset
from components.problems import DatasetError
from tests.conftest import ROOT

ALMATY = "sessions/cfm/2025-04-11-almaty.yaml"
DUSHANBE = "sessions/chg/2025-06-05-dushanbe.yaml"
TULA = "sessions/cmo/2023-09-29-tula.yaml"
TODAY = dt.date(2026, 11, 27)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """One copy of the real data/; each test copies it again before breaking it."""
    dest = tmp_path_factory.mktemp("real") / "data"
    shutil.copytree(ROOT / "data", dest)
    load_dataset(dest, today=TODAY)  # the unbroken copy is valid
    return dest


@pytest.fixture
def data(pristine, tmp_path):
    dest = tmp_path / "data"
    shutil.copytree(pristine, dest)
    return dest


def replace(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"real file changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


# (file, old, new, expected record part, field, reason part)
TEXT_MUTATIONS = [
    # types
    (ALMATY, "agenda_items_count: 13", "agenda_items_count: thirteen", "cfm-2025-04-11",
     "agenda_items_count", "valid integer"),
    (TULA, "number: 82", "number: -82", "cmo-2023-09-29", "number", "greater than or equal to 1"),
    (ALMATY, "    status: present\n    basis: stated\n    level: minister\n    head_name_en: Murat Nurtleu",
     "    status: here\n    basis: stated\n    level: minister\n    head_name_en: Murat Nurtleu",
     "attendance[1]", "status", "Input should be 'present' or 'absent'"),
    (ALMATY, "format: regular", "format: [regular]", "cfm-2025-04-11", "format", "Input should be"),
    # codes
    (ALMATY, "  - country: KAZ\n    status: present", "  - country: KZX\n    status: present",
     "attendance[1]", "country", "unknown country code 'KZX'"),
    (ALMATY, "host_country: KAZ", "host_country: kaz", "cfm-2025-04-11", "host_country",
     "unknown country code 'kaz'"),
    (ALMATY, "body: cfm", "body: cmx", "cfm-2025-04-11", "body", "Input should be"),
    (ALMATY, "    level: minister\n    head_name_en: Murat Nurtleu",
     "    level: vizier\n    head_name_en: Murat Nurtleu", "attendance[1]", "level", "Input should be"),
    # dangling ids
    (ALMATY, "  host_country: [s2, s8]", "  host_country: [s2, s99]", "fact_sources.host_country",
     "sources", "unknown source id 's99'"),
    (DUSHANBE, "prior: cfm-2025-04-11-d1", "prior: cfm-2025-04-11-d99", "documents[0] d1", "prior",
     "no document 'cfm-2025-04-11-d99'"),
    (DUSHANBE, "    sources: [s1, s2, s5]", "    sources: [s1, s2, s55]", "attendance[1]", "sources",
     "unknown source id 's55'"),
    # duplicates
    (ALMATY, "  - country: KAZ\n", "  - country: TJK\n", "attendance[1]", "country",
     "TJK is listed twice"),
    (TULA, "  - id: a2\n", "  - id: a1\n", "agenda_items", "id", "duplicate id 'a1'"),
    (ALMATY, "  - id: s1\n", "  - id: s2\n", "sources", "id", "duplicate source id 's2'"),
    # dates
    (ALMATY, "date: 2025-04-11\n", "date: 2025-02-30\n", "cfm-2025-04-11", "date", "date"),
    (ALMATY, "date: 2025-04-11\n", "date: 11.04.2025\n", "cfm-2025-04-11", "date", "date"),
    (ALMATY, "date: 2025-04-11\n", "date: 2025-04-11\nend_date: 2025-04-01\n", "cfm-2025-04-11",
     "-", "end_date is before date"),
    (DUSHANBE, "prior: cfm-2025-04-11-d1", "prior: chg-2025-09-29-d1", "documents[0] d1", "prior",
     "after this session"),
    # non-member attendance
    (ALMATY, "  - country: KAZ\n    status: present", "  - country: GEO\n    status: present",
     "attendance[1]", "country", "GEO was not a member state on 2025-04-11"),
    (ALMATY, "  - country: KAZ\n    status: present",
     "  - country: KAZ\n    role: guest\n    status: present", "attendance[1]", "role",
     "role is only for states that were not"),
    (ALMATY, "    status: present\n    basis: stated\n    level: minister\n    head_name_en: Murat Nurtleu",
     "    status: present\n    basis: stated\n    level: head\n    head_name_en: Murat Nurtleu",
     "attendance[1]", "level", "only for chs/chg sessions"),
    # structure
    (ALMATY, "format: regular", "format: regular\nvenue: Palace of Peace", "cfm-2025-04-11",
     "venue", "Extra inputs are not permitted"),
    (ALMATY, "city_en: Almaty\n", "city_en: Almaty\ncity_en: Alma-Ata\n", "line 6", "-",
     "found duplicate key 'city_en' (first on line 5)"),
    (ALMATY, "city_ru: Алматы", "city_ru: [Алматы", "line", "-", "not valid YAML"),
    (ALMATY, "    url: https://buzb.uz/en/news/cis-foreign-ministers-meet-in-almaty",
     "    url: buzb.uz/en/news", "sources[0]", "url", "should match pattern"),
    (ALMATY, "id: cfm-2025-04-11\n", "id: cfm-2025-4-11\n", "cfm-2025-4-11", "id",
     "must look like cfm-2025-04-11"),
    (ALMATY, "  chair_country: [s3, s4]\n", "", "fact_sources", "chair_country",
     "a stated fact needs at least one source id"),
    ("memberships.yaml", "  - country: TKM\n", "  - country: TKX\n", "memberships", "country",
     "unknown country code 'TKX'"),
    ("versions.yaml", "      - cfm-1993-08-24\n", "      - cfm-1993-08-24\n      - cfm-1900-01-01\n",
     "versions[0] 1", "sessions", "no session 'cfm-1900-01-01'"),
]


@pytest.mark.parametrize("file,old,new,erecord,efield,ereason", TEXT_MUTATIONS,
                         ids=[f"{m[0].split('/')[-1]}:{m[4]}:{m[5][:24]}" for m in TEXT_MUTATIONS])
def test_text_mutation_is_caught_with_file_record_field_reason(data, file, old, new, erecord,
                                                                efield, ereason):
    replace(data / file, old, new)
    assert_caught(data, file, erecord, efield, ereason)


def assert_caught(data, file, erecord, efield, ereason):
    with pytest.raises(DatasetError) as err:
        load_dataset(data, today=TODAY)
    name = file.split("/")[-1]
    match = [p for p in err.value.problems if p.file.endswith(name) and erecord in p.record
             and p.field == efield and ereason in p.reason]
    assert match, "\n".join(map(str, err.value.problems[:20]))
    # The message a curator reads names all four parts.
    assert str(match[0]).startswith(match[0].file) and efield in str(match[0])


@pytest.mark.parametrize("encoding", ["cp1251", "utf-16", "koi8-r"])
def test_wrong_encoding_is_named(data, encoding):
    path = data / ALMATY
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding, errors="replace"))
    assert_caught(data, ALMATY, "byte", "-", "not UTF-8 text")


def test_duplicate_session_across_files(data):
    shutil.copy(data / ALMATY, data / "sessions/cfm/2025-04-11-almaty-copy.yaml")
    # Reported on the later file in path order, naming the other one.
    assert_caught(data, ALMATY, "cfm-2025-04-11", "id",
                  "duplicate session id, also in data/sessions/cfm/2025-04-11-almaty-copy.yaml")


def test_file_in_the_wrong_council_folder(data):
    (data / ALMATY).rename(data / "sessions/cmo/2025-04-11-almaty.yaml")
    assert_caught(data, "cmo/2025-04-11-almaty.yaml", "cfm-2025-04-11", "body",
                  "file is in sessions/cmo/ but body is 'cfm'")


def test_empty_file_and_a_list_instead_of_a_mapping(data):
    (data / ALMATY).write_text("", encoding="utf-8")
    (data / TULA).write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(DatasetError) as err:
        load_dataset(data, today=TODAY)
    text = "\n".join(map(str, err.value.problems))
    assert "2025-04-11-almaty.yaml: -: -: file is empty" in text
    assert "2023-09-29-tula.yaml: 2023-09-29-tula: -: expected a mapping, got list" in text


def test_a_session_held_in_the_future(data):
    replace(data / ALMATY, "date: 2025-04-11\n", "date: 2031-04-11\n")
    (data / ALMATY).rename(data / "sessions/cfm/2031-04-11-almaty.yaml")
    replace(data / "sessions/cfm/2031-04-11-almaty.yaml", "id: cfm-2025-04-11", "id: cfm-2031-04-11")
    replace(data / DUSHANBE, "prior: cfm-2025-04-11-d1", "prior: cfm-2031-04-11-d1")
    replace(data / "versions.yaml", "      - cfm-2025-04-11\n", "      - cfm-2031-04-11\n")
    assert_caught(data, "2031-04-11-almaty.yaml", "cfm-2031-04-11", "date", "is outside")


def test_every_problem_in_one_pass(data):
    replace(data / ALMATY, "agenda_items_count: 13", "agenda_items_count: many")
    replace(data / TULA, "number: 82", "number: zero")
    replace(data / DUSHANBE, "prior: cfm-2025-04-11-d1", "prior: cfm-2025-04-11-d77")
    with pytest.raises(DatasetError) as err:
        load_dataset(data, today=TODAY)
    files = {p.file.split("/")[-1] for p in err.value.problems}
    assert {"2025-04-11-almaty.yaml", "2023-09-29-tula.yaml", "2025-06-05-dushanbe.yaml"} <= files
