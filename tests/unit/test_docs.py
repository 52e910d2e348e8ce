"""Contracts are documented: every link parameter in the README, every column and field in
the data dictionary (a new one without documentation fails here)."""

import re

from components.dataset import COLUMNS, EXPORT_TABLES
from components.schema import FACT_FIELDS, Session
from components.state import PARAMS, TABS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DICTIONARY = (ROOT / "data" / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    block = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    commands = [ln.split("#")[0].strip() for ln in block.splitlines() if ln.strip()]
    assert commands == ["make run", "make test"]


def test_every_link_parameter_and_tab_is_documented():
    for name in PARAMS:
        assert f"`{name}`" in README, name
    for tab in TABS:
        assert f"`{tab}`" in README, tab


def test_every_exported_column_is_in_the_dictionary():
    for table in EXPORT_TABLES:
        row = re.search(rf"^\| `{table}.csv` \|.*$", DICTIONARY, re.M)
        assert row, table
        for col in COLUMNS[table]:
            assert re.search(rf"\b{col}\b", row.group(0)), f"{table}.{col}"


def test_the_dictionary_tables_are_generated_from_the_specs():
    """data/README.md's derived tables are written by `python -m components dictionary`:
    a column added to a spec and not to the dictionary fails here."""
    from components.tables import with_dictionary
    assert with_dictionary(DICTIONARY) == DICTIONARY, \
        "stale: run `python -m components dictionary`"


def test_every_session_field_is_in_the_dictionary():
    for field in Session.model_fields:
        assert f"`{field}" in DICTIONARY, field
    for fact in FACT_FIELDS:
        assert f"`{fact}`" in DICTIONARY, fact


def test_only_the_face_imports_streamlit():
    """Builders stay pure and testable: streamlit is imported only under components/ui/."""
    import ast
    offenders = []
    for path in sorted((ROOT / "components").rglob("*.py")):
        if "ui" in path.relative_to(ROOT / "components").parts[:1]:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, offenders
