"""Real Chromium against the running app: map drawn offline, links restore the view, the
downloaded CSV holds exactly the filtered rows, and no request leaves localhost."""

import io
from urllib.parse import urlparse

import pandas as pd
import pytest
from playwright.sync_api import expect

from components import attendance_map
from components.dataset import load_dataset
from components.downloads import csv_bytes
from components.filters import apply, vocabulary
from components.sessions import sessions_table
from components.state import from_query
from tests.browser.conftest import wait_ready
from tests.conftest import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def real():
    ds = load_dataset(ROOT / "data")
    return ds, vocabulary(ds)


def test_map_draws_one_shape_per_state_offline(page, app_url, real):
    ds, _ = real
    session = ds.sessions[ds.sessions["status"] == "held"].iloc[-1]["session_id"]
    page.goto(f"{app_url}/?tab=map&session={session}")
    wait_ready(page)
    page.wait_for_selector(".choroplethlocation", timeout=30_000)
    shapes = page.locator(".choroplethlocation")
    assert shapes.count() == len(ds.countries) == 12
    # The base layer came from the app itself: the land is drawn (no CDN topojson).
    assert page.locator(".geo .layer.bg path, .geo .land, path.land").count() >= 1
    legend = page.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)")
    # The legend counts the seats drawn by how they are known, as the figure builder does.
    frame = attendance_map.session_frame(ds, session, tuple(ds.countries["country"]))
    expected = [tr.name for tr in attendance_map.build_session_map(frame, "t").data]
    assert legend == expected
    assert any(x.startswith("present (") and "stated" in x for x in legend)


def test_rate_map_and_url_follows_clicks(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    assert "tab=" not in page.url  # the default view keeps the link clean (only v=)
    page.get_by_text("Map", exact=True).click()
    page.wait_for_selector(".choroplethlocation", timeout=30_000)
    assert page.locator(".choroplethlocation").count() == 12
    page.wait_for_function("() => location.search.includes('tab=map')", timeout=10_000)


def test_share_link_restores_filters_and_csv_has_exactly_the_rows(page, app_url, real):
    ds, vocab = real
    query = "tab=sessions&country=MDA&country=RUS&from=2020&to=2025"
    page.goto(f"{app_url}/?{query}")
    wait_ready(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar.get_by_text("Moldova (MDA)")).to_be_visible()
    expect(sidebar.get_by_text("Russia (RUS)")).to_be_visible()
    expect(sidebar.locator("[data-testid=stSliderThumbValue]")).to_have_text(["2020", "2025"])
    page.wait_for_function("() => location.search.includes('v=')", timeout=15_000)
    for key in ("country=MDA", "country=RUS", "from=2020", "to=2025", "tab=sessions"):
        assert key in page.url

    state, notices = from_query({"tab": ["sessions"], "country": ["MDA", "RUS"],
                                 "from": ["2020"], "to": ["2025"]}, vocab)
    assert notices == []
    f = apply(state, ds, vocab)
    expected = sessions_table(f.sessions, f.attendance, ds, state.countries)
    assert len(expected) > 0

    button = page.get_by_role("button", name=f"Download sessions as CSV ({len(expected)} rows)")
    with page.expect_download() as info:
        button.click()
    download = info.value
    assert download.suggested_filename == "cis_sessions_all-councils_2020-2025_MDA-RUS.csv"
    got = open(download.path(), "rb").read()
    assert got == csv_bytes(expected)
    rows = pd.read_csv(io.BytesIO(got), encoding="utf-8-sig")
    assert list(rows["session_id"]) == list(expected["session_id"])
    assert rows["date"].between("2020-01-01", "2025-12-31").all()
    assert {"attendance_MDA", "attendance_RUS"} <= set(rows.columns)


def test_malformed_link_shows_notice_and_defaults(page, app_url):
    page.goto(f"{app_url}/?tab=charts&country=ZZZ&from=soon")
    wait_ready(page)
    alerts = " ".join(page.locator("[data-testid=stAlert]").all_inner_texts())
    assert "charts" in alerts and "ZZZ" in alerts and "soon" in alerts
    expect(page.get_by_role("radio", name="Timeline")).to_be_checked()
    # The bad parameters were dropped from the link; only the dataset version is written.
    ds = load_dataset(ROOT / "data")
    assert urlparse(page.url).query == f"v={ds.current_version}"
