import io
import json
import zipfile

import frictionless
import pandas as pd

from components.dataset import EXPORT_TABLES
from components.downloads import csv_bytes, dataset_zip, file_name, neutralise
from tests.conftest import GOOD


def test_csv_round_trip_keeps_rows_and_cyrillic():
    df = pd.DataFrame({"city_ru": ["Алматы", "Москва"], "n": [13, None]})
    raw = csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel detects UTF-8
    back = pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig")
    assert back["city_ru"].tolist() == ["Алматы", "Москва"]
    assert back["n"].iloc[0] == 13 and pd.isna(back["n"].iloc[1])


def test_formula_injection_is_neutralised():
    for bad in ("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"):
        assert neutralise(bad) == "'" + bad
    for ok in ("Almaty", "Заявление", "", "a=b"):
        assert neutralise(ok) == ok
    df = pd.DataFrame({"title": ["=1+2", "fine"], "count": [-1, 2]})
    back = pd.read_csv(io.BytesIO(csv_bytes(df)), encoding="utf-8-sig")
    assert back["title"].tolist() == ["'=1+2", "fine"]
    assert back["count"].tolist() == [-1, 2]  # numbers stay numbers
    mixed = pd.DataFrame({"note": pd.Series(["-x", 3, None], dtype=object),
                          "n": pd.Series([None, 4, 5], dtype=object)})
    back = pd.read_csv(io.BytesIO(csv_bytes(mixed)), encoding="utf-8-sig", dtype=str)
    assert back["note"].tolist()[:2] == ["'-x", "3"] and pd.isna(back["note"][2])
    assert pd.isna(back["n"][0]) and back["n"].tolist()[1:] == ["4", "5"]


def test_file_name_describes_view():
    assert file_name("sessions", ("cfm",), (2014, 2026)) == "cis_sessions_cfm_2014-2026.csv"
    assert (file_name("documents", (), (2020, 2025), ("KAZ", "MDA"), "связь армии")
            == "cis_documents_all-councils_2020-2025_KAZ-MDA_q-связь-армии.csv")


def test_dataset_zip_has_every_table_and_dictionary(ds):
    zf = zipfile.ZipFile(io.BytesIO(dataset_zip(ds, GOOD / "README.md")))
    assert sorted(zf.namelist()) == sorted([f"{t}.csv" for t in EXPORT_TABLES]
                                           + ["README.md", "datapackage.json", "CITATION.cff"])
    docs = pd.read_csv(zf.open("documents.csv"), encoding="utf-8-sig")
    assert len(docs) == 3
    assert docs.loc[docs["document_id"] == "cfm-2024-10-11-d1", "title_en"].item().startswith("'=")


def test_unzipped_dataset_validates_against_its_datapackage(ds_councils, tmp_path):
    """What a user gets: unzip, then `frictionless validate datapackage.json` passes, even
    with the byte-order mark and the neutralised formula-like cells of the download."""
    raw = dataset_zip(ds_councils, GOOD / "README.md")
    zipfile.ZipFile(io.BytesIO(raw)).extractall(tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in descriptor["resources"]] == [f"{t}.csv" for t in EXPORT_TABLES]
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["type", "fieldName", "rowNumber", "note"])
    rows = {t.name: t.stats.get("rows", 0) for t in report.tasks}
    assert rows["documents"] == 4 and rows["attendance"] > 0
