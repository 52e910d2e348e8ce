"""Ten times the real dataset (bench/make_synthetic.py, in a temporary folder): the timeline
and the attendance bars group sessions by council and year, and a click on a group zooms into
that council and year, where sessions are drawn one by one again."""

import subprocess
import sys

import pytest
from playwright.sync_api import expect

from components import timeline
from components.dataset import load_dataset
from components.filters import apply, vocabulary
from components.state import ViewState
from tests.browser.conftest import served, wait_ready
from tests.browser.test_depth import in_view, plot_data, query, wait_query
from tests.conftest import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    out = tmp_path_factory.mktemp("x10") / "data"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_synthetic.py"), "10", str(out)],
                   check=True, capture_output=True)
    ds = load_dataset(out)
    with served(out, timeout=120) as url:
        yield url, ds, vocabulary(ds)


def test_a_large_view_is_grouped_and_a_click_zooms_into_a_council_and_year(page, scaled):
    url, ds, vocab = scaled
    assert timeline.timeline_grouped(ds.sessions) and timeline.bars_grouped(ds.sessions)
    page.goto(url)
    wait_ready(page, timeout=60_000)
    expect(page.get_by_text("sessions, grouped by council and year")).to_be_visible()
    expect(page.get_by_text("Delegations per council and year")).to_be_visible()
    assert in_view(page) == len(ds.sessions)
    # One mark per council and year; marker sizes are session counts, so every session is
    # in exactly one group.
    marks, total = page.evaluate("""() => {
        const gd = document.querySelectorAll('.js-plotly-plot')[0];
        return [gd.calcdata.reduce((n, cd) => n + cd.length, 0),
                gd._fullData.reduce((n, t) => n + Array.from(t.marker.size)
                                                     .reduce((a, b) => a + b, 0), 0)]; }""")
    assert marks == len(timeline.sessions_by_year(ds.sessions))
    assert total == len(ds.sessions)

    body, year = timeline.parse_group_key(plot_data(page)[0]["customdata"][-1][0])
    points = page.locator(".js-plotly-plot").first.locator(".scatterlayer .trace").first \
        .locator(".point")
    box = points.last.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_query(page, "body", body)
    assert query(page).get("from") == [str(year)]
    expected = apply(ViewState(bodies=(body,), year_from=year, year_to=year), ds, vocab)
    wait_ready(page, timeout=60_000)
    expect(page.get_by_text(f"{len(expected.sessions)} sessions in view")).to_be_visible()
    assert not timeline.timeline_grouped(expected.sessions)
    ids = {c[0] for t in plot_data(page) for c in t["customdata"]}
    assert ids == set(expected.sessions["session_id"])  # one mark per session again
