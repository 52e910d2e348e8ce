"""The dashboard as a place to work from, in a real Chromium: Russian interface, clicks that
filter, session and country pages, who signed what, exports, links that last, phone
screens and embedding, text alternatives and keyboard order. Each test fails without the
feature it names."""

import io
import json
import re
import zipfile

import pandas as pd
import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from components import country_page, signatures_matrix
from components.downloads import csv_bytes
from components.filters import apply
from components.state import ViewState
from tests.browser.conftest import query, screenshot, settle, wait_query, wait_ready

pytestmark = pytest.mark.browser


def in_view(page) -> int:
    text = page.get_by_text(re.compile(r"(\d+) sessions? in view|Заседаний в выборке: (\d+)")).first
    m = re.search(r"(\d+)", text.inner_text())
    return int(m.group(1))


def svg_texts(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.textContent)")


def plot_data(page, index: int = 0) -> list[dict]:
    return page.evaluate(
        f"""() => document.querySelectorAll('.js-plotly-plot')[{index}].data.map(t => ({{
              name: t.name, type: t.type, locations: t.locations || null,
              customdata: t.customdata || null}}))""")


def download(page, name_pattern) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name=name_pattern).click()
    d = info.value
    return d.suggested_filename, open(d.path(), "rb").read()


# 1. Bilingual -----------------------------------------------------------------------

def test_russian_interface_and_language_switch(page, app_url, real):
    ds, _ = real
    page.goto(f"{app_url}/?lang=ru")
    wait_ready(page)
    expect(page.get_by_role("heading", name="Заседания министерских советов СНГ")).to_be_visible()
    expect(page.get_by_role("radio", name="Хронология")).to_be_checked()
    page.wait_for_selector(".js-plotly-plot .ytick text", timeout=30_000)
    ticks = svg_texts(page, ".js-plotly-plot .ytick text")
    assert {"СМИД", "СМО"} <= set(ticks)  # council names from the data, in Russian
    assert in_view(page) == len(ds.sessions)
    page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
    wait_query(page, "lang", None)
    expect(page.get_by_role("heading", name="CIS ministerial meetings")).to_be_visible()
    page.locator("[data-testid=stSidebar]").get_by_text("Русский", exact=True).click()
    wait_query(page, "lang", "ru")
    expect(page.get_by_role("radio", name="Карта")).to_be_visible()


def test_search_finds_cyrillic_and_latin_spellings(page, app_url, real):
    ds, vocab = real
    expected = len(apply(ViewState(q="Лавров"), ds, vocab).sessions)
    assert expected > 0
    assert expected == len(apply(ViewState(q="Lavrov"), ds, vocab).sessions)
    for q in ("Лавров", "Lavrov"):
        page.goto(f"{app_url}/?q={q}")
        wait_ready(page)
        assert in_view(page) == expected, q


# 2. Cross-filtering ------------------------------------------------------------------

def test_tapping_a_state_on_the_map_shows_it_then_filters_and_its_chip_removes_it(page, app_url):
    page.goto(f"{app_url}/?tab=map")
    wait_ready(page)
    page.wait_for_selector(".choroplethlocation", timeout=30_000)
    traces = plot_data(page)
    ti = next(i for i, t in enumerate(traces) if t["locations"] and "KAZ" in t["locations"])
    li = traces[ti]["locations"].index("KAZ")
    box = page.evaluate(
        f"""() => {{ const p = document.querySelectorAll('.choroplethlayer .trace')[{ti}]
                        .querySelectorAll('.choroplethlocation')[{li}];
                   const r = p.getBoundingClientRect();
                   return {{x: r.x + r.width / 2, y: r.y + r.height / 2}}; }}""")
    page.mouse.click(box["x"], box["y"])
    # A tap shows the state first (a tap on a small neighbour must not filter by itself)...
    expect(page.get_by_text(re.compile(r"^Kazakhstan: "))).to_be_visible(timeout=15_000)
    assert "country" not in query(page)
    # ...and its button filters every view to it.
    page.get_by_role("button", name="Filter every view to Kazakhstan").click()
    wait_query(page, "country", "KAZ")
    chip = page.get_by_role("button", name="✕ Kazakhstan")
    expect(chip).to_be_visible()
    assert query(page)["tab"] == ["map"]
    chip.click()
    wait_query(page, "country", None)


def test_clicking_a_session_on_the_timeline_opens_its_page(page, app_url, real):
    ds, _ = real
    page.goto(f"{app_url}/?body=cfm&from=2025&to=2025")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot .scatterlayer .point", timeout=30_000)
    ids = plot_data(page)[0]["customdata"]
    point = page.locator(".js-plotly-plot").first.locator(".scatterlayer .point").first
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_query(page, "session", ids[0][0])
    assert query(page)["tab"] == ["sessions"]
    expect(page.get_by_role("button", name="← All sessions")).to_be_visible()


# 3. Session page ---------------------------------------------------------------------

def test_session_page_has_its_map_and_walks_to_the_previous_session(page, app_url, real):
    ds, _ = real
    page.goto(f"{app_url}/?tab=sessions&session=cfm-2025-04-11")
    wait_ready(page)
    expect(page.get_by_role("heading", name=re.compile("Almaty"))).to_be_visible()
    page.wait_for_selector(".choroplethlocation", timeout=30_000)
    assert page.locator(".choroplethlocation").count() == 12
    expect(page.get_by_text("Some facts of this session are disputed between sources:")).to_be_visible()
    page.get_by_role("button", name=re.compile("^← Previous: 7 Oct 2024 · Moscow")).click()
    wait_query(page, "session", "cfm-2024-10-07")
    expect(page.get_by_role("heading", name=re.compile("Moscow"))).to_be_visible()


def test_session_page_says_how_each_seat_is_known(page, app_url, real):
    """Almaty, 11 April 2025: Moldova's absence is stated (the seed article), Ukraine's
    follows from the list of participants Kazinform gives; the map's hover text and the
    attendance table in the browser say which, with the publisher."""
    page.goto(f"{app_url}/?tab=sessions&session=cfm-2025-04-11")
    wait_ready(page)
    page.wait_for_selector(".choroplethlocation", timeout=30_000)
    texts = page.evaluate(
        """() => { const gd = document.querySelector('.js-plotly-plot');
                   const out = {};
                   gd.data.forEach(t => (t.locations || []).forEach((c, i) => {
                       out[c] = (t.text || [])[i] || ''; }));
                   return out; }""")
    assert "absent (stated by AnewZ" in texts["MDA"] or "absent (stated by anewz" in texts["MDA"]
    assert "absent (not among the participants listed by Yeni Şafak" in texts["UKR"]
    legend = page.locator(".legendtext").evaluate_all("els => els.map(e => e.textContent)")
    assert any(x == "absent (stated: 1; from a list of participants: 1)" for x in legend)
    # The session's attendance table, as shown and as downloaded, keeps the basis code.
    name, got = download(page, re.compile(r"^Download attendance as CSV"))
    rows = pd.read_csv(io.BytesIO(got), encoding="utf-8-sig", keep_default_na=False)
    by = rows.set_index("country")
    assert (by.at["MDA", "status"], by.at["MDA", "basis"]) == ("absent", "stated")
    assert (by.at["UKR", "status"], by.at["UKR", "basis"]) == ("absent", "list")


# 4. Country page ---------------------------------------------------------------------

def test_country_pages_side_by_side_with_their_numbers(page, app_url, real):
    ds, vocab = real
    page.goto(f"{app_url}/?tab=countries&country=ARM&country=KAZ")
    wait_ready(page)
    expect(page.get_by_role("heading", name="Comparing 2 states")).to_be_visible()
    # Each country page draws its own chart, after the views' charts: wait for both titles.
    both = """() => { const ts = [...document.querySelectorAll('.js-plotly-plot .gtitle')]
                           .map(e => e.textContent);
                      return ['Armenia', 'Kazakhstan'].every(
                          n => ts.some(t => t.startsWith(n + ' · sessions per year'))); }"""
    settle(page, both, timeout=30_000)
    titles = svg_texts(page, ".js-plotly-plot .gtitle")
    assert any(t.startswith("Armenia · sessions per year") for t in titles), titles
    assert any(t.startswith("Kazakhstan · sessions per year") for t in titles), titles
    state = ViewState(tab="countries", countries=("ARM", "KAZ"))
    f = apply(state, ds, vocab)
    expected = country_page.compare_table(f.sessions, f.attendance, ds, state.countries)
    name, got = download(page, "Download country summary as CSV (2 rows)")
    assert got == csv_bytes(expected)
    rows = pd.read_csv(io.BytesIO(got), encoding="utf-8-sig")
    assert list(rows["country"]) == ["ARM", "KAZ"]


# 5. Who signed what ------------------------------------------------------------------

def test_signature_matrix_and_affinity_download_what_is_shown(page, app_url, real):
    ds, vocab = real
    page.goto(f"{app_url}/?tab=signatures&body=cfm")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot .heatmaplayer", timeout=30_000)
    f = apply(ViewState(tab="signatures", bodies=("cfm",)), ds, vocab)
    frame = signatures_matrix.matrix_frame(f.documents, ds, f.countries)
    assert (frame["status"] == "not_signed").any()  # Armenia, October 2024
    _, got = download(page, re.compile(r"^Download signature matrix as CSV"))
    assert got == csv_bytes(frame)
    _, aff = download(page, re.compile(r"^Download affinity as CSV"))
    table = pd.read_csv(io.BytesIO(aff), encoding="utf-8-sig")
    assert len(table) == 12 * 11 // 2


# 6. Exports --------------------------------------------------------------------------

def test_calendar_of_the_sessions_in_view_and_datapackage_in_the_zip(page, app_url, real):
    ds, vocab = real
    page.goto(f"{app_url}/?body=cfm&from=2024&to=2025")
    wait_ready(page)
    name, ics = download(page, "Download these sessions as a calendar (.ics)")
    assert name.endswith(".ics")
    events = [c for c in Calendar.from_ical(ics).walk("VEVENT")]
    f = apply(ViewState(bodies=("cfm",), year_from=2024, year_to=2025), ds, vocab)
    assert sorted(str(e["UID"]).split("@")[0] for e in events) == sorted(f.sessions["session_id"])
    _, data = download(page, re.compile("^Download the whole dataset"))
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        package = json.loads(zf.read("datapackage.json"))
        names = set(zf.namelist())
    assert {r["path"] for r in package["resources"]} <= names
    assert {"sessions.csv", "signatures.csv", "memberships.csv"} <= names


# 7. Links that last ------------------------------------------------------------------

def test_old_parameter_names_still_open_the_same_view(page, app_url):
    page.goto(f"{app_url}/?view=docs&countries=KAZ&year_from=2020")
    wait_ready(page)
    expect(page.get_by_role("radio", name="Documents")).to_be_checked()
    wait_query(page, "tab", "documents")
    wait_query(page, "view", None)
    q = query(page)
    assert q["tab"] == ["documents"] and q["country"] == ["KAZ"] and q["from"] == ["2020"]
    assert "view" not in q and "countries" not in q


def test_a_pinned_version_hides_later_sessions_until_asked(page, app_url, real):
    ds, _ = real
    first = int((ds.sessions["version"] == "1").sum())
    assert 0 < first < len(ds.sessions)
    page.goto(f"{app_url}/?v=1")
    wait_ready(page)
    expect(page.get_by_text(re.compile("as of version 1"))).to_be_visible()
    assert in_view(page) == first
    assert query(page)["v"] == ["1"]
    page.get_by_role("button", name="Show the current data").click()
    wait_query(page, "v", ds.current_version)
    assert in_view(page) == len(ds.sessions)
    expect(page.get_by_text(re.compile(f"Version {ds.current_version}, updated"))).to_be_visible()


# 8. Embedding and small screens ------------------------------------------------------

def test_phone_width_is_usable_and_embed_gives_a_clean_view(phone, app_url):
    phone.goto(f"{app_url}/?tab=sessions&session=cfm-2025-04-11&embed=true")
    wait_ready(phone)
    expect(phone.get_by_role("heading", name=re.compile("Almaty"))).to_be_visible()
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"
    # Streamlit's embedding switch reaches the page and stays in the link; it is not
    # reported as an unknown parameter.
    assert phone.locator(".stApp.streamlit-embedded").count() == 1
    assert query(phone)["embed"] == ["true"]
    assert "unknown link parameter" not in " ".join(
        phone.locator("[data-testid=stAlert]").all_inner_texts())
    shot = screenshot(phone, "phone-session-page.png")
    from PIL import Image
    with Image.open(shot) as img:
        assert img.width == 390 * 2  # device pixels: the layout did not overflow
    phone.goto(f"{app_url}/?tab=countries&country=KAZ")
    wait_ready(phone)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    screenshot(phone, "phone-country-page.png")


# 9. Accessibility --------------------------------------------------------------------

def test_every_chart_has_a_text_alternative_and_its_numbers(page, app_url):
    page.goto(f"{app_url}/?tab=timeline")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot >> nth=1", timeout=30_000)
    charts = page.locator(".js-plotly-plot").count()
    assert charts == 2
    expanders = page.get_by_text("The numbers behind this chart")
    assert expanders.count() == charts
    expanders.first.click()
    expect(page.locator("[data-testid=stExpander] [data-testid=stDataFrame]").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Timeline of sessions by council\. "))).to_be_visible()


def test_keyboard_reaches_the_filters_before_the_views(page, app_url):
    page.goto(app_url)
    wait_ready(page)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    seen = []
    for _ in range(90):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(
            """() => { const e = document.activeElement;
                       const label = e.getAttribute('aria-label') || e.innerText || e.value || '';
                       return (e.tagName + ' ' + label).trim().slice(0, 60); }"""))
    text = " | ".join(seen)

    def first(key: str, after: int = -1) -> int:
        return next(i for i, s in enumerate(seen) if i > after and key in s)

    # Skip link, then the sidebar top to bottom (language, councils, years, states, search,
    # reset, download), then the view switcher, the chart's table, the calendar download.
    skip = first("Skip to main content")
    language = first("INPUT", skip)
    councils = first("Councils", language)
    years = first("Years — start", councils)
    states = first("Member states", years)
    levels = first("Delegation level", states)
    search = first("Search titles", levels)
    reset = first("Reset all filters", search)
    views = first("INPUT", reset)
    numbers = first("The numbers behind this chart", views)
    calendar = first("calendar (.ics)", numbers)
    assert (skip < language < councils < years < states < levels < search < reset < views
            < numbers < calendar), text


def test_each_chart_downloads_as_png_and_svg_without_the_network(page, app_url):
    """The camera in a chart's toolbar saves it as drawn, by plotly.js in the browser (the
    page may ask no host but its own: the fixture fails the test otherwise), under the
    view's file name; the sidebar switches the format between PNG and SVG."""
    page.goto(f"{app_url}/?tab=map&session=cfm-2025-04-11")
    wait_ready(page)
    page.wait_for_selector(".choroplethlocation", timeout=30_000)

    def camera() -> tuple[str, bytes]:
        page.locator(".js-plotly-plot").first.hover()
        with page.expect_download() as info:
            page.locator(".js-plotly-plot .modebar-btn[data-title^='Download plot']").first.click()
        d = info.value
        return d.suggested_filename, open(d.path(), "rb").read()

    name, png = camera()
    assert name == "cis_map_all-councils_1991-2026_cfm-2025-04-11.png"
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    page.locator("[data-testid=stSidebar]").get_by_text("SVG", exact=True).click()
    page.wait_for_timeout(500)
    wait_ready(page)
    name, svg = camera()
    assert name == "cis_map_all-councils_1991-2026_cfm-2025-04-11.svg"
    assert svg.lstrip().startswith(b"<svg")
    assert svg.count(b"choroplethlocation") == 12  # one shape per state, base map included
