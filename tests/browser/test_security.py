"""Security settings, checked against the running server: another site can neither read
the app's responses (no permissive CORS) nor open a session over its websocket; the
settings are explicit in .streamlit/config.toml; no HTML from code or data."""

import asyncio
import re
import tomllib
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest
import websockets

from tests.conftest import ROOT

pytestmark = pytest.mark.browser


def _ws_status(app_url: str, origin: str) -> str:
    host = urlparse(app_url).netloc

    async def connect():
        try:
            async with websockets.connect(f"ws://{host}/_stcore/stream", origin=origin,
                                          subprotocols=["streamlit"], open_timeout=60):
                return "open"
        except websockets.InvalidStatus as exc:
            return str(exc.response.status_code)

    # Its own thread: Playwright's sync API may already run an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, connect()).result(timeout=120)


def test_other_origins_cannot_read_responses_or_open_a_session(app_url):
    req = urllib.request.Request(f"{app_url}/_stcore/health",
                                 headers={"Origin": "http://evil.example"})
    with urllib.request.urlopen(req, timeout=60) as resp:
        assert resp.status == 200
        assert resp.headers.get("Access-Control-Allow-Origin") in (None, "")
    assert _ws_status(app_url, "http://evil.example") == "403"
    assert _ws_status(app_url, app_url) == "open"  # the page's own origin works


def test_settings_are_explicit_and_safe():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["enableCORS"] is True
    assert config["server"]["corsAllowedOrigins"] == []
    assert config["browser"]["gatherUsageStats"] is False


def test_no_html_rendering_anywhere_in_the_code():
    """No data reaches the page as HTML. The one exception is a fixed <style> rule (the
    phone's "Filters" label, from the translation catalogue), checked here to hold nothing
    else: every module of the face is read, not only the top-level ones."""
    files = [ROOT / "app.py", *sorted((ROOT / "components").rglob("*.py"))]
    for path in files:
        code = path.read_text(encoding="utf-8")
        assert not re.search(r"\bst\.(html|components)\b|components\.v1", code), path
        uses = [m.start() for m in re.finditer(r"unsafe_allow_html\s*=\s*True", code)]
        if path.name != "furniture.py":
            assert not uses, path
            continue
        assert len(uses) == 1
        func = code[code.index("def phone_css"):]
        func = func[:func.index("\n\n\n") if "\n\n\n" in func else len(func)]
        assert "unsafe_allow_html=True" in func and "<style>" in func
        assert not re.search(r"\b(ds|row|frame|df|state)\b", func)  # nothing from the data
