"""Every CSV the app offers, with formula-like text injected into the data: no cell a
spreadsheet would execute. The CSVs are captured as the app builds them, view by view."""

import csv
import io
import zipfile

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components import downloads
from components.dataset import load_dataset
from tests.conftest import ROOT, councils_copy

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
HOSTILE = {
    'title_en: "Regulation on the principles of the joint communication system of the armed forces"':
        'title_en: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")"',
    "city_en: Dushanbe": 'city_en: "+SUM(1;2)"',
    "head_name_en: Fixture Premier": 'head_name_en: "@cmd|calc"',
    'note: "fixture: did not join"': 'note: "-2+3"',
    'title: "Fixture Dushanbe"': 'title: "\\t=1+1"',
}
VIEWS = [
    {}, {"tab": "map"}, {"tab": "map", "session": "chg-2025-06-05"}, {"tab": "countries"},
    {"tab": "countries", "country": ["RUS", "AZE"]}, {"tab": "documents"}, {"tab": "sessions"},
    {"tab": "coverage"}, {"tab": "signatures"}, {"tab": "documents", "lang": "ru"},
]


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    data = councils_copy(tmp_path_factory.mktemp("hostile") / "data")
    path = data / "sessions/chg/2025-06-05-dushanbe.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in HOSTILE.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    load_dataset(data)  # still a valid dataset
    return data


def cells(payload: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(payload.decode("utf-8-sig"), newline=""))
    return [c for row in rows for c in row]


def test_every_csv_offered_has_no_executable_cell(hostile_data, monkeypatch):
    captured: dict[str, bytes] = {}
    offer = st.download_button

    def recording(label, data, *args, **kwargs):
        # CSVs are written when clicked: write each one the page offers, as a click would.
        if kwargs.get("mime") == "text/csv":
            captured[f"{view}#{len(captured)}"] = data() if callable(data) else data
        return offer(label, data, *args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    monkeypatch.setenv("CIS_DATA_DIR", str(hostile_data))
    for params in VIEWS:
        view = "&".join(f"{k}={v}" for k, v in params.items()) or "default"
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, (view, [e.value for e in at.exception])
    assert len(captured) >= 15
    injected = 0
    for name, payload in captured.items():
        for cell in cells(payload):
            assert not cell.startswith(FORMULA_START), (name, cell)
            injected += cell.startswith(("'=", "'+", "'-", "'@", "'\t"))
    assert injected >= 5  # the hostile values did reach the CSVs, neutralised


def test_the_dataset_zip_is_neutralised_too(hostile_data):
    ds = load_dataset(hostile_data)
    payload = downloads.dataset_zip(ds, hostile_data / "README.md")
    with zipfile.ZipFile(io.BytesIO(payload)) as zf:
        tables = [n for n in zf.namelist() if n.endswith(".csv")]
        assert "documents.csv" in tables and "signatures.csv" in tables
        found = 0
        for name in tables:
            for cell in cells(zf.read(name)):
                assert not cell.startswith(FORMULA_START), (name, cell)
                found += cell in ("'=HYPERLINK(\"http://evil.example\",\"click\")", "'-2+3",
                                  "'+SUM(1;2)", "'@cmd|calc")
    assert found >= 4
