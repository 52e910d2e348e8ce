"""Many users at once, shared by tests/browser/test_concurrency.py (one app server) and
tests/browser/test_replicas.py (replicas behind nginx).

Each user is its own browser context (own cookies, own Streamlit session) in one Chromium,
driven with Playwright's async API so that the pages load and rerun at the same time. The
async side lives on a private event loop in its own thread: the session-wide sync
Playwright of tests/browser/conftest.py may be running in the main thread, and the two
APIs must not share a thread.
"""

from __future__ import annotations

import asyncio
import math
import re
import statistics
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode, urlparse

from components import labels
from components.dataset import Dataset
from components.filters import apply, vocabulary
from components.state import from_query
from tests.browser.conftest import chromium_path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic", "--disable-dev-shm-usage"]
TIMEOUT_MS = 240_000  # 30 pages loading at once on 2 busy cores can take minutes
ALLOWED_HOSTS = {"127.0.0.1"}  # every URL the tests open is on 127.0.0.1


# ------------------------------------------------------------------------ what each user opens

@dataclass(frozen=True)
class Visit:
    """One user's link and what the app must show for it, computed from the dataset with
    the app's own parsing and filtering (components.state.from_query, filters.apply)."""
    query: str
    count: int                  # "N sessions in view"
    years: tuple[int, int]
    chips: frozenset[str]       # filter chips above the view ("✕ Kazakhstan")
    tags: frozenset[str]        # selected values in the sidebar multiselects

    @property
    def params(self) -> dict[str, list[str]]:
        return parse_qs(self.query)


def visits(ds: Dataset, n: int = 30) -> list[Visit]:
    """n different links over the real dataset: councils, states and year windows vary, and
    every link has sessions in view."""
    vocab = vocabulary(ds)
    bodies, countries = vocab.bodies, vocab.countries
    short = labels.body_names(ds.bodies, "en", short=True)
    long = labels.body_names(ds.bodies, "en")
    names = dict(zip(ds.countries["country"], ds.countries["name_en"]))
    body_sets = [bodies[:1], bodies[1:2], bodies[2:3], bodies[3:4], bodies[:2], ()]
    out: list[Visit] = []
    seen: set[str] = set()
    i = 0
    while len(out) < n:
        params: list[tuple[str, str]] = [("body", b) for b in body_sets[i % len(body_sets)]]
        params.append(("country", countries[i % len(countries)]))
        if i % 4 == 0:
            params.append(("country", countries[(i + 5) % len(countries)]))
        lo = vocab.year_min + 2 + (i * 7) % 26
        hi = min(lo + 2 + (i * 5) % 11, vocab.year_max - 1)
        params += [("from", str(lo)), ("to", str(hi))]
        i += 1
        query = urlencode(params)
        if query in seen:
            continue
        state, notices = from_query(parse_qs(query), vocab)
        assert not notices, (query, notices)
        count = len(apply(state, ds, vocab).sessions)
        if count == 0:
            continue
        seen.add(query)
        y = state.years(vocab)
        chips = ({f"✕ {short[b]}" for b in state.bodies}
                 | ({f"✕ {y[0]}–{y[1]}"} if state.year_from or state.year_to else set())
                 | {f"✕ {names[c]}" for c in state.countries})
        tags = {long[b] for b in state.bodies} | {f"{names[c]} ({c})" for c in state.countries}
        out.append(Visit(query, count, y, frozenset(chips), frozenset(tags)))
    return out


# ------------------------------------------------------------------------ reading a page

READ_PAGE = r"""() => {
  const texts = sel => [...document.querySelectorAll(sel)].map(e => e.innerText.trim());
  const captions = texts('[data-testid=stCaptionContainer]');
  return {
    caption: captions.find(t => /^\d+ sessions? in view/.test(t)) || null,
    footer: captions.find(t => t.startsWith('Dataset:')) || null,
    chips: [...new Set(texts('[data-testid=stMain] button').filter(t => t.startsWith('✕')))],
    tags: [...document.querySelectorAll(
      '[data-testid=stSidebar] [data-testid=stMultiSelect] [data-tag]')]
      .map(e => e.getAttribute('aria-label')),
    exceptions: texts('[data-testid=stException]'),
    table: [...document.querySelectorAll('[data-testid=stMain] [data-testid=stDataFrame]')]
      .some(e => !e.closest('[data-testid=stExpander]')),
    search: location.search,
  };
}"""

# Ready: the script has finished (no status widget, no stale elements), its last element
# (the footer) is there, and the widgets this check reads have been drawn: Streamlit loads
# each widget's code on first use, so under load a caption can appear well before the
# radio, the buttons or the multiselects of the same run.
READY = """() => {
  const main = document.querySelector('[data-testid=stMain]');
  const side = document.querySelector('[data-testid=stSidebar]');
  if (!main || !side || document.querySelector('[data-testid=stStatusWidget]')
      || document.querySelector('[data-stale=true]')) return false;
  const has = (root, sel, text) => [...root.querySelectorAll(sel)]
    .some(e => text === undefined || e.innerText.trim() === text);
  return has(main, '[data-testid=stCaptionContainer]') && [...main.querySelectorAll(
      '[data-testid=stCaptionContainer]')].some(e => e.innerText.startsWith('Dataset:'))
    && has(main, '[data-testid=stRadio] label', 'Sessions')
    && has(main, 'button', 'Reset')                       // the chips' row is drawn
    && has(side, 'button', 'Reset all filters')
    && side.querySelectorAll('[data-testid=stMultiSelect]').length === 3  // councils, states, levels
    && has(side, '[data-testid=stMultiSelect] [data-tag]');  // every link names a state
}"""

# Click the "Sessions" view and time, inside the page, until the rerun has drawn the sessions
# table, the link says tab=sessions, the caption shows the expected count, and the script has
# finished (no status widget, no stale elements).
SWITCH_TO_SESSIONS = r"""async (expected) => {
  const label = [...document.querySelectorAll('[data-testid=stMain] [data-testid=stRadio] label')]
    .find(l => l.innerText.trim() === 'Sessions');
  if (!label) throw new Error('no Sessions view switch');
  const done = () => {
    const caption = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
      .map(e => e.innerText).find(t => /^\d+ sessions? in view/.test(t)) || '';
    return new URLSearchParams(location.search).get('tab') === 'sessions'
      && caption.startsWith(expected + (expected === 1 ? ' session in view' : ' sessions in view'))
      && [...document.querySelectorAll('[data-testid=stMain] [data-testid=stDataFrame]')]
           .some(e => !e.closest('[data-testid=stExpander]'))
      && !document.querySelector('[data-testid=stStatusWidget]')
      && !document.querySelector('[data-stale=true]');
  };
  const t0 = performance.now();
  label.click();
  return await new Promise((resolve, reject) => {
    const poll = () => {
      if (done()) return resolve(performance.now() - t0);
      if (performance.now() - t0 > 240000) return reject(new Error(
        'rerun did not finish: ' + JSON.stringify(window.__cisDiagnose())));
      setTimeout(poll, 10);
    };
    poll();
  });
}"""


# What a page shows when a wait gives up: enough to tell a slow page from a wrong one.
DIAGNOSE = r"""() => {
  const q = s => document.querySelectorAll(s);
  const status = document.querySelector('[data-testid=stStatusWidget]');
  return {
    search: location.search,
    captions: [...q('[data-testid=stCaptionContainer]')].map(e => e.innerText.slice(0, 80)),
    status: status ? status.innerText : null,
    stale: q('[data-stale=true]').length,
    radios: [...q('[data-testid=stMain] [data-testid=stRadio] label')].map(e => e.innerText),
    buttons: q('[data-testid=stMain] button').length,
    tags: q('[data-testid=stSidebar] [data-testid=stMultiSelect] [data-tag]').length,
    dataframes: q('[data-testid=stMain] [data-testid=stDataFrame]').length,
    exceptions: [...q('[data-testid=stException]')].map(e => e.innerText.slice(0, 300)),
    dialogs: [...q('[role=dialog]')].map(e => e.innerText.slice(0, 200)),
  };
}"""


async def wait_for(page, predicate: str, arg=None, what: str = "") -> None:
    """page.wait_for_function, failing with what the page shows instead of a bare timeout."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout
    try:
        await page.wait_for_function(predicate, arg=arg, polling=100)
    except PlaywrightTimeout:
        raise AssertionError(f"{what} {page.url}: gave up waiting; the page shows "
                             f"{await page.evaluate(DIAGNOSE)}") from None


def caption_count(caption: str | None) -> int | None:
    m = re.match(r"(\d+) sessions? in view", caption or "")
    return int(m.group(1)) if m else None


def replica_of(footer: str | None) -> str | None:
    m = re.search(r"· server (\S+)$", footer or "")
    return m.group(1) if m else None


# ------------------------------------------------------------------------ users

@dataclass
class User:
    visit: Visit
    context: object
    page: object
    outside: list[str] = field(default_factory=list)
    websockets: list[tuple[float, object]] = field(default_factory=list)  # (opened at, ws)
    seen: dict = field(default_factory=dict)     # last READ_PAGE result
    landing: dict = field(default_factory=dict)  # READ_PAGE as the link first opened
    load_ms: float | None = None
    rerun_ms: float | None = None

    @property
    def replica(self) -> str | None:
        return replica_of(self.seen.get("footer"))

    @property
    def count(self) -> int | None:
        return caption_count(self.seen.get("caption"))


class Crowd:
    """One Chromium on a private event loop thread; `run` executes a coroutine there."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="crowd", daemon=True)
        self.thread.start()
        self.users: list[User] = []
        self.run(self._start(), timeout=120)

    def run(self, coro, timeout: float = 900):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def _start(self) -> None:
        from playwright.async_api import async_playwright
        self.pw = await async_playwright().start()
        self.browser = await self.pw.chromium.launch(executable_path=chromium_path(),
                                                     args=CHROMIUM_ARGS)

    def close(self) -> None:
        async def stop():
            await self.browser.close()
            await self.pw.stop()
        try:
            self.run(stop(), timeout=60)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)

    def __enter__(self) -> Crowd:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- async building blocks (run on the crowd's loop)

    async def open_user(self, base_url: str, visit: Visit) -> User:
        context = await self.browser.new_context(viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        page = await context.new_page()
        user = User(visit, context, page)

        def watch(request):
            parsed = urlparse(request.url)
            if parsed.scheme not in ("data", "blob", "about") and \
                    parsed.hostname not in ALLOWED_HOSTS:
                user.outside.append(request.url)

        page.on("request", watch)
        page.on("websocket", lambda ws: user.websockets.append((time.monotonic(), ws)))
        t0 = time.monotonic()
        await page.goto(f"{base_url}/?{visit.query}", wait_until="domcontentloaded")
        await page.evaluate(f"() => {{ window.__cisDiagnose = {DIAGNOSE}; }}")
        await wait_for(page, READY, what="opening")
        user.load_ms = (time.monotonic() - t0) * 1000
        user.seen = user.landing = await page.evaluate(READ_PAGE)
        self.users.append(user)
        return user

    async def read(self, user: User) -> dict:
        user.seen = await user.page.evaluate(READ_PAGE)
        return user.seen

    async def switch_to_sessions(self, user: User) -> float:
        user.rerun_ms = await user.page.evaluate(SWITCH_TO_SESSIONS, user.visit.count)
        await self.read(user)
        return user.rerun_ms

    # ---- the concurrency check

    def load_and_rerun(self, base_url: str, todo: list[Visit]) -> list[User]:
        """Open every link at once, then change one widget in every page at once."""
        async def go() -> list[User]:
            users = await asyncio.gather(*(self.open_user(base_url, v) for v in todo))
            await asyncio.gather(*(self.switch_to_sessions(u) for u in users))
            return list(users)
        return self.run(go())


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def summary(label: str, values_ms: list[float]) -> str:
    return (f"{label}: n={len(values_ms)} p50={percentile(values_ms, 50):.0f} ms "
            f"p95={percentile(values_ms, 95):.0f} ms max={max(values_ms):.0f} ms "
            f"mean={statistics.fmean(values_ms):.0f} ms")


def assert_own_views(users: list[User]) -> None:
    """Every page showed its own link's results and nothing else, as it first opened and
    after its rerun in the Sessions view."""
    problems = []
    for u in users:
        v = u.visit
        noun = "session" if v.count == 1 else "sessions"
        want = {"caption": f"{v.count} {noun} in view · {v.years[0]}–{v.years[1]}",
                "chips": set(v.chips), "tags": set(v.tags), "exceptions": []}
        for moment, s in (("on opening", u.landing), ("after the rerun", u.seen)):
            got = {"caption": s["caption"], "chips": set(s["chips"]), "tags": set(s["tags"]),
                   "exceptions": s["exceptions"]}
            if got != want:
                problems.append(f"{v.query} {moment}: got {got}, want {want}")
            q = parse_qs(s["search"].lstrip("?"))
            for key, values in v.params.items():
                if sorted(q.get(key, [])) != sorted(values):
                    problems.append(f"{v.query} {moment}: link has {key}={q.get(key)}")
        if not u.seen["table"] or parse_qs(u.seen["search"].lstrip("?")).get("tab") != ["sessions"]:
            problems.append(f"{v.query}: no sessions table or tab=sessions after the switch")
        if u.outside:
            problems.append(f"{v.query}: requests left 127.0.0.1: {u.outside}")
    assert not problems, "\n".join(problems)
