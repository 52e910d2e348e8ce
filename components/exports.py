"""Machine-readable exports: the sessions in view as an iCalendar file, and a Frictionless
Data Package descriptor that types and links the tidy CSV tables.

Both are pure: the same dataset gives the same bytes / the same descriptor, so a download
can be cached and compared, and a test can pin it.
"""

from __future__ import annotations

import datetime as dt

import icalendar
import pandas as pd

from .dataset import DATA_DIR, Dataset
from .i18n import pick
from .labels import source_urls, urls_for
from .tables import EXPORT_TABLES, TABLES

UID_DOMAIN = "cis-meetings-dashboard"
PRODID = "-//CIS Meetings Dashboard//EN"

# Session status -> RFC 5545 STATUS: a session that never took place is shown struck out
# by calendar clients, a postponed one as not final.
ICS_STATUS = {"held": "CONFIRMED", "not_held": "CANCELLED", "postponed": "TENTATIVE"}

# Event text in both interface languages. Kept here rather than in the gettext catalogue
# because a calendar file is read outside the app and must not depend on a catalogue
# being complete.
_TEXT = {
    "en": {
        "calendar": "CIS ministerial councils: sessions",
        "city_unknown": "city unknown", "video": "videoconference",
        "status": "Status", "agenda": "Agenda items (as stated)",
        "documents": "Documents (as stated)", "sources": "Sources",
        "held": "held", "not_held": "not held", "postponed": "postponed",
    },
    "ru": {
        "calendar": "Советы СНГ: заседания",
        "city_unknown": "город неизвестен", "video": "видеоконференция",
        "status": "Статус", "agenda": "Вопросов повестки дня (по источнику)",
        "documents": "Документов (по источнику)", "sources": "Источники",
        "held": "состоялось", "not_held": "не состоялось", "postponed": "перенесено",
    },
}


def _text(value) -> str | None:
    """A cell as text, or None for an empty cell (NaN, NaT, None, "")."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return str(value) or None


def _day(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return value if isinstance(value, dt.date) else pd.Timestamp(value).date()


def _dtstamp(ds: Dataset) -> dt.datetime:
    """DTSTAMP from the data, not the clock: the last day of the latest held session (the
    dataset's "as of"), so a rebuild of the same data is byte-identical."""
    s = ds.sessions
    held = s[s["status"] == "held"]
    days = [d for d in (_day(v) for v in pd.concat([held["date"], held["end_date"]])) if d]
    day = max(days) if days else dt.date(1991, 12, 8)  # the CIS founding: an empty dataset
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def sessions_ics(sessions: pd.DataFrame, ds: Dataset, lang: str = "en") -> bytes:
    """An RFC 5545 calendar with one all-day VEVENT per session row given (the rows in view).

    Every text from the data goes through icalendar as TEXT, which escapes newlines, commas
    and semicolons, so a field cannot start a new property or component."""
    lang = lang if lang in _TEXT else "en"
    words = _TEXT[lang]
    bodies = ds.bodies.set_index("body")
    countries = ds.countries.set_index("country")
    urls = source_urls(ds)
    stamp = _dtstamp(ds)

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", words["calendar"])

    for row in sessions.sort_values(["date", "session_id"]).itertuples(index=False):
        start = _day(row.date)
        end = _day(row.end_date) or start
        body = bodies.loc[row.body] if row.body in bodies.index else None
        council = (pick(body["name_en"], body["name_ru"], lang)[0] if body is not None
                   else None) or row.body
        city = pick(_text(row.city_en), _text(row.city_ru), lang)[0]
        host = _text(row.host_country)
        country = (pick(countries.loc[host, "name_en"], countries.loc[host, "name_ru"], lang)[0]
                   if host in countries.index else host)
        # A videoconference has no city; "city unknown" would suggest a gap in the data.
        place = city or words["video" if _text(row.format) == "video" else "city_unknown"]

        ev = icalendar.Event()
        ev.add("uid", f"{row.session_id}@{UID_DOMAIN}")
        ev.add("dtstamp", stamp)
        ev.add("dtstart", start)
        ev.add("dtend", end + dt.timedelta(days=1))  # DTEND of an all-day event is exclusive
        ev.add("summary", f"{council} — {place}")
        location = ", ".join(x for x in (city, country) if x)
        if location:
            ev.add("location", location)
        ev.add("status", ICS_STATUS.get(row.status, "CONFIRMED"))

        lines = [f"{words['status']}: {words.get(row.status, row.status)}"]
        for col, key in (("agenda_items_count", "agenda"), ("documents_count", "documents")):
            value = getattr(row, col)
            if not pd.isna(value):
                lines.append(f"{words[key]}: {int(value)}")
        links = urls_for(row.source_ids, urls).split()
        if links:
            lines += [f"{words['sources']}:", *links]
        ev.add("description", "\n".join(lines))
        if links:
            # A URI value is not escaped (icalendar raises on a line break in one); `links`
            # were split on whitespace, so none can hold one.
            ev.add("url", links[0])
        cal.add_component(ev)
    return cal.to_ical()


# ---------------------------------------------------------------- Data Package

DICTIONARY = DATA_DIR / "README.md"


def _resource(table: str) -> dict:
    spec = TABLES[table]
    fields = []
    for c in spec.columns:
        field = {"name": c.name, "type": c.type}
        if c.note:
            field["description"] = c.note.replace("`", "")
        fields.append(field)
    schema = {"fields": fields, "missingValues": [""], "primaryKey": list(spec.key)}
    foreign = []
    for c in spec.columns:
        if c.references is None:
            continue
        ref_table, ref_col = c.references
        foreign.append({"fields": [c.name], "reference": {
            # "" is Table Schema's self-reference (documents.prior_document_id).
            "resource": "" if ref_table == table else ref_table, "fields": [ref_col]}})
    if foreign:
        schema["foreignKeys"] = foreign
    return {"name": table, "path": f"{table}.csv", "profile": "tabular-data-resource",
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}


def datapackage(ds: Dataset, name: str = "cis-meetings") -> dict:
    """Frictionless Data Package descriptor (tabular-data-package) for the CSV tables that
    `dataset.export` and the dataset zip write: types, keys, references between tables and
    column notes, all from the table specs (components/tables.py), so a user can check the
    files (`frictionless validate datapackage.json`) or load them typed."""
    return {
        "name": name,
        "title": "CIS ministerial meetings",
        "description": ("Sessions of the CIS councils (foreign ministers, defence ministers, "
                        "heads of state and of government): attendance and how each seat is "
                        "known, agenda, documents, signatures, memberships, official session "
                        "counts and the sources stating each fact. Derived from curated YAML; "
                        "see README.md (the data dictionary)."),
        "profile": "tabular-data-package",
        "resources": [_resource(t) for t in EXPORT_TABLES],
    }
