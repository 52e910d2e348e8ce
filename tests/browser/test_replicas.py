"""Two replicas behind nginx, as `make serve-replicas` runs them (deploy/replicas.py), with
thirty users at once: each sees its own view, sessions spread over both replicas, and when
one replica is killed its pages reconnect to the other and show the same view again.
Timings are printed (p50/p95), never asserted."""

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from urllib.parse import parse_qs

import pytest

from components.dataset import load_dataset
from tests.browser.conftest import _free_port
from tests.browser.crowd import DIAGNOSE, READY, Crowd, assert_own_views, summary, visits
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

USERS = 30
NEWCOMERS = 4
# The failover test runs its own cluster with fewer users: it kills a replica, so it shares
# nothing with the other tests.
FAILOVER_USERS = 12
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (killed, not yet reaped by the launcher) counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


@contextlib.contextmanager
def start_cluster(run_dir):
    """deploy/replicas.py --replicas 2 --no-restart on a free port, with its own run dir."""
    run_dir.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    log_path = run_dir / "launcher.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "replicas.py"), "--replicas", "2",
         "--no-restart", "--host", "127.0.0.1", "--port", str(port), "--run-dir", str(run_dir)],
        cwd=ROOT, env={**os.environ, "CIS_DATA_DIR": str(ROOT / "data")},
        stdout=log, stderr=subprocess.STDOUT)
    state_file = run_dir / "replicas.json"
    deadline = time.monotonic() + 120
    while not state_file.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the replica launcher did not start:\n{log_path.read_text()}")
        time.sleep(0.2)
    state = json.loads(state_file.read_text())
    yield {"url": f"http://127.0.0.1:{port}", "state": state, "proc": proc,
           "log": log_path, "run_dir": run_dir}
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    log.close()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """The cluster the read-only tests share (nginx compression, thirty users, spread)."""
    with start_cluster(tmp_path_factory.mktemp("replicas")) as c:
        yield c


@pytest.fixture
def own_cluster(tmp_path):
    """A cluster of its own, for a test that kills or stops it: every test here passes alone
    and in any order."""
    with start_cluster(tmp_path / "replicas") as c:
        yield c


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(ROOT / "data")


@pytest.fixture(scope="module")
def crowd():
    with Crowd() as c:
        yield c


@pytest.fixture(scope="module")
def users(cluster, crowd, dataset):
    """Thirty users open thirty different links through nginx at once, then each switches
    to the Sessions view at once."""
    return crowd.load_and_rerun(cluster["url"], visits(dataset, USERS))


def test_nginx_compresses_the_app_s_scripts(cluster):
    """The first load is mostly JavaScript that Streamlit sends uncompressed: through nginx a
    visitor gets it gzip-compressed, with the same bytes once decompressed."""
    import gzip
    import re

    with DIRECT.open(cluster["url"] + "/", timeout=10) as r:
        page = r.read().decode()
    script = re.search(r'<script[^>]+src="\.?/?([^"]+\.js)"', page).group(1)
    plain = DIRECT.open(cluster["url"] + "/" + script, timeout=10).read()
    req = urllib.request.Request(cluster["url"] + "/" + script,
                                 headers={"Accept-Encoding": "gzip"})
    with DIRECT.open(req, timeout=10) as r:
        assert r.headers.get("Content-Encoding") == "gzip"
        packed = r.read()
    assert gzip.decompress(packed) == plain
    assert len(packed) < len(plain) / 2
    print(f"\n{script}: {len(plain)} bytes, {len(packed)} gzip-compressed through nginx")


def test_thirty_users_through_nginx_each_see_their_own_view(users, capsys):
    assert len(users) == USERS and len({u.visit.query for u in users}) == USERS
    assert_own_views(users)
    with capsys.disabled():
        print(f"\n[nginx + 2 replicas, {USERS} users] "
              + summary("first load", [u.load_ms for u in users]))
        print(f"[nginx + 2 replicas, {USERS} users] "
              + summary("rerun after switching to Sessions", [u.rerun_ms for u in users]))


def test_sessions_spread_over_both_replicas(users, crowd, capsys):
    spread = Counter(u.replica for u in users)
    with capsys.disabled():
        print(f"\n[nginx + 2 replicas] sessions per replica: {dict(sorted(spread.items()))}")
    assert set(spread) == {"r1", "r2"}, spread
    # Each page is pinned by the cis_replica cookie to the replica that serves it.
    async def cookies():
        return [{c["name"]: c["value"] for c in await u.context.cookies()}.get("cis_replica")
                for u in users]
    assert crowd.run(cookies(), timeout=60) == [u.replica for u in users]


RERUN_ON = """([replica, count]) => (%s)()
  && [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
       .some(e => e.innerText.endsWith('· server ' + replica))
  && [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
       .some(e => e.innerText.startsWith(count + (count === 1 ? ' session in view' : ' sessions in view')))""" % READY

STATUS = "() => !!document.querySelector('[data-testid=stStatusWidget]')"


def test_a_killed_replica_s_pages_reconnect_to_the_other_one(own_cluster, crowd, dataset,
                                                             capsys):
    cluster = own_cluster
    users = crowd.load_and_rerun(cluster["url"], visits(dataset, FAILOVER_USERS))
    spread = Counter(u.replica for u in users)
    assert set(spread) == {"r1", "r2"}, spread
    victim = spread.most_common(1)[0][0]
    survivor = ({"r1", "r2"} - {victim}).pop()
    pid = cluster["state"]["replicas"][victim]["pid"]
    moved = [u for u in users if u.replica == victim]
    stayed = [u for u in users if u.replica == survivor]
    before = {id(u): (u.count, parse_qs(u.seen["search"].lstrip("?")), len(u.websockets))
              for u in moved}
    newcomers = visits(dataset, FAILOVER_USERS + NEWCOMERS)[FAILOVER_USERS:]

    async def reconnect(u, t_kill) -> float:
        """Streamlit's frontend opens a new websocket (through nginx, now to the survivor)
        and clears its connection status, without any action on the page."""
        first_ok = None
        while True:
            fresh = [ws for t, ws in u.websockets[before[id(u)][2]:] if t > t_kill]
            ok = bool(fresh) and not fresh[-1].is_closed() and not await u.page.evaluate(STATUS)
            if ok and first_ok is not None and time.monotonic() - first_ok > 0.25:
                return (first_ok - t_kill) * 1000  # and still connected a moment later
            first_ok = (first_ok or time.monotonic()) if ok else None
            if time.monotonic() - t_kill > 120:
                raise AssertionError(f"{u.visit.query}: no reconnection within 120 s: "
                                     f"{len(fresh)} new websockets, page shows "
                                     f"{await u.page.evaluate(DIAGNOSE)}")
            await asyncio.sleep(0.05)

    presses = Counter()

    async def rerun(u) -> float:
        """The user's next action (here R, Streamlit's rerun key) runs the script on the
        survivor, which rebuilds the same view from the link. A key pressed in the instant
        between a websocket opening and the frontend counting itself connected is dropped,
        as a user's would be; like a user, press again when nothing happens."""
        from playwright.async_api import TimeoutError as PlaywrightTimeout
        arg = [survivor, before[id(u)][0]]
        t0 = time.monotonic()
        for attempt in range(1, 6):
            presses[u.visit.query] += 1
            await u.page.evaluate("() => document.activeElement && document.activeElement.blur()")
            await u.page.keyboard.press("r")
            try:
                await u.page.wait_for_function(RERUN_ON, arg=arg, polling=100,
                                               timeout=30_000 * attempt)
                break
            except PlaywrightTimeout:
                if attempt == 5:
                    raise AssertionError(f"{u.visit.query}: no rerun on {survivor}; the page "
                                         f"shows {await u.page.evaluate(DIAGNOSE)}") from None
        took = (time.monotonic() - t0) * 1000
        await crowd.read(u)
        return took

    async def go():
        os.kill(pid, signal.SIGKILL)
        t_kill = time.monotonic()
        reconnected = await asyncio.gather(*(reconnect(u, t_kill) for u in moved))
        reruns = await asyncio.gather(*(rerun(u) for u in moved))
        t0 = time.monotonic()
        fresh = await asyncio.gather(*(crowd.open_user(cluster["url"], v) for v in newcomers))
        newcomers_ms = (time.monotonic() - t0) * 1000
        for u in stayed:
            await crowd.read(u)
        jar = [{c["name"]: c["value"] for c in await u.context.cookies()}.get("cis_replica")
               for u in moved + list(fresh)]
        return reconnected, reruns, list(fresh), newcomers_ms, jar

    reconnected, reruns, fresh, newcomers_ms, jar = crowd.run(go(), timeout=400)
    with capsys.disabled():
        print(f"\n[failover] killed {victim} (pid {pid}, SIGKILL) holding {len(moved)} sessions; "
              f"{survivor} kept {len(stayed)}")
        print("[failover] " + summary("kill -> page reconnected (websocket open, no status)",
                                      reconnected))
        print("[failover] " + summary(f"next rerun (R) -> drawn by {survivor}, same view", reruns))
        print(f"[failover] R presses per moved page: {sorted(Counter(presses.values()).items())}"
              " (presses, pages)")
        print(f"[failover] {NEWCOMERS} new visitors loaded in {newcomers_ms:.0f} ms, served by "
              f"{sorted({u.replica for u in fresh})}")

    assert not _alive(pid)
    for u in moved:
        count, params, _ = before[id(u)]
        assert u.replica == survivor, (u.visit.query, u.seen["footer"])
        assert u.count == count == u.visit.count, u.visit.query
        assert parse_qs(u.seen["search"].lstrip("?")) == params, u.visit.query
        assert u.seen["exceptions"] == [], u.visit.query
    assert jar == [survivor] * len(jar)         # the cookie now pins them to the survivor
    for u in stayed:                           # the survivor's own pages never noticed
        assert u.replica == survivor and u.count == u.visit.count and not u.seen["exceptions"]
    for u in fresh:
        assert u.replica == survivor, u.seen["footer"]
        assert u.count == u.visit.count and not u.seen["exceptions"]
    assert all(u.outside == [] for u in users + fresh)
    # nginx itself stays healthy while one replica answers.
    with DIRECT.open(cluster["url"] + "/healthz", timeout=5) as r:
        assert r.status == 200


def test_the_launcher_stops_nginx_and_replicas_on_sigterm(own_cluster):
    cluster = own_cluster
    proc, state = cluster["proc"], cluster["state"]
    pids = [state["nginx_pid"]] + [r["pid"] for r in state["replicas"].values()]
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [p for p in pids if _alive(p)]
    assert not (cluster["run_dir"] / "replicas.json").exists()
    assert "stopped" in cluster["log"].read_text()
