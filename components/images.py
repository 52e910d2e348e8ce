"""PNG and SVG export of the app's plotly figures, rendered on the server with no network access.

kaleido drives a headless Chromium (found on PATH, or at $BROWSER_PATH) on a page built only
from local files:

- plotly.js from plotly.py's own package_data (the version the app draws with);
- no MathJax (kaleido's default is a CDN address);
- the base-map topojson the app already serves (static/world_50m.json, world_110m.json),
  preloaded as ``window.PlotlyGeoAssets.topojson``, where plotly.js looks before fetching; the
  fallback topojsonURL is static/ as a file:// address, so a map needing another file fails
  on the local disk instead of asking cdn.plot.ly.

Two guards keep every request on the machine. The page's requests are intercepted (DevTools
Fetch domain): file:, data: and blob: go on, anything else is failed inside the browser and the
export raises ImageExportError naming the address. Chromium's own background traffic (update
checks, sign-in, the search engine's preconnect) is sent to a proxy on 127.0.0.1 at a port this
process holds bound but not listening, so it is refused without a DNS lookup or a packet out.

One browser is started on the first export (about 1.5 s) and reused; a lock serialises exports,
so any number of Streamlit threads may call ``figure_image``. The browser is closed after
IDLE_SECONDS without use, at interpreter exit, or by ``shutdown()``; a browser that died is
replaced on the next call.
"""

from __future__ import annotations

import asyncio
import atexit
import collections
import concurrent.futures
import json
import logging
import os
import re
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .attendance_map import STATIC_DIR

if TYPE_CHECKING:
    import plotly.graph_objects as go

FORMATS = ("png", "svg")
DEFAULT_WIDTH = 1100
DEFAULT_HEIGHT = 500
MAX_SIDE = 10_000  # pixels; a guard against a typo asking Chromium for a huge canvas
# Looked up on PATH in this order when $BROWSER_PATH is not set.
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
START_TIMEOUT = 60.0  # seconds to start Chromium and load the page
RENDER_TIMEOUT = 60.0  # seconds for one figure
IDLE_SECONDS = 600.0  # close the browser after this long without an export
LOCAL_SCHEMES = ("file", "data", "blob")
# plotly.js names a base map f"{scope}_{resolution}m" and looks it up in PlotlyGeoAssets.
_TOPOJSON_FILE = re.compile(r"^[a-z-]+_(?:50|110)m\.json$")
# Names the app's other downloads end with; image_name swaps them for the image format.
_KNOWN_SUFFIXES = (".csv", ".png", ".svg", ".zip", ".json", ".ics")

_log = logging.getLogger(__name__)


class ImageExportError(RuntimeError):
    """An image could not be made: no browser, the browser failed, or the figure needs the network."""


# --- public API ----------------------------------------------------------------------------


def figure_image(fig: go.Figure, fmt: str, width: int = DEFAULT_WIDTH,
                 height: int | None = None) -> bytes:
    """The figure as PNG or SVG bytes, ``width`` x ``height`` pixels (PNG at scale 1).

    ``height`` defaults to the figure's layout height, else 500. Blocks for the render (well
    under a second once the browser runs; the first call also starts it). Raises
    ImageExportError with a readable message when no image can be made.
    """
    fmt = _format(fmt)
    width = _side(width, "width")
    height = _side(height if height is not None else (fig.layout.height or DEFAULT_HEIGHT), "height")
    spec = fig.to_dict()  # in the caller's thread: the browser thread never touches the figure
    with _lock:
        for attempt in (1, 2):
            renderer = _running_renderer()
            try:
                data = renderer.render(spec, fmt, width, height)
            except _BrowserGone as e:
                _close_renderer()  # a crashed or stuck browser: the next call starts a new one
                if attempt == 2 or e.retry is False:
                    raise ImageExportError(f"The image export browser failed: {e}") from e
                _log.warning("image export browser failed (%s); starting a new one", e)
                continue
            _schedule_idle_close()
            return data
    raise AssertionError("unreachable")


def image_name(csv_like_name_or_stem: str, fmt: str) -> str:
    """The download name for a figure: the view's CSV name (or its stem) with the image suffix.

    ``image_name("cis_map_all-councils_2014-2026.csv", "png") == "cis_map_all-councils_2014-2026.png"``
    """
    fmt = _format(fmt)
    stem = csv_like_name_or_stem.strip().replace("/", "-").replace("\\", "-")
    for suffix in _KNOWN_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return f"{stem or 'figure'}.{fmt}"


def find_browser() -> str | None:
    """The Chromium that exports would use: $BROWSER_PATH if set (as choreographer honours it),
    else the first of BROWSER_NAMES on PATH; None when there is none (the UI can then hide the
    image buttons)."""
    if env := os.environ.get("BROWSER_PATH"):
        return env if _is_executable(env) else None
    for name in BROWSER_NAMES:
        if path := shutil.which(name):
            return path
    return None


def requests_seen() -> tuple[str, ...]:
    """The most recent addresses the export page asked for (diagnostics: all should be file:)."""
    with _lock:
        return tuple(_renderer.requests) if _renderer else ()


def shutdown() -> None:
    """Close the export browser, if one runs. The next export starts a new one."""
    if not _lock.acquire(timeout=RENDER_TIMEOUT + 10):
        _log.warning("image export still busy at shutdown; closing its browser anyway")
        _close_renderer()
        return
    try:
        _close_renderer()
    finally:
        _lock.release()


# --- the browser ---------------------------------------------------------------------------


class _BrowserGone(Exception):
    """The browser, not the figure, failed; ``retry`` False when retrying would just wait again."""

    def __init__(self, message: str, retry: bool = True):
        super().__init__(message)
        self.retry = retry


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def topojson_url() -> str:
    """Where plotly.js falls back to for a base map not preloaded: the app's static/, on disk."""
    return STATIC_DIR.resolve().as_uri() + "/"


def geo_assets_js() -> str:
    """A script preloading every base map in static/ into window.PlotlyGeoAssets.topojson."""
    lines = ["window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};",
             "window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};"]
    for path in sorted(STATIC_DIR.glob("*.json")):
        if _TOPOJSON_FILE.match(path.name):
            # Parsed and re-dumped: fails here on a broken file, and ASCII-only output needs
            # no charset on the <script> tag.
            topo = json.dumps(json.loads(path.read_text(encoding="utf-8")), separators=(",", ":"))
            lines.append(f"window.PlotlyGeoAssets.topojson[{json.dumps(path.stem)}] = {topo};")
    return "\n".join(lines) + "\n"


def page_generator(assets_js: Path):
    """kaleido's page, every script a local file: plotly.js, the base maps, no MathJax."""
    import kaleido  # on first export only

    return kaleido.PageGenerator(plotly=_plotly_js().as_uri(), mathjax=False,
                                 others=[assets_js.as_uri()])


class _Renderer:
    """One Chromium (via kaleido) on an event loop in its own thread."""

    def __init__(self, browser: str):
        from choreographer.utils import TmpDirectory

        self.browser = browser
        self.requests: collections.deque[str] = collections.deque(maxlen=200)
        self.blocked: list[str] = []
        self.last_used = time.monotonic()
        self._kaleido = None
        self._closing = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        # A port we hold bound and never listen on: Chromium's own traffic is refused there.
        self._hole = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._hole.bind(("127.0.0.1", 0))
        self.proxy = f"http://127.0.0.1:{self._hole.getsockname()[1]}"
        # A snap Chromium cannot read /tmp; choreographer's TmpDirectory knows where to go.
        self._tmp = TmpDirectory(sneak="snap" in browser)
        try:
            assets = self._tmp.path / "plotly_geo_assets.js"
            assets.write_text(geo_assets_js(), encoding="ascii")
            self.page = page_generator(assets)
            self._loop = asyncio.new_event_loop()
            self._loop.set_exception_handler(self._on_loop_error)
            self._thread = threading.Thread(target=self._loop.run_forever,
                                            name="image-export-browser", daemon=True)
            self._thread.start()
            self._kaleido = self._call(self._open(), START_TIMEOUT)
        except BaseException:
            self.close()
            raise

    def _on_loop_error(self, loop: asyncio.AbstractEventLoop, context: dict) -> None:
        if self._closing and context.get("exception") is not None:
            # A render still in flight when the browser closes fails with "Executor is closed":
            # expected. Its "never retrieved" traceback would be formatted by whichever thread
            # collects the task, and on CPython 3.11 that raced with ast.parse in another
            # thread ("AST constructor recursion depth mismatch" in a CI run).
            _log.debug("image export, after close: %s: %r", context.get("message"),
                       context["exception"])
            return
        loop.default_exception_handler(context)

    def alive(self) -> bool:
        """False once Chromium's process has exited (crash, OOM kill): saves waiting on a dead pipe."""
        process = getattr(self._kaleido, "subprocess", None)
        return (self._thread is not None and self._thread.is_alive()
                and (process is None or process.poll() is None))

    def _call(self, coro, timeout: float):
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    async def _open(self):
        import kaleido

        k = kaleido.Kaleido(page_generator=self.page, path=self.browser, timeout=RENDER_TIMEOUT,
                            proxy_server=self.proxy, enable_extensions=False)
        try:
            await k.open()
            for tab in k.tabs.values():
                await self._guard(tab)
        except BaseException:
            try:
                await k.close()
            except Exception:  # the first error is the one to report
                pass
            raise
        return k

    async def _guard(self, tab) -> None:
        """Every request of the page pauses here: local schemes go on, anything else fails."""

        async def paused(event: dict[str, Any]) -> None:
            params = event.get("params", {})
            url = params.get("request", {}).get("url", "")
            self.requests.append(url)
            if url.split(":", 1)[0].lower() in LOCAL_SCHEMES:
                await tab.send_command("Fetch.continueRequest",
                                       params={"requestId": params["requestId"]})
            else:
                self.blocked.append(url)
                await tab.send_command("Fetch.failRequest", params={
                    "requestId": params["requestId"], "errorReason": "BlockedByClient"})

        tab.subscribe("Fetch.requestPaused", paused)
        reply = await tab.send_command("Fetch.enable", params={"patterns": [{"urlPattern": "*"}]})
        if "error" in reply:
            raise RuntimeError(f"could not guard the export page's requests: {reply['error']}")

    def render(self, spec: dict, fmt: str, width: int, height: int) -> bytes:
        from kaleido.errors import JavascriptError, KaleidoError

        self.blocked.clear()
        opts = {"format": fmt, "width": width, "height": height, "scale": 1}
        try:
            data = self._call(self._kaleido.calc_fig(spec, opts, topojson=topojson_url()),
                              RENDER_TIMEOUT + 10)
        except (KaleidoError, JavascriptError) as e:
            if self.blocked:  # e.g. a base map not in static/ that plotly.js then asked a CDN for
                raise ImageExportError(self._blocked_message()) from e
            raise ImageExportError(f"plotly.js could not draw the figure: {e}") from e
        except (TimeoutError, concurrent.futures.TimeoutError) as e:
            raise _BrowserGone(f"no image after {RENDER_TIMEOUT:.0f} s", retry=False) from e
        except Exception as e:  # the browser died or the DevTools pipe broke
            raise _BrowserGone(f"{type(e).__name__}: {e}") from e
        finally:
            self.last_used = time.monotonic()
        if self.blocked:
            raise ImageExportError(self._blocked_message())
        if not data:
            raise _BrowserGone("the browser returned an empty image")
        return data

    def _blocked_message(self) -> str:
        return ("The figure needs files from the network, which image export never fetches: "
                + ", ".join(sorted(set(self.blocked))))

    def close(self) -> None:
        self._closing = True
        if self._kaleido is not None and self._thread is not None and self._thread.is_alive():
            try:
                self._call(self._kaleido.close(), 20)
            except Exception as e:  # closing is best effort
                _log.warning("image export browser did not close cleanly: %s", e)
        self._kaleido = None
        if self._loop is not None:
            if self._thread is not None and self._thread.is_alive():
                try:  # choreographer's watchdog and the like: end them before the loop goes
                    self._call(_cancel_pending(), 5)
                except Exception:
                    pass
            self._loop.call_soon_threadsafe(self._loop.stop)
            if self._thread is not None:
                self._thread.join(5)
            if self._thread is None or not self._thread.is_alive():
                self._loop.close()
        self._hole.close()
        self._tmp.clean()


async def _cancel_pending() -> None:
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


# --- module state: one renderer, behind one lock --------------------------------------------

_lock = threading.Lock()
_renderer: _Renderer | None = None
_idle_timer: threading.Timer | None = None
_starts = 0  # browsers started by this process (tests check that one is reused)


def _running_renderer() -> _Renderer:
    """The live renderer, started on first use. Call with _lock held."""
    global _renderer, _starts
    if _renderer is not None and not _renderer.alive():
        _log.warning("image export browser exited; starting a new one")
        _close_renderer()
    if _renderer is None:
        browser = find_browser()
        if browser is None:
            if env := os.environ.get("BROWSER_PATH"):
                raise ImageExportError(
                    f"Image export needs Chromium, and BROWSER_PATH={env!r} is not an executable.")
            raise ImageExportError(
                "Image export needs Chromium or Google Chrome, and none was found: install the "
                "'chromium' package (or Chrome), or set BROWSER_PATH to its executable.")
        try:
            t0 = time.perf_counter()
            _renderer = _Renderer(browser)
            _starts += 1
            _log.info("image export browser %s started in %.1f s", browser, time.perf_counter() - t0)
        except ImportError as e:
            raise ImageExportError(f"Image export needs the kaleido package: {e}") from e
        except Exception as e:
            raise ImageExportError(f"Could not start {browser} for image export: "
                                   f"{type(e).__name__}: {e}") from e
    return _renderer


def _close_renderer() -> None:
    global _renderer, _idle_timer
    if _idle_timer is not None:
        _idle_timer.cancel()
        _idle_timer = None
    renderer, _renderer = _renderer, None
    if renderer is not None:
        renderer.close()


def _schedule_idle_close() -> None:
    """(Re)arm the idle timer. Call with _lock held."""
    global _idle_timer
    if _idle_timer is not None:
        _idle_timer.cancel()
    _idle_timer = threading.Timer(IDLE_SECONDS, _close_if_idle)
    _idle_timer.daemon = True
    _idle_timer.start()


def _close_if_idle() -> None:
    with _lock:
        # A timer cancelled while waiting for the lock finds a recent export and does nothing.
        if _renderer is not None and time.monotonic() - _renderer.last_used >= IDLE_SECONDS * 0.99:
            _close_renderer()


atexit.register(shutdown)


# --- argument checks -----------------------------------------------------------------------


def _format(fmt: str) -> str:
    f = str(fmt).lower().lstrip(".")
    if f not in FORMATS:
        raise ValueError(f"image format must be one of {FORMATS}, not {fmt!r}")
    return f


def _side(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 1 <= value <= MAX_SIDE:
        raise ValueError(f"{name} must be a number of pixels from 1 to {MAX_SIDE}, not {value!r}")
    return int(round(value))


def _is_executable(path: str) -> bool:
    return Path(path).is_file() and os.access(path, os.X_OK)
