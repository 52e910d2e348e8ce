"""Browser tests: the real app in a subprocess, driven by a real headless Chromium."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from components.dataset import load_dataset
from components.filters import vocabulary
from tests.conftest import ROOT

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if path := shutil.which(name):
            return path
    return None  # fall back to Playwright's own Chromium, if installed


class served:
    """`streamlit run app.py` on a free port with a data folder, for the length of a `with`."""

    def __init__(self, data_dir: Path, timeout: float = 60):
        self.data_dir, self.timeout = data_dir, timeout

    def __enter__(self) -> str:
        port = _free_port()
        env = {**os.environ, "CIS_DATA_DIR": str(self.data_dir)}
        # The server's output goes to a file, not a pipe: a pipe nobody reads fills up and
        # blocks the server the moment it writes a few pages of log (a traceback, say).
        self.log = tempfile.NamedTemporaryFile(prefix="cis-app-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.time() + self.timeout
        while time.time() < deadline:
            try:
                urllib.request.urlopen(url + "/_stcore/health", timeout=2)
                return url
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(Path(self.log.name).read_text(errors="replace"))
                time.sleep(0.3)
        self.proc.kill()
        raise RuntimeError(f"the app did not start within {self.timeout} s")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.log.close()
        os.unlink(self.log.name)


@pytest.fixture(scope="session")
def app_url():
    with served(ROOT / "data") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as p:
        try:
            b = p.chromium.launch(executable_path=chromium_path(), args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic"])
        except Error as exc:  # a missing browser is a failure, never a skip
            pytest.fail(f"No Chromium for the browser tests (run `make browser`): {exc}")
        yield b
        b.close()


def _watched_page(browser, **context_args):
    """A fresh browser context (like a new user opening a link) and a list that collects
    every request to a host other than the app's own."""
    context = browser.new_context(accept_downloads=True, **context_args)
    pg = context.new_page()
    outside: list[str] = []

    def watch(request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob", "about"):
            return
        if parsed.hostname not in LOCAL_HOSTS:
            outside.append(request.url)

    pg.on("request", watch)
    return context, pg, outside


@pytest.fixture
def page(browser):
    """Desktop-size page; fails the test on any request to a host other than the app's own."""
    context, pg, outside = _watched_page(browser, viewport={"width": 1400, "height": 1000})
    yield pg
    context.close()
    assert outside == [], f"requests left localhost: {outside}"


@pytest.fixture
def phone(browser):
    """A phone-size page (390 x 844, touch), with the same no-outside-request rule."""
    context, pg, outside = _watched_page(browser, viewport={"width": 390, "height": 844},
                                         device_scale_factor=2, is_mobile=True, has_touch=True)
    yield pg
    context.close()
    assert outside == [], f"requests left localhost: {outside}"


ARTIFACTS = ROOT / "artifacts"


def screenshot(pg, name: str) -> Path:
    """Save a full-page screenshot under artifacts/ (kept out of git) and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    pg.screenshot(path=str(path), full_page=True)
    return path


def settle(pg, condition_js: str, timeout: float = 10_000) -> None:
    """Give the page up to `timeout` ms to make `condition_js` true (under load a style or a
    chart may land after the footer), then return either way: the caller's assertion says
    what was expected."""
    try:
        pg.wait_for_function(condition_js, timeout=timeout)
    except PlaywrightTimeout:
        pass


def wait_ready(pg, timeout: float = 30_000) -> None:
    """Wait until the script has run to its end: the footer is the last thing it draws."""
    pg.wait_for_selector("[data-testid=stApp]", timeout=timeout)
    pg.get_by_text(re.compile("^(Dataset|Данные):")).first.wait_for(timeout=timeout)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=timeout)


@pytest.fixture(scope="session")
def real():
    ds = load_dataset(ROOT / "data")
    return ds, vocabulary(ds)


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def wait_query(page, key: str, value: str | None, timeout: float = 15_000) -> None:
    """Wait until the address bar holds key=value (or no key when value is None)."""
    if value is None:
        page.wait_for_function(f"() => !new URLSearchParams(location.search).has('{key}')",
                               timeout=timeout)
    else:
        page.wait_for_function(
            f"() => new URLSearchParams(location.search).getAll('{key}').includes('{value}')",
            timeout=timeout)
