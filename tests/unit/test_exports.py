"""Calendar file and Data Package descriptor, checked the way a user would: the .ics read
back by a calendar parser, the CSV folder validated by frictionless."""

import datetime as dt
import json
import re

import frictionless
import icalendar
import pandas as pd
import pytest

from components.dataset import COLUMNS, EXPORT_TABLES, export
from components.exports import datapackage, sessions_ics
from components.tables import TABLES
from tests.conftest import ROOT


def events(raw: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(raw)
    return {str(ev["UID"]): ev for ev in cal.walk("VEVENT")}


def one(ds, lang="en", **changes) -> icalendar.Event:
    """The Almaty session's event, after changing some of its cells."""
    rows = ds.sessions[ds.sessions["session_id"] == "cfm-2025-04-11"].copy()
    for col, value in changes.items():
        rows[col] = pd.Series([value], index=rows.index, dtype=object)
    (ev,) = events(sessions_ics(rows, ds, lang)).values()
    return ev


# ---------------------------------------------------------------- calendar

def test_one_all_day_event_per_session_in_view(ds_councils):
    raw = sessions_ics(ds_councils.sessions, ds_councils)
    cal = icalendar.Calendar.from_ical(raw)
    assert str(cal["PRODID"]) == "-//CIS Meetings Dashboard//EN"
    assert str(cal["VERSION"]) == "2.0"
    evs = events(raw)
    assert sorted(evs) == ["cfm-2024-10-11@cis-meetings-dashboard",
                           "cfm-2025-04-11@cis-meetings-dashboard",
                           "chg-2025-06-05@cis-meetings-dashboard",
                           "cmo-2008-06-10@cis-meetings-dashboard"]
    almaty = evs["cfm-2025-04-11@cis-meetings-dashboard"]
    # All-day: plain dates (VALUE=DATE), and the exclusive end is the next day.
    assert almaty["DTSTART"].dt == dt.date(2025, 4, 11)
    assert not isinstance(almaty["DTSTART"].dt, dt.datetime)
    assert almaty["DTEND"].dt == dt.date(2025, 4, 12)
    assert b"DTSTART;VALUE=DATE:20250411" in raw

    only_two = ds_councils.sessions[ds_councils.sessions["body"] == "cfm"]
    assert len(events(sessions_ics(only_two, ds_councils))) == 2
    assert events(sessions_ics(only_two.iloc[:0], ds_councils)) == {}


def test_multi_day_session_ends_the_day_after_its_last_day(ds):
    ev = one(ds, end_date=dt.date(2025, 4, 12))
    assert ev["DTSTART"].dt == dt.date(2025, 4, 11)
    assert ev["DTEND"].dt == dt.date(2025, 4, 13)


def test_summary_and_location_in_both_languages(ds_councils):
    en = events(sessions_ics(ds_councils.sessions, ds_councils, "en"))
    ru = events(sessions_ics(ds_councils.sessions, ds_councils, "ru"))
    uid = "cfm-2025-04-11@cis-meetings-dashboard"
    assert str(en[uid]["SUMMARY"]) == "Council of Foreign Ministers — Almaty"
    assert str(en[uid]["LOCATION"]) == "Almaty, Kazakhstan"
    assert str(ru[uid]["SUMMARY"]) == "Совет министров иностранных дел — Алматы"
    assert str(ru[uid]["LOCATION"]) == "Алматы, Казахстан"
    # Dushanbe has no Russian name in the fixture: the English one stands in.
    uid = "chg-2025-06-05@cis-meetings-dashboard"
    assert str(ru[uid]["SUMMARY"]) == "Совет глав правительств — Dushanbe"
    assert str(ru[uid]["LOCATION"]) == "Dushanbe, Таджикистан"
    # No host country stated: the location is the city alone.
    assert str(en["cmo-2008-06-10@cis-meetings-dashboard"]["LOCATION"]) == "Moscow"


def test_unknown_city_and_videoconference_are_said_so(ds):
    ev = one(ds, city_en=None, city_ru=None, host_country=None)
    assert str(ev["SUMMARY"]) == "Council of Foreign Ministers — city unknown"
    assert "LOCATION" not in ev
    ev = one(ds, "ru", city_en=None, city_ru=None)
    assert str(ev["SUMMARY"]) == "Совет министров иностранных дел — город неизвестен"
    assert str(ev["LOCATION"]) == "Казахстан"
    ev = one(ds, city_en=None, city_ru=None, host_country=None, format="video")
    assert str(ev["SUMMARY"]) == "Council of Foreign Ministers — videoconference"


@pytest.mark.parametrize("status, expected", [
    ("held", "CONFIRMED"), ("not_held", "CANCELLED"), ("postponed", "TENTATIVE")])
def test_status_follows_the_session(ds, status, expected):
    assert str(one(ds, status=status)["STATUS"]) == expected


def test_description_has_status_counts_and_sources(ds):
    evs = events(sessions_ics(ds.sessions, ds))
    almaty = evs["cfm-2025-04-11@cis-meetings-dashboard"]
    assert str(almaty["DESCRIPTION"]).splitlines() == [
        "Status: held", "Agenda items (as stated): 13", "Documents (as stated): 17",
        "Sources:", "https://example.org/almaty", "https://example.org/almaty-2"]
    assert str(almaty["URL"]) == "https://example.org/almaty"
    moscow = str(evs["cfm-2024-10-11@cis-meetings-dashboard"]["DESCRIPTION"])
    assert "Agenda" not in moscow and "Documents" not in moscow  # counts not stated
    ru = str(one(ds, "ru", status="not_held")["DESCRIPTION"])
    assert ru.startswith("Статус: не состоялось\nВопросов повестки дня (по источнику): 13\n")


def test_same_data_gives_the_same_bytes(ds_councils):
    first = sessions_ics(ds_councils.sessions, ds_councils, "ru")
    assert first == sessions_ics(ds_councils.sessions.copy(), ds_councils, "ru")
    # DTSTAMP comes from the data (the latest held session), not the clock, and does not
    # depend on which rows are in view.
    stamps = {str(ev["DTSTAMP"].to_ical(), "ascii") for ev in events(first).values()}
    assert stamps == {"20250605T000000Z"}
    older = ds_councils.sessions[ds_councils.sessions["body"] == "cmo"]
    (ev,) = events(sessions_ics(older, ds_councils)).values()
    assert ev["DTSTAMP"].dt == dt.datetime(2025, 6, 5, tzinfo=dt.timezone.utc)


def test_hostile_text_cannot_add_an_event_or_property(ds):
    evil = "Almaty\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\nSUMMARY:injected;a,b\\\rBEGIN:VALARM"
    raw = sessions_ics(ds.sessions.assign(city_en=evil), ds)
    # A component or property starts only at the beginning of a line: the injected ones
    # are escaped inside the SUMMARY value instead.
    assert len(re.findall(rb"^BEGIN:VEVENT\r$", raw, re.M)) == 2  # one per session
    assert not re.search(rb"^(UID:evil|SUMMARY:injected|BEGIN:VALARM)", raw, re.M)
    evs = events(raw)
    assert len(evs) == 2 and "evil@x" not in evs
    # The text comes back as given (each line break as one newline, the only kind TEXT
    # has): it was carried as text, not as markup.
    assert str(evs["cfm-2025-04-11@cis-meetings-dashboard"]["SUMMARY"]) == (
        "Council of Foreign Ministers — " + evil.replace("\r\n", "\n").replace("\r", "\n"))


# ---------------------------------------------------------------- Data Package

def write_package(ds, folder, descriptor=None):
    export(ds, folder)
    (folder / "datapackage.json").write_text(
        json.dumps(descriptor or datapackage(ds), ensure_ascii=False), encoding="utf-8")
    return folder / "datapackage.json"


def errors(report) -> list[tuple]:
    return [(task.name, e.type, getattr(e, "field_name", None), getattr(e, "row_number", None))
            for task in report.tasks for e in task.errors]


def test_exported_folder_is_a_valid_data_package(ds_councils, tmp_path):
    report = frictionless.validate(write_package(ds_councils, tmp_path))
    assert report.valid, errors(report)
    checked = {t.name: t.stats.get("rows", 0) for t in report.tasks}
    assert checked["sessions"] == 4 and checked["signatures"] == 3
    assert set(checked) == set(EXPORT_TABLES)


def test_descriptor_types_keys_and_links(ds_councils):
    dp = datapackage(ds_councils)
    assert dp["profile"] == "tabular-data-package"
    res = {r["name"]: r for r in dp["resources"]}
    assert list(res) == list(EXPORT_TABLES)
    assert res["sessions"]["path"] == "sessions.csv" and res["sessions"]["encoding"] == "utf-8"
    for name, r in res.items():
        assert [f["name"] for f in r["schema"]["fields"]] == COLUMNS[name]
        assert r["schema"]["missingValues"] == [""]
    types = {f["name"]: f["type"] for f in res["sessions"]["schema"]["fields"]}
    assert (types["date"], types["end_date"], types["agenda_items_count"], types["year"],
            types["full_attendance"], types["city_ru"]) == (
        "date", "date", "integer", "integer", "boolean", "string")
    assert res["attendance"]["schema"]["primaryKey"] == ["session_id", "country"]
    refs = {fk["fields"][0]: fk["reference"] for fk in res["documents"]["schema"]["foreignKeys"]}
    assert refs["session_id"] == {"resource": "sessions", "fields": ["session_id"]}
    assert refs["prior_document_id"] == {"resource": "", "fields": ["document_id"]}  # itself
    sig = {fk["fields"][0]: fk["reference"]["resource"]
           for fk in res["signatures"]["schema"]["foreignKeys"]}
    assert sig == {"document_id": "documents", "country": "countries", "session_id": "sessions"}
    notes = {f["name"]: f.get("description") for f in res["sessions"]["schema"]["fields"]}
    assert notes["members_count"] == "states expected"


def test_declared_type_matches_every_filled_column(ds_councils):
    """A column typed `string` that holds numbers would pass validation unnoticed."""
    by_dtype = {"b": "boolean", "i": "integer", "u": "integer", "f": "number"}
    for r in datapackage(ds_councils)["resources"]:
        df = getattr(ds_councils, r["name"])
        for f in r["schema"]["fields"]:
            values = df[f["name"]].dropna()
            if values.empty:
                continue
            if isinstance(values.iloc[0], dt.date):
                expected = "date"
            else:
                expected = by_dtype.get(df[f["name"]].dtype.kind, "string")
            assert f["type"] == expected, (r["name"], f["name"])


def test_primary_keys_are_the_ones_the_data_dictionary_documents():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    documented = {}
    for table, key in re.findall(r"^\| `(\w+)\.csv` \| ([^|]+) \|", text, re.M):
        documented[table] = re.findall(r"`(\w+)`", key)
    assert {t: documented[t] for t in EXPORT_TABLES} == {t: list(TABLES[t].key)
                                                         for t in EXPORT_TABLES}


def test_wrong_type_in_descriptor_is_reported(ds_councils, tmp_path):
    dp = datapackage(ds_councils)
    sessions = next(r for r in dp["resources"] if r["name"] == "sessions")
    next(f for f in sessions["schema"]["fields"] if f["name"] == "city_en")["type"] = "integer"
    report = frictionless.validate(write_package(ds_councils, tmp_path, dp))
    assert not report.valid
    assert ("sessions", "type-error", "city_en", 2) in errors(report)


def test_broken_key_and_reference_are_reported(ds_councils, tmp_path):
    path = write_package(ds_councils, tmp_path)
    countries = tmp_path / "countries.csv"
    lines = countries.read_text(encoding="utf-8").splitlines()
    countries.write_text("\n".join(lines + [lines[1]]) + "\n", encoding="utf-8")  # ARM twice
    docs = pd.read_csv(tmp_path / "documents.csv", dtype=str, keep_default_na=False)
    docs.loc[docs["prior_document_id"] != "", "prior_document_id"] = "cfm-1999-01-01-d9"
    docs.to_csv(tmp_path / "documents.csv", index=False)
    found = {(e[0], e[1]) for e in errors(frictionless.validate(path))}
    assert ("countries", "primary-key") in found
    assert ("documents", "foreign-key") in found
