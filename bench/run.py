"""`make bench`: print how fast the dashboard is against a floor, and how it scales.

Figures, never assertions: this prints and exits 0 whatever it measures (it exits non-zero
only when it cannot measure, e.g. the app fails to start). One run on this machine:

1. per-view build times (scripts/benchmark.py, in-process, real dataset);
2. the floor (bench/floor_app.py: a bare Streamlit page with one plotly scatter of as many
   points as the real dataset has sessions) and the app on the real dataset, each served by
   `streamlit run` on a free local port and driven by headless Chromium (Playwright):
   - first load: page.goto in a fresh browser context until every chart is drawn (every
     `.js-plotly-plot` has its `.main-svg` and the point count the script sent), the
     script has finished (`stApp[data-test-script-state=notRunning]`, no status widget, no
     stale element) and the footer caption "Dataset: ..." and "N sessions in view" show;
   - rerun: type in the search box and press Enter (alternately a search, then clearing it),
     until the same conditions hold with the new count;
   - server-side script time: streamlit.testing AppTest in a separate process, at.run()
     after the search box changes (and the first run of a fresh session, dataset cached);
   - bytes sent to the browser: HTTP response bodies (as sent) + websocket frames received;
   - memory per session: server RSS (/proc/PID/status VmRSS) before and after K browser
     sessions that each completed a first load, divided by K;
3. scale: the same at 10x and 100x the real dataset (bench/make_synthetic.py, in a temporary
   folder, never data/); each server is warmed with one page load first, so loading and
   validating the dataset (cached once per process) is reported apart, not in first load.
4. targets (PASS/MISS) and, where one is missed, a profile of what costs the time.
The LAST line printed is one JSON object with the headline ratios and the figures behind them.

Runs: at 1x and 10x, BENCH_RUNS first loads (fresh browser contexts), BENCH_RUNS reruns each
way (search typed, search cleared) and BENCH_RUNS AppTest first runs; memory with
BENCH_MEM_SESSIONS sessions at 1x (half as many at 10x). At 100x, to keep the whole run near
20 minutes on 2 cores: 1 first load (besides the warm-up), BENCH_SCALE_RUNS reruns each way,
1 AppTest first run, no memory figure. A missed 100x target is profiled on one rerun (wall
time), the 1x targets on CPU time.
Every view (bench/views.py) at each scale: server first run, a rerun changing no data and a
rerun with a search (AppTest), and the same three in the browser; a rerun counts as done when
the server's own "script finished" message has arrived and every chart is drawn again.

Environment: BENCH_RUNS (default 5), BENCH_SCALES (default 1,10,100), BENCH_MEM_SESSIONS
(default 10), BENCH_QUERY (default Moscow), BENCH_SCALE_RUNS (default min(BENCH_RUNS, 2)).
Quick run: `BENCH_RUNS=3 BENCH_SCALES=1,10 make bench`.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
FLOOR = ROOT / "bench" / "floor_app.py"
REAL_DATA = ROOT / "data"
sys.path.insert(0, str(ROOT))

RUNS = max(1, int(os.environ.get("BENCH_RUNS", "5")))
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10,100").split(",") if s.strip()]
if 1 not in SCALES:
    SCALES.insert(0, 1)  # the 1x figures are the reference for every ratio
MEM_SESSIONS = max(1, int(os.environ.get("BENCH_MEM_SESSIONS", "10")))
QUERY = os.environ.get("BENCH_QUERY", "Moscow")
SCALE_RUNS = max(1, int(os.environ.get("BENCH_SCALE_RUNS", str(min(RUNS, 2)))))
VIEWPORT = {"width": 1400, "height": 1000}
# The default view against the floor: first load at most 1.2x, a rerun (search typed or
# cleared) at most 1.5x; the 100x rerun at most 3x the 1x one; at most 1 MB per session.
TARGETS = {"first_load_ratio": 1.2, "rerun_ratio": 1.5, "scale_100x_ratio": 3.0,
           "mem_per_session_mb": 1.0}
LONG = 1800_000  # ms: a first load at 100x waits for the dataset to load and validate


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def ratio(a, b):
    return None if a is None or not b else a / b


def log(msg: str = "") -> None:
    print(msg, flush=True)


# ---------------------------------------------------------------- the AppTest worker

@dataclass
class Served:
    """What one measured target is: a script, its environment, and its search box."""
    name: str
    script: Path
    env: dict
    search_label: str  # label in the browser
    search_key: str  # widget key in AppTest
    data: Path | None = None  # dataset folder (app only)


def app_target(data: Path) -> Served:
    return Served("app", APP, {"CIS_DATA_DIR": str(data)}, "Search titles, cities, delegates",
                  "w_q", data)


def floor_target(points: int) -> Served:
    return Served("floor", FLOOR, {"FLOOR_POINTS": str(points)}, "Search", "q")


def _count(v) -> int:
    """Points in one trace coordinate: a list, or plotly's typed array {dtype, bdata[, shape]}."""
    if isinstance(v, list):
        return len(v)
    if isinstance(v, dict) and "bdata" in v:
        if "shape" in v:
            return int(str(v["shape"]).split(",")[0])
        size = int(re.sub(r"\D", "", v.get("dtype", "f8")) or 8)
        return len(base64.b64decode(v["bdata"])) // size
    return 0


def _expect(at) -> dict:
    """What the browser must show when this state is drawn: the count caption, and per chart
    the number of points (plotly's calcdata length, summed over traces)."""
    caption = next((c.value for c in at.caption if re.match(r"^\d+ sessions in view", c.value)),
                   None)
    points = []
    for el in at.get("plotly_chart"):
        spec = json.loads(el.proto.spec)
        # plotly's calcdata holds one entry per point, but one per trace for a heatmap.
        points.append(sum(1 if t.get("type") == "heatmap" else
                          max(_count(t.get("x")), _count(t.get("y"))) for t in spec["data"]))
    m = re.match(r"^(\d+ sessions in view)", caption or "")
    return {"caption": m.group(1) if m else None, "points": points}


PROFILED = """# written by bench/run.py: runs the app with a profiler in the script thread
import runpy, sys
hook = sys.modules["bench_profile_hook"]
hook.enter()
try:
    runpy.run_path({app!r}, run_name="__main__")
finally:
    hook.exit()
"""


def worker(script: str, key: str, query: str, runs: int, fresh: int, warm: bool) -> None:
    """Runs in its own process (`run.py _apptest ...`): times AppTest runs. Protocol on
    stdout, one JSON object a line: {"loaded_ms"} once the dataset is cached, then, after
    "go" on stdin, {"result"}; then "profile" on stdin prints {"profile"}, "quit" ends."""
    import types

    import streamlit.logger
    from streamlit.testing.v1 import AppTest

    streamlit.logger.set_log_level("error")  # "missing ScriptRunContext" outside a run

    data = os.environ.get("CIS_DATA_DIR")
    loaded_ms = None
    if data:
        sys.path.insert(0, str(Path(script).resolve().parent))
        from components.ui import cached_dataset  # the app's own cache, shared with AppTest
        t0 = time.perf_counter()
        ds = cached_dataset(str(data))
        loaded_ms = (time.perf_counter() - t0) * 1000
        print(json.dumps({"loaded_ms": loaded_ms, "sessions": len(ds.sessions)}), flush=True)
    else:
        print(json.dumps({"loaded_ms": None}), flush=True)
    if sys.stdin.readline().strip() != "go":
        return

    cpu: list[float] = []  # CPU time of this process per rerun: steadier on a busy machine

    def timed_run(at) -> float:
        t0, c0 = time.perf_counter(), time.process_time()
        at.run()
        ms = (time.perf_counter() - t0) * 1000
        cpu.append((time.process_time() - c0) * 1000)
        if at.exception:
            raise SystemExit(f"the script failed: {[e.value for e in at.exception]}")
        return ms

    if warm:  # not timed: first imports (plotly, pyarrow, ...) and lazy set-up in this process
        AppTest.from_file(script, default_timeout=1800).run()
    else:  # at a large scale a whole run costs too much: import what the first run would
        import plotly.graph_objects  # noqa: F401
        import plotly.io  # noqa: F401
        import pyarrow  # noqa: F401
    first = []
    for _ in range(fresh):  # first run of a new session (the dataset is cached)
        at = AppTest.from_file(script, default_timeout=1800)
        first.append(timed_run(at))
    cpu.clear()
    states = {"": _expect(at)}
    narrow, widen = [], []
    for i in range(2 * runs):
        q = query if i % 2 == 0 else ""
        at.text_input(key=key).set_value(q)
        (narrow if q else widen).append(timed_run(at))
        states.setdefault(q, _expect(at))
    print(json.dumps({"result": {"first_ms": first, "narrow_ms": narrow, "widen_ms": widen,
                                 "rerun_cpu_ms": cpu, "states": states}}), flush=True)

    while (cmd := sys.stdin.readline().strip()).startswith("profile"):
        # "profile": CPU time of the script thread (steady on a busy machine, but the timer
        # costs a call per event: slow at scale), first run + a narrowing and a widening
        # rerun. "profile-quick": wall time, one widening rerun only (for a large dataset).
        from pyinstrument import Profiler
        from pyinstrument.stack_sampler import get_stack_sampler

        quick = cmd == "profile-quick"
        profiler = Profiler(interval=0.001, async_mode="disabled")

        def enter() -> None:
            if not quick:
                get_stack_sampler().timer_func = time.thread_time
            profiler.start()

        hook = types.ModuleType("bench_profile_hook")
        hook.enter, hook.exit = enter, profiler.stop
        sys.modules["bench_profile_hook"] = hook
        wrapper = Path(tempfile.mkdtemp()) / "profiled_app.py"
        wrapper.write_text(PROFILED.format(app=str(script)), encoding="utf-8")
        pat = AppTest.from_file(str(wrapper), default_timeout=1800)
        if quick:
            pat.query_params["q"] = query  # the app reads its search from the link
            sys.modules["bench_profile_hook"] = types.SimpleNamespace(enter=lambda: None,
                                                                       exit=lambda: None)
            pat.run()  # not profiled: the narrowed view, so the next run widens
            sys.modules["bench_profile_hook"] = hook
            first_text = ""
        else:
            pat.run()  # first run of a session: profiled too (the dataset is cached)
            first_text = profiler.output_text(unicode=False, color=False, show_all=False)
            profiler.reset()
        for q in ("",) if quick else (query, ""):
            pat.text_input(key=key).set_value(q)
            pat.run()
        rerun_text = profiler.output_text(unicode=False, color=False, show_all=False)
        print(json.dumps({"profile": {"first": first_text, "rerun": rerun_text}}), flush=True)
        shutil.rmtree(wrapper.parent, ignore_errors=True)


class Worker:
    """The AppTest worker process, seen from the benchmark."""

    def __init__(self, target: Served, runs: int, fresh: int, warm: bool, logdir: Path):
        self.log = logdir / f"apptest-{target.name}-{id(self)}.log"
        self.proc = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "_apptest", str(target.script),
             target.search_key, QUERY, str(runs), str(fresh), str(int(warm))],
            cwd=ROOT, env={**os.environ, **target.env, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=open(self.log, "w"), text=True)
        self._loaded: dict | None = None

    def _read(self, key: str) -> dict:
        while True:
            line = self.proc.stdout.readline()
            if not line:
                tail = "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])
                raise RuntimeError(f"the AppTest worker ended (exit {self.proc.wait()}):\n{tail}")
            try:
                msg = json.loads(line)
            except json.JSONDecodeError:
                continue  # a library printed something
            if key in msg:
                return msg

    def loaded(self) -> dict:
        if self._loaded is None:
            self._loaded = self._read("loaded_ms")
        return self._loaded

    def measure(self) -> dict:
        self.loaded()
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()
        return self._read("result")["result"]

    def profile(self, quick: bool = False) -> dict:
        self.proc.stdin.write("profile-quick\n" if quick else "profile\n")
        self.proc.stdin.flush()
        return self._read("profile")["profile"]

    def close(self) -> None:
        from views import stop_worker
        stop_worker(self.proc)


# ---------------------------------------------------------------- server and browser

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`streamlit run SCRIPT` on a free local port, as the browser tests start the app."""

    def __init__(self, target: Served, logdir: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(logdir / f"{target.name}-{self.port}.log", "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(target.script),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env={**os.environ, **target.env}, stdout=self.log,
            stderr=subprocess.STDOUT)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2)
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{target.name} server exited; see {self.log.name}")
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{target.name} server did not start within 90 s")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.log.close()


READY_JS = """([caption, points]) => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid=stStatusWidget]')) return false;
  if (document.querySelector('[data-stale="true"]')) return false;
  const caps = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
    .map(e => e.textContent.trim());
  if (!caps.some(c => c.startsWith('Dataset:'))) return false;
  if (caption !== null && !caps.some(c => c.startsWith(caption + ' ')
                                         || c === caption)) return false;
  const plots = [...document.querySelectorAll('.js-plotly-plot')];
  if (points === null) return plots.length > 0 && plots.every(p => p.querySelector('.main-svg'));
  if (plots.length !== points.length) return false;
  return plots.every((p, i) => p.querySelector('.main-svg') && p.calcdata &&
    p.calcdata.reduce((n, cd) => n + cd.length, 0) === points[i]);
}"""


class Meter:
    """Bytes a page received: HTTP response bodies as sent, and websocket frames; the
    browser's main-thread time (Chrome's Performance metrics); and the script runs the
    server reported finished, read from its own messages (a fast rerun can start and end
    within one React commit, so the page's script-state attribute may never change)."""

    def __init__(self, page, cdp):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        self._msg, self._done = ForwardMsg, ForwardMsg.FINISHED_SUCCESSFULLY
        self.page, self.cdp = page, cdp
        self.requests: list = []
        self.ws = 0
        self.runs = 0
        page.on("requestfinished", lambda r: self.requests.append(r))
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))
        cdp.send("Performance.enable")

    def _frame(self, payload) -> None:
        self.ws += len(payload)
        if isinstance(payload, bytes | bytearray):
            msg = self._msg()
            try:
                msg.ParseFromString(bytes(payload))
            except Exception:  # noqa: BLE001 (not a ForwardMsg: counted as bytes only)
                return
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished == self._done:
                self.runs += 1

    def wait_run(self, since: int, timeout: float) -> None:
        """Until a script run finished after `since` (a value of `runs`)."""
        deadline = time.perf_counter() + timeout / 1000
        while self.runs <= since:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"no script run finished within {timeout / 1000:.0f} s")
            self.page.wait_for_timeout(2)  # lets the page's events (frames) through

    def mark(self) -> tuple[int, int, dict]:
        return len(self.requests), self.ws, self.metrics()

    def metrics(self) -> dict:
        return {m["name"]: m["value"] for m in self.cdp.send("Performance.getMetrics")["metrics"]}

    def since(self, mark) -> dict:
        n, ws, m0 = mark
        http = 0
        for r in self.requests[n:]:
            try:
                http += max(0, r.sizes()["responseBodySize"])
            except Exception:  # noqa: BLE001 (a request gone with its page)
                pass
        m1 = self.metrics()
        keys = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")
        busy = {k: (m1.get(k, 0) - m0.get(k, 0)) * 1000 for k in keys}
        return {"http": http, "ws": self.ws - ws, "requests": len(self.requests) - n, **busy}


def _wait_ready(page, expect: dict | None, timeout: float) -> None:
    arg = [expect["caption"], expect["points"]] if expect else [None, None]
    page.wait_for_function(READY_JS, arg=arg, polling="raf", timeout=timeout)


def open_page(browser, url: str, expect: dict | None, timeout: float = 120_000):
    """A fresh context (a new user) loads the page; returns (ms, bytes/busy, context, page,
    meter)."""
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    meter = Meter(page, ctx.new_cdp_session(page))
    mark = meter.mark()
    t0 = time.perf_counter()
    page.goto(url, wait_until="commit", timeout=timeout)
    _wait_ready(page, expect, timeout)
    ms = (time.perf_counter() - t0) * 1000
    try:  # count what is still arriving for this load (downloads' media, fonts)
        page.wait_for_load_state("networkidle", timeout=5000)
    except Exception:  # noqa: BLE001
        pass
    return ms, meter.since(mark), ctx, page, meter


def change_search(page, meter, target: Served, value: str, expect: dict,
                  timeout: float = 600_000) -> tuple[float, dict]:
    box = page.get_by_label(target.search_label, exact=True)
    box.fill(value)
    mark = meter.mark()
    t0 = time.perf_counter()
    box.press("Enter")
    _wait_ready(page, expect, timeout)
    ms = (time.perf_counter() - t0) * 1000
    return ms, meter.since(mark)


def press_r(page, meter, expect: dict, timeout: float) -> tuple[float, dict]:
    """R, Streamlit's rerun key: a rerun that changes no data, timed until it has run and
    every chart is drawn again."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    mark = meter.mark()
    runs = meter.runs
    t0 = time.perf_counter()
    page.keyboard.press("r")
    meter.wait_run(runs, timeout)
    _wait_ready(page, expect, timeout)
    return (time.perf_counter() - t0) * 1000, meter.since(mark)


@dataclass
class Figures:
    name: str
    scale: int = 1
    sessions: int | None = None
    load_ms: float | None = None  # dataset load + validate in the AppTest process
    cold_ms: float | None = None  # the warm-up page load (includes the dataset load)
    first: list = field(default_factory=list)  # (ms, meter figures)
    narrow: list = field(default_factory=list)
    widen: list = field(default_factory=list)
    still: list = field(default_factory=list)  # R: a rerun that changes no data
    script: dict = field(default_factory=dict)
    mem_mb: float | None = None
    mem_k: int = 0
    rss_before: float | None = None
    rss_after: float | None = None
    profile: dict | None = None

    def med(self, which: str, key: str | None = None):
        rows = getattr(self, which)
        return median([ms if key is None else m[key] for ms, m in rows])

    @property
    def rerun_ms(self):
        return median([ms for ms, _ in self.narrow + self.widen])

    def rerun(self, key: str):
        return median([m[key] for _, m in self.narrow + self.widen])

    @property
    def script_first_ms(self):
        return median(self.script.get("first_ms", []))

    @property
    def script_rerun_ms(self):
        return median(self.script.get("narrow_ms", []) + self.script.get("widen_ms", []))

    @property
    def script_rerun_cpu_ms(self):
        return median(self.script.get("rerun_cpu_ms", []))


def measure(browser, targets: list[Served], scale: int, plan: dict,
            logdir: Path) -> tuple[list[Figures], list[Worker]]:
    """Everything for the targets served side by side (floor and app at 1x; the app alone at
    a larger scale). Each AppTest worker loads its dataset while the servers warm up (the
    loads run side by side on the two cores); every timed part then runs alone, and the
    targets' runs alternate (floor, app, floor, app, ...) so a change in the machine's load
    during the benchmark weighs on both alike. The warm-up page stays open and is the page
    whose search box the reruns change. `plan`: first_loads, reruns (each direction),
    fresh (AppTest first runs), mem_sessions, warm (an untimed AppTest run first)."""
    figs = [Figures(t.name, scale) for t in targets]
    workers = [Worker(t, plan["reruns"], plan["fresh"], plan["warm"], logdir) for t in targets]
    servers: list[Server] = []
    pages = []
    try:
        for t in targets:
            servers.append(Server(t, logdir))
        for fig, server in zip(figs, servers):
            fig.cold_ms, _, *page = open_page(browser, server.url, None, timeout=LONG)
            pages.append(page)  # (context, page, meter)
        for fig, w in zip(figs, workers):
            loaded = w.loaded()
            fig.load_ms, fig.sessions = loaded.get("loaded_ms"), loaded.get("sessions")
        for fig, w in zip(figs, workers):
            fig.script = w.measure()
            if fig.sessions is None and fig.script["states"][""]["caption"]:
                fig.sessions = int(fig.script["states"][""]["caption"].split()[0])
        full = [f.script["states"][""] for f in figs]
        narrowed = [f.script["states"][QUERY] for f in figs]
        timeout = max(120_000, 30 * max(f.cold_ms for f in figs))
        for fig, server, expect in zip(figs, servers, full) if plan["mem_sessions"] else ():
            k = plan["mem_sessions"]
            time.sleep(1)
            fig.rss_before = server.rss_mb()
            contexts = [open_page(browser, server.url, expect, timeout)[2] for _ in range(k)]
            time.sleep(2)
            fig.rss_after = server.rss_mb()
            fig.mem_mb = (fig.rss_after - fig.rss_before) / k
            fig.mem_k = k
            for ctx in contexts:
                ctx.close()
        for _ in range(plan["first_loads"]):
            for fig, server, expect in zip(figs, servers, full):
                ms, meter_figs, ctx, *_ = open_page(browser, server.url, expect, timeout)
                fig.first.append((ms, meter_figs))
                ctx.close()
        for i in range(2 * plan["reruns"]):
            q = QUERY if i % 2 == 0 else ""
            for fig, t, (_, page, meter), a, b in zip(figs, targets, pages, narrowed, full):
                ms, m = change_search(page, meter, t, q, a if q else b, timeout)
                (fig.narrow if q else fig.widen).append((ms, m))
        for _ in range(plan["reruns"]):
            for fig, (_, page, meter), b in zip(figs, pages, full):
                fig.still.append(press_r(page, meter, b, timeout))
    except BaseException:
        for w in workers:
            w.close()
        raise
    finally:
        for ctx, *_ in pages:
            ctx.close()
        for server in servers:
            server.stop()
    return figs, workers


# ---------------------------------------------------------------- printing

def kb(b) -> str:
    return "-" if b is None else f"{b / 1024:,.0f} KB"


def ms_(v) -> str:
    return "-" if v is None else f"{v:,.0f} ms"


def x_(v) -> str:
    return "-" if v is None else f"{v:.2f}x"


def row(label: str, floor, app, fmt=ms_, rat=True) -> str:
    r = ratio(app, floor) if rat else None
    return f"  {label:<44}{fmt(floor):>14}{fmt(app):>14}{x_(r):>10}"


def print_main(floor: Figures, app: Figures) -> None:
    log(f"\n== Floor vs app, real dataset ({app.sessions} sessions; medians of {RUNS} runs) ==")
    log(f"  {'figure':<44}{'floor':>14}{'app':>14}{'app/floor':>10}")
    log(row("first load (goto -> all charts drawn)", floor.med("first"), app.med("first")))
    log(row("rerun (search change -> charts redrawn)", floor.rerun_ms, app.rerun_ms))
    log(row("  rerun, narrowing search", floor.med("narrow"), app.med("narrow")))
    log(row("  rerun, clearing search (all in view)", floor.med("widen"), app.med("widen")))
    log(row("rerun changing no data (R)", floor.med("still"), app.med("still")))
    log(row("script time, first run of a session", floor.script_first_ms, app.script_first_ms))
    log(row("script time per rerun (AppTest at.run)", floor.script_rerun_ms, app.script_rerun_ms))
    log(row("  CPU time per rerun (AppTest process)", floor.script_rerun_cpu_ms,
            app.script_rerun_cpu_ms))
    log(row("bytes, first load: HTTP bodies", floor.med("first", "http"), app.med("first", "http"),
            kb))
    log(row("bytes, first load: websocket frames", floor.med("first", "ws"),
            app.med("first", "ws"), kb))
    fl = [m["http"] + m["ws"] for _, m in floor.first]
    ap = [m["http"] + m["ws"] for _, m in app.first]
    log(row("bytes, first load: total", median(fl), median(ap), kb))
    log(row("bytes per rerun (websocket + HTTP)",
            median([m["http"] + m["ws"] for _, m in floor.narrow + floor.widen]),
            median([m["http"] + m["ws"] for _, m in app.narrow + app.widen]), kb))
    log(row("browser main thread busy, first load", floor.med("first", "TaskDuration"),
            app.med("first", "TaskDuration")))
    log(row("  of which JavaScript", floor.med("first", "ScriptDuration"),
            app.med("first", "ScriptDuration")))
    log(row("  of which layout + style", median(
        [m["LayoutDuration"] + m["RecalcStyleDuration"] for _, m in floor.first]), median(
        [m["LayoutDuration"] + m["RecalcStyleDuration"] for _, m in app.first])))
    log(row("browser main thread busy, per rerun", floor.rerun("TaskDuration"),
            app.rerun("TaskDuration")))
    log(row("HTTP requests, first load", floor.med("first", "requests"),
            app.med("first", "requests"), lambda v: "-" if v is None else f"{v:.0f}"))
    log(row(f"server memory per session (K={app.mem_k})", floor.mem_mb, app.mem_mb,
            lambda v: "-" if v is None else f"{v:.2f} MB"))
    log(f"  server RSS before/after K sessions: floor {floor.rss_before:.0f}/{floor.rss_after:.0f}"
        f" MB, app {app.rss_before:.0f}/{app.rss_after:.0f} MB")
    log(f"  runs (ms): floor first load {[round(ms) for ms, _ in floor.first]}, "
        f"app first load {[round(ms) for ms, _ in app.first]}")
    log(f"             floor reruns {[round(ms) for ms, _ in floor.narrow + floor.widen]}, "
        f"app reruns {[round(ms) for ms, _ in app.narrow + app.widen]}")


def print_scale(figs: list[Figures]) -> None:
    log("\n== Scale (app; server warmed with one page load first, so the dataset load is "
        "reported apart and not in first load) ==")
    head = (f"  {'scale':>5}{'sessions':>9}{'load+validate':>15}{'cold 1st load':>15}"
            f"{'first load':>12}{'rerun':>10}{'narrow':>10}{'widen':>10}{'script 1st':>12}"
            f"{'script rerun':>14}{'bytes 1st':>12}{'bytes rerun':>13}{'MB/session':>11}"
            f"{'runs':>8}")
    log(head)
    for f in figs:
        b1 = median([m["http"] + m["ws"] for _, m in f.first])
        br = median([m["http"] + m["ws"] for _, m in f.narrow + f.widen])
        log(f"  {f.scale:>4}x{f.sessions or 0:>9}{ms_(f.load_ms):>15}{ms_(f.cold_ms):>15}"
            f"{ms_(f.med('first')):>12}{ms_(f.rerun_ms):>10}{ms_(f.med('narrow')):>10}"
            f"{ms_(f.med('widen')):>10}{ms_(f.script_first_ms):>12}{ms_(f.script_rerun_ms):>14}"
            f"{kb(b1):>12}{kb(br):>13}"
            f"{'-' if f.mem_mb is None else f'{f.mem_mb:.2f}':>11}"
            f"{f'{len(f.first)}/{len(f.narrow)}+{len(f.widen)}':>8}")
    base = figs[0]
    for f in figs[1:]:
        log(f"  {f.scale}x / 1x: first load {x_(ratio(f.med('first'), base.med('first')))}, "
            f"rerun {x_(ratio(f.rerun_ms, base.rerun_ms))}, script rerun "
            f"{x_(ratio(f.script_rerun_ms, base.script_rerun_ms))}, load "
            f"{x_(ratio(f.load_ms, base.load_ms))}")
    log("  load+validate: in the AppTest process, side by side with the server's own load "
        "(the warm-up, inside 'cold 1st load'); both share the 2 cores.")


def print_profile(title: str, text: str, max_lines: int = 70) -> None:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    log(f"\n-- profile: {title} (pyinstrument, AppTest, script thread, s) --")
    for ln in lines[:max_lines]:
        log("  " + ln[:160])
    if len(lines) > max_lines:
        log(f"  ... {len(lines) - max_lines} more lines")


def section_views() -> None:
    log("== Per-view build times (scripts/benchmark.py, real dataset, in-process) ==")
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "benchmark.py"), "5"],
                         cwd=ROOT, capture_output=True, text=True)
    for ln in (out.stdout + out.stderr).splitlines():
        log("  " + ln)


def main() -> int:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests" / "browser"))
    started = time.perf_counter()
    log(f"make bench: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start "
        f"(other processes on this machine slow every figure; the floor and the app alternate "
        f"run by run so both see the same), runs {RUNS}, scales {SCALES}, search {QUERY!r}")
    section_views()
    logdir = Path(tempfile.mkdtemp(prefix="cis-bench-"))
    real_sessions = len(list((REAL_DATA / "sessions").rglob("*.yaml")))
    by_scale: dict[int, Figures] = {}
    workers: dict[str, Worker] = {}
    views_by_scale: dict[int, dict] = {}
    view_worker = None
    with sync_playwright() as p:
        from conftest import chromium_path  # the browser tests' choice of Chromium

        browser = p.chromium.launch(executable_path=chromium_path(), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"])
        log(f"\nChromium {browser.version}; server logs in {logdir}")
        try:
            for scale in SCALES:
                t0 = time.perf_counter()
                if scale == 1:
                    data = REAL_DATA
                    targets = [floor_target(real_sessions), app_target(data)]
                else:
                    data = logdir / f"data-{scale}x"
                    from bench.make_synthetic import make_synthetic
                    make_synthetic(scale, data, REAL_DATA)
                    targets = [app_target(data)]
                big = scale >= int(os.environ.get("BENCH_BIG_SCALE", "100"))  # reduced plan
                plan = {"first_loads": 1 if big else RUNS, "reruns": SCALE_RUNS if big else RUNS,
                        "fresh": 1 if big else RUNS, "warm": not big,
                        "mem_sessions": MEM_SESSIONS if scale == 1 else
                        (max(1, MEM_SESSIONS // 2) if scale == 10 else 0)}
                log(f"measuring {' and '.join(t.name for t in targets)} at {scale}x: "
                    f"{plan['first_loads']} first loads, {plan['reruns']} reruns each way, "
                    f"{plan['mem_sessions']} sessions for memory ...")
                figs, ws = measure(browser, targets, scale, plan, logdir)
                views_by_scale[scale], vw = measure_views(browser, data, scale, logdir)
                if scale == max(SCALES):
                    view_worker = vw
                else:
                    vw.close()
                if scale == 1:
                    floor = figs[0]
                    ws[0].close()
                by_scale[scale] = figs[-1]
                if scale == 1 or scale == max(SCALES):
                    workers[f"{scale}x"] = ws[-1]  # kept for a profile if a target is missed
                else:
                    ws[-1].close()
                if scale != 1:
                    shutil.rmtree(data, ignore_errors=True)
                log(f"  done in {(time.perf_counter() - t0):.0f} s")
        finally:
            browser.close()
    app = by_scale[1]
    print_main(floor, app)
    print_scale([by_scale[s] for s in sorted(by_scale)])
    view_verdicts = print_views(views_by_scale, floor, view_worker)

    first_ratio = ratio(app.med("first"), floor.med("first"))
    rerun_ratio = ratio(app.rerun_ms, floor.rerun_ms)
    top = by_scale.get(100)
    scale_ratio = ratio(top.rerun_ms, app.rerun_ms) if top else None
    results = {"first_load_ratio": first_ratio, "rerun_ratio": rerun_ratio,
               "scale_100x_ratio": scale_ratio, "mem_per_session_mb": app.mem_mb}
    log("\n== Targets ==")
    missed = []
    for key, limit in TARGETS.items():
        v = results[key]
        verdict = "n/a (not measured)" if v is None else ("PASS" if v <= limit else "MISS")
        if verdict == "MISS":
            missed.append(key)
        unit = " MB" if key == "mem_per_session_mb" else "x"
        shown = "-" if v is None else f"{v:.3f}{unit}" if unit == " MB" else f"{v:.2f}{unit}"
        log(f"  {key:<22}{shown:>10}   target <= {limit}{unit}   {verdict}")

    if missed:
        log("\n== Where the time goes (targets missed: " + ", ".join(missed) + ") ==")
        if {"first_load_ratio", "rerun_ratio"} & set(missed):
            log("  Browser side (medians, ms): first load main-thread busy floor "
                f"{ms_(floor.med('first', 'TaskDuration'))} vs app "
                f"{ms_(app.med('first', 'TaskDuration'))}; JavaScript "
                f"{ms_(floor.med('first', 'ScriptDuration'))} vs "
                f"{ms_(app.med('first', 'ScriptDuration'))}; per rerun "
                f"{ms_(floor.rerun('TaskDuration'))} vs {ms_(app.rerun('TaskDuration'))}.")
            log(f"  Server side: script first run {ms_(floor.script_first_ms)} vs "
                f"{ms_(app.script_first_ms)}; per rerun {ms_(floor.script_rerun_ms)} vs "
                f"{ms_(app.script_rerun_ms)}.")
            try:
                prof = workers["1x"].profile()
                print_profile("app at 1x, first run of a session (CPU time)", prof["first"])
                print_profile("app at 1x, two reruns: search, then cleared (CPU time)",
                              prof["rerun"])
            except RuntimeError as exc:  # a failed profile must not lose the figures
                log(f"  (no profile: {exc})")
        top_key = f"{max(SCALES)}x"
        if "scale_100x_ratio" in missed and top_key in workers:
            try:
                prof = workers[top_key].profile(quick=True)
                print_profile(f"app at {top_key}, one rerun clearing the search (wall time)",
                              prof["rerun"], 60)
            except RuntimeError as exc:
                log(f"  (no profile: {exc})")
    for w in workers.values():
        w.close()
    if view_worker is not None:
        view_worker.close()
    shutil.rmtree(logdir, ignore_errors=True)

    summary = {
        **results,
        "targets": {k: ("n/a" if results[k] is None else
                        "PASS" if results[k] <= v else "MISS") for k, v in TARGETS.items()},
        "runs": RUNS, "scale_runs": SCALE_RUNS, "query": QUERY, "mem_sessions": MEM_SESSIONS,
        "floor": figures_json(floor), "app": figures_json(app),
        "scales": {f"{s}x": figures_json(f) for s, f in sorted(by_scale.items())},
        "views": {f"{s}x": v for s, v in sorted(views_by_scale.items())},
        "view_targets": view_verdicts,
        "total_s": round(time.perf_counter() - started),
    }
    log(f"\nmake bench took {summary['total_s']} s; load average {os.getloadavg()[0]:.2f} at end")
    print(json.dumps(summary, separators=(",", ":")), flush=True)
    return 0


def measure_views(browser, data: Path, scale: int, logdir: Path):
    """Every view at this scale: server figures from an AppTest worker, browser figures from
    a server of its own (warmed with one load). Returns ({view: figures}, the worker)."""
    from views import VIEWS, ViewsWorker, browse
    from views import median as vmed
    server_runs = 3 if scale == 1 else (2 if scale < 100 else 1)
    browser_runs = 2 if scale == 1 else 1
    vw = ViewsWorker(data, QUERY, server_runs, logdir)
    head = vw.read("loaded_ms")
    out = {}
    for _ in VIEWS:
        m = vw.read("view")
        out[m["view"]] = {"server_first_ms": vmed(m["first_ms"]),
                          "server_rerun_still_ms": vmed(m["still_ms"]),
                          "server_rerun_change_ms": vmed(m["change_ms"])}
    server = Server(app_target(data), logdir)
    try:
        ctx = open_page(browser, server.url, None, timeout=LONG)[2]
        ctx.close()
        seen = browse(browser, server.url, list(VIEWS), head["session"], QUERY, browser_runs,
                      Meter, timeout=LONG)
    finally:
        server.stop()
    for view, figures in seen.items():
        out[view].update(figures)
    return {v: {k: (None if x is None else round(x, 1)) for k, x in f.items()}
            for v, f in out.items()}, vw


def print_views(views_by_scale: dict, floor: Figures, worker) -> dict:
    """Per view and scale; then the view targets at the largest scale, with a profile of
    each miss."""
    from views import FIRST_RUN_MS, RERUN_MS
    log("\n== Every view (server: AppTest; browser: headless Chromium; medians, ms) ==")
    cols = ("server_first_ms", "server_rerun_still_ms", "server_rerun_change_ms",
            "first_load_ms", "rerun_still_ms", "rerun_change_ms", "first_load_bytes")
    heads = ("srv 1st", "srv R", "srv search", "1st load", "R rerun", "search", "bytes 1st")
    for scale, views in sorted(views_by_scale.items()):
        log(f"  {scale}x" + "".join(f"{h:>12}" for h in heads))
        for view, f in views.items():
            cells = [kb(f[c]) if c.endswith("bytes") else ms_(f[c]) for c in cols]
            log(f"    {view:<14}" + "".join(f"{c:>12}" for c in cells))
    top = max(views_by_scale)
    verdicts = {}
    log(f"\n== View targets at {top}x (server first run <= {FIRST_RUN_MS:.0f} ms, reruns <= "
        f"{RERUN_MS:.0f} ms) ==")
    for view, f in views_by_scale[top].items():
        v = {"first": f["server_first_ms"] <= FIRST_RUN_MS,
             "rerun_still": f["server_rerun_still_ms"] <= RERUN_MS,
             "rerun_change": f["server_rerun_change_ms"] <= RERUN_MS}
        verdicts[view] = {k: "PASS" if ok else "MISS" for k, ok in v.items()}
        log(f"  {view:<14} first {ms_(f['server_first_ms']):>10} {verdicts[view]['first']:<5}"
            f" R {ms_(f['server_rerun_still_ms']):>10} {verdicts[view]['rerun_still']:<5}"
            f" search {ms_(f['server_rerun_change_ms']):>10} {verdicts[view]['rerun_change']}")
    base = views_by_scale.get(1, {}).get("timeline", {})
    if base.get("rerun_still_ms") and floor.med("still"):
        log(f"  default view, R rerun in the browser: {ratio(base['rerun_still_ms'], floor.med('still')):.2f}x "
            f"the floor's")
    for view, v in verdicts.items():
        if "MISS" in v.values() and worker is not None:
            try:
                prof = worker.profile(view)
                print_profile(f"{view} at {top}x, first run (wall time)", prof["first"], 40)
                print_profile(f"{view} at {top}x, rerun changing no data (wall time)",
                              prof["still"], 25)
                print_profile(f"{view} at {top}x, rerun with a search (wall time)",
                              prof["change"], 40)
            except RuntimeError as exc:
                log(f"  (no profile for {view}: {exc})")
    return verdicts


def figures_json(f: Figures) -> dict:
    def r(v):
        return None if v is None else round(v, 1)
    return {
        "sessions": f.sessions, "load_ms": r(f.load_ms), "cold_first_load_ms": r(f.cold_ms),
        "first_load_ms": r(f.med("first")), "rerun_ms": r(f.rerun_ms),
        "rerun_narrow_ms": r(f.med("narrow")), "rerun_widen_ms": r(f.med("widen")),
        "script_first_ms": r(f.script_first_ms), "script_rerun_ms": r(f.script_rerun_ms),
        "script_rerun_cpu_ms": r(f.script_rerun_cpu_ms),
        "first_load_bytes": median([m["http"] + m["ws"] for _, m in f.first]),
        "first_load_http_bytes": median([m["http"] for _, m in f.first]),
        "first_load_ws_bytes": median([m["ws"] for _, m in f.first]),
        "rerun_bytes": median([m["http"] + m["ws"] for _, m in f.narrow + f.widen]),
        "first_load_busy_ms": r(f.med("first", "TaskDuration")),
        "rerun_busy_ms": r(f.rerun("TaskDuration")) if f.narrow else None,
        "rerun_still_ms": r(f.med("still")) if f.still else None,
        "mem_per_session_mb": None if f.mem_mb is None else round(f.mem_mb, 2),
    }


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_apptest":
        script, key, query, runs, fresh, warm = sys.argv[2:8]
        worker(script, key, query, int(runs), int(fresh), warm == "1")
        sys.exit(0)
    sys.exit(main())
