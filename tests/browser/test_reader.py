"""What a reader sees, in a real Chromium (issue "What a reader sees"): screens that say only
what is true, real links to every source, words instead of codes, a citation of every view,
counted words in the right form in both languages, rates that show how much is known,
levels that mean what they say, things that open by clicking, and a phone that reads well.
Each test names the reader's task it checks."""

import io
import re
import zipfile
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import query, screenshot, settle, wait_query, wait_ready

pytestmark = pytest.mark.browser


def download(page, name_pattern) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("button", name=name_pattern).first.click()
    d = info.value
    return d.suggested_filename, open(d.path(), "rb").read()


def svg_texts(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("els => els.map(e => e.textContent)")


def trace_texts(page, index: int = 0) -> dict[str, str]:
    """Hover text of every state on a choropleth, as the browser holds it."""
    return page.evaluate(
        f"""() => {{ const gd = document.querySelectorAll('.js-plotly-plot')[{index}];
                    const out = {{}};
                    gd.data.forEach(t => (t.locations || []).forEach((c, i) => {{
                        const cd = (t.customdata || [])[i];
                        out[c] = ((t.text || [])[i] || '') + ' ' + (cd ? cd.join(' ') : ''); }}));
                    return out; }}""")


# 1. A session not held has no attendance -------------------------------------------------

@pytest.mark.parametrize("session", ["cfm-2014-03-12", "cfm-2020-10-15", "cfm-2022-04-08"])
def test_a_session_not_held_is_said_so_never_mapped(page, app_url, session):
    page.goto(f"{app_url}/?tab=map&session={session}")
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"^This session was not held"))).to_be_visible()
    assert page.locator(".choroplethlocation").count() == 0
    page.goto(f"{app_url}/?tab=sessions&session={session}")
    wait_ready(page)
    expect(page.get_by_text(re.compile(r"^This session was not held"))).to_be_visible()
    assert page.locator(".choroplethlocation").count() == 0


# 2. Sources are real links; tables read as words ----------------------------------------

def test_session_page_facts_name_their_sources_as_real_links(page, app_url, real):
    ds, _ = real
    page.goto(f"{app_url}/?tab=sessions&session=cfm-2025-04-11")
    wait_ready(page)
    links = page.locator("a[href^='http']").evaluate_all(
        "els => els.map(a => [a.href, a.target, a.textContent])")
    urls = {h for h, _, _ in links}
    expected = set(ds.sources.loc[ds.sources["session_id"] == "cfm-2025-04-11", "url"])
    assert expected <= urls, expected - urls
    assert all(target == "_blank" for h, target, _ in links if h in expected)
    # Key facts in words, each naming the sources that state it.
    host = page.locator("li").filter(has_text=re.compile(r"^Host: Kazakhstan"))
    expect(host).to_have_count(1)
    assert {a for a in host.locator("a").all_inner_texts()} == {"The Astana Times", "Kazinform"}
    # The sources tab lists each with publisher, date and language.
    page.get_by_role("tab", name="Sources and notes").click()
    expect(page.get_by_text(re.compile(r"— AnewZ, en$"))).to_be_visible()
    body = page.locator("[data-testid=stMain]").inner_text()
    assert "None" not in body and "host_country" not in body


# 3. Cite this view ------------------------------------------------------------------------

def test_every_view_has_a_citation_whose_link_reopens_it(page, app_url, real):
    ds, _ = real
    view = "tab=documents&body=cfm&from=2016&to=2019&q=terror"
    page.goto(f"{app_url}/?{view}")
    wait_ready(page)
    version = ds.versions["version"].iloc[-1]
    cite = page.get_by_text(re.compile(r"^Cite this view: ")).inner_text()
    assert f"Dataset version {version}" in cite
    assert "Documents · Foreign Ministers · 2016–2019 · “terror”" in cite
    # Copyable boxes (link, citation, BibTeX) open on demand.
    page.get_by_text("Copy the link to this view, the citation or BibTeX").click()
    expect(page.locator("[data-testid=stCode]").first).to_contain_text("http")
    codes = page.locator("[data-testid=stCode]").all_inner_texts()
    link = next(c.strip() for c in codes if c.strip().startswith("http"))
    assert parse_qs(urlparse(link).query) == {**parse_qs(view), "v": [version]}
    assert any(c.strip().startswith("@misc{cis-meetings-") for c in codes)
    assert any("Dataset version" in c for c in codes)
    # The link, opened, is the same view.
    page.goto(link)
    wait_ready(page)
    assert query(page) == {**parse_qs(view), "v": [version]}
    # The dataset zip carries a CITATION.cff.
    name, data = download(page, re.compile(r"^Download the whole dataset"))
    cff = zipfile.ZipFile(io.BytesIO(data)).read("CITATION.cff").decode()
    assert f'version: "{version}"' in cff and "cff-version: 1.2.0" in cff


# 4. Counted words ---------------------------------------------------------------------------

@pytest.mark.parametrize("lang,query_,expected", [
    ("en", "body=cfm&from=2026", "1 session"),
    ("en", "body=cfm&from=2025&to=2025", "2 sessions"),
    ("ru", "body=cfm&from=2025&to=2025", "2 заседания"),
    ("ru", "body=cfm&from=2020&to=2022", "8 заседаний"),
    ("ru", "body=cfm&from=2026", "1 заседание"),
])
def test_counted_words_take_the_right_form(page, app_url, lang, query_, expected):
    page.goto(f"{app_url}/?{query_}&lang={lang}")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot .gtitle", timeout=30_000)
    titles = svg_texts(page, ".js-plotly-plot .gtitle")
    assert expected in titles, titles
    buttons = page.get_by_role("button").all_inner_texts()
    assert not any(re.search(r"\b1 rows\b|\b1 sessions\b|\b1 states\b", b) for b in buttons)


def test_russian_values_are_in_russian(page, app_url):
    page.goto(f"{app_url}/?tab=sessions&session=cfm-2025-04-11&lang=ru")
    wait_ready(page)
    facts = page.locator("[data-testid=stMarkdown] li").all_inner_texts()
    assert any(f.startswith("Принимающая сторона: Казахстан") for f in facts), facts
    assert any(f.startswith("Формат: очередное") for f in facts), facts
    body = page.locator("[data-testid=stMain]").inner_text()
    assert re.search(r"Присутствовал\w*: 9", body) and "present:" not in body


# 5. A rate where known shows how much is known ----------------------------------------------

def test_rate_map_says_how_much_is_known_and_coverage_leads_with_seats(page, app_url):
    page.goto(f"{app_url}/?tab=map")
    wait_ready(page)
    page.wait_for_selector(".choroplethlocation", timeout=30_000)
    title = svg_texts(page, ".js-plotly-plot .gtitle")[0]
    assert title.startswith("Share of known seats where the state was present")
    texts = trace_texts(page)
    assert re.search(r"known for \d+ of \d+ seats", texts["RUS"]), texts["RUS"]
    page.goto(f"{app_url}/?tab=coverage")
    wait_ready(page)
    page.wait_for_selector(".js-plotly-plot .gtitle", timeout=30_000)
    first = svg_texts(page, ".js-plotly-plot .gtitle")[0]
    assert first.startswith("Seats (state × session held) by how they are known")


# 6. Levels that mean what they say -----------------------------------------------------------

def test_armenia_below_minister_level_since_2020_is_one_link_and_its_csv(page, app_url, real):
    ds, _ = real
    page.goto(f"{app_url}/?tab=countries&country=ARM&from=2020"
              "&level=deputy_minister&level=ambassador&level=other")
    wait_ready(page)
    expect(page.get_by_role("button", name="✕ deputy minister")).to_be_visible()
    name, data = download(page, re.compile(r"^Download delegations as CSV"))
    rows = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(rows) and set(rows["level"]) <= {"deputy_minister", "ambassador", "other"}
    att = ds.attendance
    want = att[(att["country"] == "ARM") & att["level"].isin(["deputy_minister", "ambassador",
                                                               "other"])
               & (pd.to_datetime(att["date"]).dt.year >= 2020) & att["role"].isna()]
    assert sorted(rows["session_id"]) == sorted(want["session_id"])
    # The Prime Minister who leads Armenia at the heads of state is its leader in person.
    assert not (rows["session_id"].str.startswith("chs-")).any()


# 7. Follow things by clicking ------------------------------------------------------------------

def test_a_document_chain_walks_from_council_to_council(page, app_url):
    page.goto(f"{app_url}/?tab=sessions&session=cfm-2025-04-11")
    wait_ready(page)
    page.get_by_role("tab", name="Agenda and documents").click()
    page.get_by_role("button", name=re.compile(r"^Earlier step: 3 Jul 2024 · Minsk")).click()
    wait_query(page, "session", "cmo-2024-07-03")
    page.get_by_role("tab", name="Agenda and documents").click()
    page.get_by_role("button", name=re.compile(r"^Next step: 11 Apr 2025 · Almaty")).click()
    wait_query(page, "session", "cfm-2025-04-11")


def test_search_results_say_what_matched_and_keep_the_chosen_session(page, app_url):
    page.goto(f"{app_url}/?tab=map&session=cfm-2025-04-11")
    wait_ready(page)
    box = page.get_by_role("textbox", name="Search titles, cities, delegates")
    box.fill("связи")
    box.press("Enter")
    wait_query(page, "q", "связи")
    assert query(page)["session"] == ["cfm-2025-04-11"]  # not emptied by the search
    page.goto(f"{app_url}/?tab=sessions&q=связи")
    wait_ready(page)
    name, data = download(page, re.compile(r"^Download sessions as CSV"))
    rows = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig").set_index("session_id")
    assert "document:" in rows.at["cfm-2025-04-11", "matched"]


def test_selecting_a_row_opens_its_session(page, app_url):
    page.goto(f"{app_url}/?tab=sessions&body=cfm&from=2026")
    wait_ready(page)
    grid = page.locator("[data-testid=stDataFrame]").first
    grid.wait_for()
    b = grid.bounding_box()
    page.mouse.click(b["x"] + 16, b["y"] + 35 + 17)  # the first row's selection box
    wait_query(page, "session", "cfm-2026-04-17")


# 8. Phone ---------------------------------------------------------------------------------------

def test_phone_labels_the_filters_and_keeps_titles_clear(phone, app_url):
    phone.goto(f"{app_url}/?tab=map")
    wait_ready(phone)
    # Polled: under load the page's own style may land a moment after the footer.
    label_js = """() => { const b = document.querySelector(
                       '[data-testid=stExpandSidebarButton], [data-testid=stSidebarCollapsedControl] button');
                   return b ? getComputedStyle(b, '::after').content : null; }"""
    settle(phone, f"() => ({label_js})() === '\"Filters\"'")
    assert phone.evaluate(label_js) == '"Filters"'
    phone.wait_for_selector(".js-plotly-plot .gtitle", timeout=30_000)
    phone.locator(".js-plotly-plot").first.hover()
    title = phone.locator(".js-plotly-plot .gtitle").first.bounding_box()
    bar = phone.locator(".js-plotly-plot .modebar").first.bounding_box()
    overlap = not (bar["x"] > title["x"] + title["width"] or bar["y"] > title["y"] + title["height"]
                   or title["x"] > bar["x"] + bar["width"] or title["y"] > bar["y"] + bar["height"])
    assert not overlap, (title, bar)
    screenshot(phone, "reader-phone-map.png")


def test_phone_session_page_puts_key_facts_first(phone, app_url):
    phone.goto(f"{app_url}/?tab=sessions&session=cfm-2025-04-11")
    wait_ready(phone)
    facts = phone.locator("li").filter(has_text=re.compile(r"^Date: 11 April 2025")).first
    expect(facts).to_be_visible()
    summary = phone.get_by_text(re.compile(r"^Present: 9"))
    expect(summary).to_be_visible()
    # Within the first two screens: the facts and who came, before any map or table.
    assert facts.bounding_box()["y"] < 2 * 844
    assert summary.bounding_box()["y"] < 2 * 844
    screenshot(phone, "reader-phone-session.png")
