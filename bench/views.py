"""Per-view figures for `make bench`: every view of the dashboard (the seven tabs, a session
page, a country page) at each scale, on the server and in the browser.

Server (an AppTest worker process, the dataset cached as the app caches it):
  - first run of a fresh session opening the view's link;
  - rerun that changes no data (what pressing R, opening an expander or a widget touching
    nothing shown costs);
  - rerun that changes the data (a search typed, then cleared).
Browser (headless Chromium against `streamlit run`): first load of the view's link in a fresh
context, a rerun that changes no data (an expander closed) and a rerun with a search, each
until the script has finished and every chart is drawn; bytes received.
Figures, never assertions.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VIEWS = {
    "timeline": {},
    "map": {"tab": "map"},
    "countries": {"tab": "countries"},
    "documents": {"tab": "documents"},
    "sessions": {"tab": "sessions"},
    "coverage": {"tab": "coverage"},
    "signatures": {"tab": "signatures"},
    "session_page": {"tab": "sessions", "session": None},   # the latest session held
    "country_page": {"tab": "countries", "country": "KAZ"},
}
# Server targets at 100x (the issue's): a view's first run and its rerun.
FIRST_RUN_MS, RERUN_MS = 1000.0, 500.0


def params_for(view: str, session_id: str) -> dict:
    return {k: (session_id if v is None else v) for k, v in VIEWS[view].items()}


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


# ---------------------------------------------------------------- the worker (own process)

def worker(script: str, query: str, runs: int) -> None:
    """Protocol on stdout, one JSON object a line: {"loaded_ms", "session"}; then one
    {"view", ...} per view; then, for each "profile VIEW" read on stdin, {"profile"}."""
    import streamlit.logger
    from streamlit.testing.v1 import AppTest

    streamlit.logger.set_log_level("error")
    sys.path.insert(0, str(Path(script).resolve().parent))
    from components.ui import cached_dataset
    t0 = time.perf_counter()
    ds = cached_dataset(os.environ["CIS_DATA_DIR"])
    loaded = (time.perf_counter() - t0) * 1000
    held = ds.sessions[ds.sessions["status"] == "held"].sort_values("date")
    session_id = held.iloc[-1]["session_id"]
    print(json.dumps({"loaded_ms": loaded, "session": session_id,
                      "sessions": len(ds.sessions)}), flush=True)
    AppTest.from_file(script, default_timeout=3600).run()  # imports, lazy set-up: not timed

    def run(at) -> float:
        t = time.perf_counter()
        at.run()
        if at.exception:
            raise SystemExit(f"{at.exception[0].value}")
        return (time.perf_counter() - t) * 1000

    for view in VIEWS:
        first, still, change = [], [], []
        for i in range(runs):
            at = AppTest.from_file(script, default_timeout=3600)
            for k, v in params_for(view, session_id).items():
                at.query_params[k] = v
            first.append(run(at))
            still.append(run(at))
            at.text_input(key="w_q").set_value(query if i % 2 == 0 else "")
            change.append(run(at))
            if i % 2 == 0:
                at.text_input(key="w_q").set_value("")
                change.append(run(at))
        print(json.dumps({"view": view, "first_ms": first, "still_ms": still,
                          "change_ms": change}), flush=True)

    for line in sys.stdin:
        cmd = line.strip()
        if not cmd.startswith("profile "):
            break
        view = cmd.split(" ", 1)[1]
        at = AppTest.from_file(script, default_timeout=3600)
        for k, v in params_for(view, session_id).items():
            at.query_params[k] = v
        from components.ui import cache
        with cache._memo_lock:  # a first run as the view's first user has it: nothing kept
            cache._memo.clear()
        first = profiled(at)
        still = profiled(at)
        at.text_input(key="w_q").set_value(query)
        change = profiled(at)
        print(json.dumps({"profile": {"first": first, "still": still, "change": change}}),
              flush=True)


def profiled(at) -> str:
    """One run of the app, profiled in the thread that runs the script (AppTest runs it in a
    thread of its own, which a profiler started here would not see)."""
    from pyinstrument import Profiler

    import components.ui as ui
    real, out = ui.main, {}

    def main(*args, **kwargs):
        profiler = Profiler(interval=0.001, async_mode="disabled")
        profiler.start()
        try:
            real(*args, **kwargs)
        finally:
            profiler.stop()
            out["text"] = profiler.output_text(unicode=False, color=False, show_all=False)

    ui.main = main
    try:
        at.run()
    finally:
        ui.main = real
    return out.get("text", "(the script did not reach main)")


class ViewsWorker:
    def __init__(self, data: Path, query: str, runs: int, logdir: Path):
        self.log = logdir / f"views-{data.name}.log"
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "_views", str(ROOT / "app.py"),
             query, str(runs)],
            cwd=ROOT, env={**os.environ, "CIS_DATA_DIR": str(data), "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(self.log, "w"), text=True)

    def read(self, key: str) -> dict:
        while True:
            line = self.proc.stdout.readline()
            if not line:
                tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-20:])
                raise RuntimeError(f"the views worker ended:\n{tail}")
            try:
                msg = json.loads(line)
            except json.JSONDecodeError:
                continue
            if key in msg:
                return msg

    def profile(self, view: str) -> dict:
        self.proc.stdin.write(f"profile {view}\n")
        self.proc.stdin.flush()
        return self.read("profile")["profile"]

    def close(self) -> None:
        stop_worker(self.proc)


def stop_worker(proc: subprocess.Popen) -> None:
    """Ask a worker speaking the stdin protocol to quit; kill it if it does not."""
    try:
        proc.stdin.write("quit\n")
        proc.stdin.close()
        proc.wait(timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        proc.kill()
        proc.wait()


# ---------------------------------------------------------------- the browser side

SETTLED_JS = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid=stStatusWidget]')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const caps = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
    .map(e => e.textContent.trim());
  if (!caps.some(c => c.startsWith('Dataset:'))) return false;
  const charts = document.querySelectorAll('[data-testid=stPlotlyChart]').length;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  return plots.length === charts && plots.every(p => p.querySelector('.main-svg'));
}"""

def browse(browser, url: str, views: list[str], session_id: str, query: str, runs: int,
           meter_cls, timeout: float) -> dict:
    """First load, R rerun and search rerun of each view, in fresh browser contexts."""
    from urllib.parse import urlencode
    out = {}
    for view in views:
        first, still, change, bytes_first = [], [], [], []
        link = url + "/?" + urlencode(params_for(view, session_id))
        for _ in range(runs):
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = ctx.new_page()
            meter = meter_cls(page, ctx.new_cdp_session(page))
            mark = meter.mark()
            t = time.perf_counter()
            page.goto(link, wait_until="commit", timeout=timeout)
            page.wait_for_function(SETTLED_JS, polling="raf", timeout=timeout)
            first.append((time.perf_counter() - t) * 1000)
            got = meter.since(mark)
            bytes_first.append(got["http"] + got["ws"])
            # A rerun that changes no data: the citation's copy boxes opened (untimed), then
            # closed. (R would do, but a data grid on the page swallows the key.)
            cite = page.get_by_text("Copy the link to this view, the citation or BibTeX")
            runs = meter.runs
            cite.click()
            meter.wait_run(runs, timeout)
            page.wait_for_function(SETTLED_JS, polling="raf", timeout=timeout)
            cite.scroll_into_view_if_needed()
            runs = meter.runs
            t = time.perf_counter()
            # Clicked from the page: Playwright's own click adds its actionability waits
            # (hundreds of ms as the layout settles) to what is timed.
            cite.evaluate("e => e.click()")
            meter.wait_run(runs, timeout)
            page.wait_for_function(SETTLED_JS, polling="raf", timeout=timeout)
            still.append((time.perf_counter() - t) * 1000)
            box = page.get_by_label("Search titles, cities, delegates", exact=True)
            box.fill(query)
            runs = meter.runs
            t = time.perf_counter()
            box.press("Enter")
            meter.wait_run(runs, timeout)
            page.wait_for_function(SETTLED_JS, polling="raf", timeout=timeout)
            change.append((time.perf_counter() - t) * 1000)
            ctx.close()
        out[view] = {"first_load_ms": median(first), "rerun_still_ms": median(still),
                     "rerun_change_ms": median(change), "first_load_bytes": median(bytes_first)}
    return out


if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "_views":
    worker(sys.argv[2], sys.argv[3], int(sys.argv[4]))
