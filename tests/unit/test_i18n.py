"""Every label the interface shows has a Russian translation: the literal ones passed to t()
in the code, the ones chosen from tables of codes, and every column header of every table."""

import datetime as dt
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file

from components import (
    attendance_map,
    country_page,
    coverage,
    documents,
    numbering,
    participation,
    schema,
    sessions,
    signatures_matrix,
    timeline,
)
from components.dataset import COLUMNS
from components.filters import apply, vocabulary
from components.i18n import catalogue, long_date, pick_marked, plurals, t, tn
from components.palette import GRID_CATEGORIES, STATUS_LABELS
from components.state import ViewState
from components.ui import TAB_LABELS
from tests.conftest import ROOT


def _extracted():
    for path in sorted((ROOT / "components").rglob("*.py")):
        yield from (msg for _, msg, _, _ in extract_from_file(
            "python", str(path), keywords={"t": None, "tn": (1, 2)}))


def literal_labels() -> set[str]:
    return {msg for msg in _extracted() if isinstance(msg, str)}


def counted_labels() -> set[tuple[str, str]]:
    return {tuple(msg) for msg in _extracted() if isinstance(msg, tuple)}


def coded_labels() -> set[str]:
    labels = set(TAB_LABELS.values()) | {label for _, label in STATUS_LABELS}
    labels |= {c for c, _ in GRID_CATEGORIES} | {label for _, label in coverage.FIELDS}
    labels |= set(attendance_map.LEVEL_LABELS.values()) | set(attendance_map.CATEGORY_LABELS.values())
    labels |= {s.replace("_", " ") for s in schema.SESSION_STATUSES + schema.MEMBERSHIP_STATUSES}
    labels |= set(schema.FORMATS) | set(schema.DOC_TYPES) | {"type not stated", "none"}
    labels.add(attendance_map.BORDERS_CAPTION_EN)
    from components import labels as words
    for name in ("ATTENDANCE", "LEVELS", "BASES", "ROLES", "SESSION_STATUSES", "FORMATS",
                 "MEMBERSHIP", "SIGNATURES", "OUTCOMES", "DOC_TYPES", "ESTIMATES", "FACTS",
                 "CATEGORIES", "TABS"):
        labels |= set(getattr(words, name).values())
    from components.sessions import MATCH_KINDS
    labels |= set(MATCH_KINDS.values())
    return labels


def column_labels(ds_councils) -> set[str]:
    ds = ds_councils
    f = apply(ViewState(), ds, vocabulary(ds))
    cols = set().union(*COLUMNS.values())
    frames = [
        sessions.sessions_table(f.sessions, f.attendance, ds),
        documents.documents_table(f.documents, f.sessions, ds).assign(title=""),
        documents.trails(f.documents, ds), documents.signatures_table(f.documents, ds, f.countries),
        documents.type_counts(f.documents), coverage.coverage_table(f.sessions, f.attendance),
        country_page.compare_table(f.sessions, f.attendance, ds, ("RUS",)),
        country_page.participation_by_year(f.sessions, f.attendance, "RUS"),
        country_page.levels_table(f.attendance, f.sessions, "RUS"),
        country_page.chaired_hosted(f.sessions, "RUS"),
        country_page.signatures_of(ds.signatures, f.documents, "AZE"),
        participation.participation_table(f.attendance, ds, f.countries),
        participation.grid_frame(f.sessions, ds, f.countries),
        attendance_map.session_frame(ds, "cfm-2025-04-11", f.countries),
        attendance_map.rate_frame(f.attendance, ds, f.countries),
        signatures_matrix.matrix_frame(f.documents, ds, f.countries),
        signatures_matrix.affinity_frame(f.attendance, ds.signatures, f.countries),
        timeline.timeline_table(f.sessions),
        *sessions.detail(ds, "cfm-2025-04-11").values(),
        country_page.absences_table(f.attendance, f.sessions, ds, "MDA"),
        numbering.summary(ds.sessions, ds.counts, ds.facts),
        numbering.gaps(ds.sessions, ds.counts, ds.facts),
        ds.memberships,
    ]
    for frame in frames:
        cols |= set(frame.columns)
    return cols | {"attendance"}


def test_every_label_has_a_russian_translation(ds_councils):
    ru = catalogue("ru")
    for group, labels in (("literal", literal_labels()), ("coded", coded_labels()),
                          ("column", column_labels(ds_councils))):
        missing = sorted(x for x in labels if not ru.get(x))
        assert not missing, f"{group} labels without Russian: {missing}"


def test_every_counted_label_has_three_russian_forms():
    """Russian counts take one of three forms (1 заседание, 2 заседания, 5 заседаний)."""
    ru = plurals("ru")
    missing = sorted(m for m in counted_labels() if len([f for f in ru.get(m, ()) if f]) != 3)
    assert not missing, f"counted labels without three Russian forms: {missing}"


@pytest.mark.parametrize("n,en,ru", [
    (1, "1 session", "1 заседание"), (2, "2 sessions", "2 заседания"),
    (5, "5 sessions", "5 заседаний"), (11, "11 sessions", "11 заседаний"),
    (21, "21 sessions", "21 заседание"), (22, "22 sessions", "22 заседания"),
    (25, "25 sessions", "25 заседаний"), (111, "111 sessions", "111 заседаний")])
def test_counted_nouns_agree_with_the_number(n, en, ru):
    assert tn("{n} session", "{n} sessions", n, "en") == en
    assert tn("{n} session", "{n} sessions", n, "ru") == ru
    rows_en = tn("{n} row", "{n} rows", n, "en")
    assert rows_en == (f"{n} row" if n == 1 else f"{n} rows")


def test_placeholders_survive_translation():
    import re
    for msgid, text in catalogue("ru").items():
        assert set(re.findall(r"{(\w+)", msgid)) == set(re.findall(r"{(\w+)", text)), msgid


def test_translation_dates_and_fallback_marker():
    assert t("Map", "ru") == "Карта" and t("Map", "en") == "Map"
    assert t("a label nobody translated", "ru") == "a label nobody translated"
    assert long_date(dt.date(2025, 4, 11), "ru").startswith("11 апреля 2025")
    assert long_date(dt.date(2025, 4, 11), "en") == "11 April 2025"
    assert pick_marked("Statement", None, "ru") == "[EN] Statement"
    assert pick_marked("Statement", "Заявление", "ru") == "Заявление"
    assert pick_marked(None, "Заявление", "en") == "[RU] Заявление"


def test_catalogues_are_utf8_po_files():
    files = sorted(Path(ROOT / "components" / "locales" / "ru").glob("*.po"))
    assert [f.name for f in files] == ["signatures.po", "ui.po"]
    for f in files:
        assert 'charset=utf-8' in f.read_text(encoding="utf-8").lower()
