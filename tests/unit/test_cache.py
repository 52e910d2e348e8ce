"""The face's per-process memo of figures and tables: built once per view, bounded, and never
handing a user's rerun the kept table itself."""

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components import timeline
from components.ui import cache
from tests.conftest import GOOD, ROOT


@pytest.fixture(autouse=True)
def empty_memo():
    cache._memo.clear()
    yield
    cache._memo.clear()


def test_a_value_is_built_once_per_key():
    calls = []

    def build():
        calls.append(1)
        return "figure"

    assert cache.memo("chart x", (1, "en"), build) == "figure"
    assert cache.memo("chart x", (1, "en"), build) == "figure"
    assert len(calls) == 1
    cache.memo("chart x", (1, "ru"), build)  # another language, another figure
    assert len(calls) == 2


def test_a_kept_table_is_never_handed_out_itself():
    kept = pd.DataFrame({"a": [1, 2]})
    first = cache.memo("table", (1,), lambda: kept)
    second = cache.memo("table", (1,), lambda: kept)
    assert first is not kept and second is not kept and first is not second
    first.loc[0, "a"] = 99           # a user's rerun changing its copy...
    first["b"] = 1
    assert list(kept["a"]) == [1, 2] and "b" not in kept  # ...never reaches the kept table
    assert list(cache.memo("table", (1,), lambda: None)["a"]) == [1, 2]


def test_the_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(cache, "MEMO_SIZE", 3)
    for i in range(5):
        cache.memo("k", (i,), lambda i=i: i)
    assert [k[1] for k in cache._memo] == [2, 3, 4]  # the oldest went first


def test_a_rerun_that_changes_no_data_builds_no_figure(monkeypatch):
    """The default view, run, then rerun as pressing R does: the timeline and the strip are
    built once; a change of filter builds them again."""
    built = []
    real_timeline, real_strip = timeline.build_timeline, timeline.build_attendance_strip
    monkeypatch.setattr(timeline, "build_timeline",
                        lambda *a, **k: built.append("timeline") or real_timeline(*a, **k))
    monkeypatch.setattr(timeline, "build_attendance_strip",
                        lambda *a, **k: built.append("strip") or real_strip(*a, **k))
    monkeypatch.setenv("CIS_DATA_DIR", str(GOOD))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception and sorted(built) == ["strip", "timeline"]
    at.run()
    at.run()
    assert sorted(built) == ["strip", "timeline"]
    at.slider(key="w_years").set_value((2025, 2025)).run()
    assert sorted(built) == ["strip", "strip", "timeline", "timeline"]
