"""The derived tables, each defined once: columns in order, types, key, references between
tables and what each column means.

Everything that describes a table is generated from here: the column order of the tidy
tables (dataset), their dtypes, the Frictionless Table Schema in datapackage.json (exports)
and the "Derived tables" section of the data dictionary (data/README.md, rewritten by
`python -m components dictionary`; a test fails when it is stale).
"""

from __future__ import annotations

from dataclasses import dataclass

STRING, INTEGER, DATE, BOOLEAN, NUMBER = "string", "integer", "date", "boolean", "number"


@dataclass(frozen=True)
class Column:
    name: str
    type: str = STRING
    # What the column means, when the name does not say it all (shown in the dictionary and
    # as the field description in datapackage.json).
    note: str = ""
    # (table, column) this column refers to; a missing value refers to nothing.
    references: tuple[str, str] | None = None


@dataclass(frozen=True)
class Table:
    name: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    # Said after the column list in the dictionary: what one row is.
    rows: str = ""
    exported: bool = True

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _c(name: str, type: str = STRING, note: str = "", ref: tuple[str, str] | None = None):
    return Column(name, type, note, ref)


SESSION = ("sessions", "session_id")
COUNTRY = ("countries", "country")
BODY = ("bodies", "body")
DOCUMENT = ("documents", "document_id")

TABLES: dict[str, Table] = {t.name: t for t in (
    Table("sessions", ("session_id",), (
        _c("session_id"), _c("body", ref=BODY), _c("date", DATE), _c("city_en"), _c("city_ru"),
        _c("host_country", ref=COUNTRY), _c("chair_country", ref=COUNTRY), _c("format"),
        _c("agenda_items_count", INTEGER), _c("documents_count", INTEGER), _c("status"),
        _c("end_date", DATE), _c("year", INTEGER),
        _c("members_count", INTEGER, "states expected"), _c("present_count", INTEGER),
        _c("absent_count", INTEGER), _c("unknown_count", INTEGER),
        _c("full_attendance", BOOLEAN, "every expected state stated present"),
        _c("agenda_items_known", INTEGER), _c("documents_known", INTEGER),
        _c("disputed", BOOLEAN), _c("notes"), _c("source_ids"),
        _c("number", INTEGER, "ordinal, when stated"),
        _c("guests_count", INTEGER, "non-member states attending as guest or observer"),
        _c("version", ref=("versions", "version"),
           note="dataset version that first published the session"),
    )),
    Table("attendance", ("session_id", "country"), (
        _c("session_id", ref=SESSION), _c("country", ref=COUNTRY),
        _c("status", note="`present`, `absent`, `unknown`"), _c("level"), _c("head_name"),
        _c("head_name_ru"), _c("date", DATE), _c("body", ref=BODY), _c("membership_status"),
        _c("source_ids"), _c("role"),
        _c("basis", note="how it is known: `stated`, `list`, `announced`; empty when unknown"),
        _c("position", note="what the head of delegation was, as the source says it, where the "
                            "level does not tell it all"),
    ), rows="one row per state expected at a session that was held (none for sessions not "
            "held), plus one per guest or observer state (`role` set)"),
    Table("agenda_items", ("item_id",), (
        _c("item_id"), _c("session_id", ref=SESSION), _c("title_en"), _c("title_ru"),
        _c("title_en_translated", BOOLEAN), _c("source_ids"),
    )),
    Table("documents", ("document_id",), (
        _c("document_id"), _c("session_id", ref=SESSION), _c("title_en"), _c("title_ru"),
        _c("doc_type"), _c("outcome"), _c("date", DATE), _c("title_en_translated", BOOLEAN),
        _c("source_ids"),
        _c("prior_document_id", ref=DOCUMENT, note="earlier step of the same text"),
        _c("first_document_id", ref=DOCUMENT,
           note="first step of its chain; equal to document_id when it has no prior"),
        _c("signatures_known", INTEGER, "states with a stated signature status"),
    )),
    Table("signatures", ("document_id", "country"), (
        _c("document_id", ref=DOCUMENT), _c("country", ref=COUNTRY),
        _c("status", note="`signed`, `not_signed`, `reservation`"), _c("source_ids"),
        _c("session_id", ref=SESSION), _c("note"),
    )),
    Table("countries", ("country",), (_c("country"), _c("name_en"), _c("name_ru"))),
    Table("bodies", ("body",), (
        _c("body"), _c("name_en"), _c("name_ru"), _c("short_en"), _c("short_ru"))),
    Table("memberships", ("country", "body", "start_date"), (
        _c("country", ref=COUNTRY), _c("status"), _c("start_date", DATE), _c("end_date", DATE),
        _c("event"), _c("source_ids"), _c("body", ref=BODY, note="empty = CIS-wide"),
        _c("as_of", DATE, "a day the status is stated to hold, when its start is not known"),
    )),
    Table("sources", ("source_id",), (
        _c("source_id"),
        _c("session_id", ref=SESSION, note="empty for membership and count sources"),
        _c("url"), _c("title"), _c("publisher"), _c("published", DATE), _c("language"),
        _c("participants", note="space-separated codes of the whole list of participants the "
                                "source gives, when it gives one"),
        _c("participants_level", note="the level that list gives every participant, when it "
                                      "does"),
    )),
    Table("counts", ("body", "as_of", "count"), (
        _c("body", ref=BODY), _c("as_of", DATE, "sessions up to and including this day"),
        _c("count", INTEGER), _c("what", note="what the source counts"), _c("source_ids"),
        _c("since", DATE, "first day counted, when the source counts from a later day than the "
                          "council's first session"),
    )),
    Table("versions", ("version",), (
        _c("version"), _c("released", DATE), _c("note"), _c("sessions_added", INTEGER))),
    Table("disputes", ("session_id", "field"), (
        _c("session_id", ref=SESSION), _c("field"), _c("note"), _c("source_ids"))),
    # The sessions table in long form, one row per fact and its sources (the session page).
    Table("facts", ("session_id", "field"), (
        _c("session_id", ref=SESSION), _c("field"), _c("value"), _c("source_ids")),
        exported=False),
)}

# Tables a user downloads, in the order of the dictionary and of the dataset zip.
EXPORT_TABLES = tuple(name for name, t in TABLES.items() if t.exported)
COLUMNS = {name: t.names for name, t in TABLES.items()}
DICTIONARY_BEGIN = "<!-- derived tables: generated from components/tables.py -->"
DICTIONARY_END = "<!-- end of derived tables -->"


def columns_of_type(table: str, type_: str) -> list[str]:
    return [c.name for c in TABLES[table].columns if c.type == type_]


def dictionary_rows() -> str:
    """The data dictionary's table of derived CSVs, as Markdown."""
    lines = ["| table | key | columns |", "| --- | --- | --- |"]
    for name in EXPORT_TABLES:
        t = TABLES[name]
        key = (f"`{t.key[0]}`" if len(t.key) == 1
               else "(" + ", ".join(f"`{k}`" for k in t.key) + ")")
        cols = ", ".join(f"{c.name} ({c.note})" if c.note else c.name for c in t.columns)
        lines.append(f"| `{name}.csv` | {key} | {cols}{'; ' + t.rows if t.rows else ''} |")
    return "\n".join(lines)


def with_dictionary(readme: str) -> str:
    """The data dictionary text with its generated section replaced by the current one."""
    head, rest = readme.split(DICTIONARY_BEGIN, 1)
    _, tail = rest.split(DICTIONARY_END, 1)
    return f"{head}{DICTIONARY_BEGIN}\n{dictionary_rows()}\n{DICTIONARY_END}{tail}"
