"""Image export: PNG and SVG of the app's figures from a local headless Chromium, never the network.

The machine running the tests has no internet, and the export refuses any non-local request
(ImageExportError), so a map that renders here rendered without cdn.plot.ly; the request log
and the negative controls below check the guards themselves.
"""

import os
import re
import signal
import socket
import struct
import xml.etree.ElementTree as ET
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from io import BytesIO
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image

from components import attendance_map, images
from components.downloads import file_name
from components.palette import ATTENDANCE_COLOURS

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">x</a>'


def rgb(hex_colour: str) -> str:
    """A palette colour as plotly writes it in SVG: rgb(0, 114, 178)."""
    h = hex_colour.lstrip("#")
    return "rgb({}, {}, {})".format(*(int(h[i:i + 2], 16) for i in (0, 2, 4)))


def svg_root(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == SVG + "svg"
    return root


def bar(title: str, height: int | None = None) -> go.Figure:
    fig = go.Figure(go.Bar(x=["cfm", "cmo", "chs"], y=[3, 1, 2], name="sessions"))
    fig.update_layout(title={"text": title}, height=height)
    return fig


@pytest.fixture(scope="module")
def exporter():
    """The export browser, closed after this module. `make test` may have only Playwright's
    Chromium (not on PATH): then BROWSER_PATH points at it, as a user would set it."""
    with pytest.MonkeyPatch.context() as mp:
        if images.find_browser() is None:
            from playwright.sync_api import sync_playwright
            with sync_playwright() as p:
                mp.setenv("BROWSER_PATH", p.chromium.executable_path)
        yield images
        images.shutdown()


# --- no browser needed ---------------------------------------------------------------------


def test_image_name_follows_the_csv_name():
    csv = file_name("map", (), (2014, 2026))
    assert csv == "cis_map_all-councils_2014-2026.csv"
    assert images.image_name(csv, "png") == "cis_map_all-councils_2014-2026.png"
    assert images.image_name("cis_map_all-councils_2014-2026", "SVG") == "cis_map_all-councils_2014-2026.svg"
    assert images.image_name("cis_timeline_cfm_2020-2025_q-связь", ".png") == "cis_timeline_cfm_2020-2025_q-связь.png"
    assert images.image_name("a/b.csv", "svg") == "a-b.svg" and images.image_name("", "png") == "figure.png"


def test_bad_arguments_are_refused_before_any_browser():
    with pytest.raises(ValueError, match="format"):
        images.figure_image(bar("t"), "jpg")
    with pytest.raises(ValueError, match="width"):
        images.figure_image(bar("t"), "png", width=0)
    with pytest.raises(ValueError, match="format"):
        images.image_name("x.csv", "pdf")


def test_export_page_loads_only_local_files(tmp_path):
    assets = tmp_path / "plotly_geo_assets.js"
    assets.write_text(images.geo_assets_js(), encoding="ascii")
    html = images.page_generator(assets).generate_index()
    sources = re.findall(r'src="([^"]+)"', html)
    assert len(sources) == 3  # plotly.js, the base maps, kaleido's own script; no MathJax
    assert all(s.startswith("file:///") for s in sources), sources
    assert all(Path(s.removeprefix("file://")).is_file() for s in sources)
    assert "mathjax" not in html.lower() and "http" not in html
    js = assets.read_text(encoding="ascii")
    assert 'topojson["world_50m"] = {"type":"Topology"' in js
    assert 'topojson["world_110m"] = {"type":"Topology"' in js
    assert images.topojson_url().startswith("file:///") and images.topojson_url().endswith("/static/")


def test_no_chromium_gives_a_clear_error(monkeypatch):
    images.shutdown()
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(images.ImageExportError, match="BROWSER_PATH='/nonexistent/chromium'"):
        images.figure_image(bar("t"), "png")
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setattr(images.shutil, "which", lambda name: None)
    assert images.find_browser() is None
    with pytest.raises(images.ImageExportError, match="needs Chromium or Google Chrome"):
        images.figure_image(bar("t"), "svg")


# --- with the headless Chromium ------------------------------------------------------------


@pytest.mark.slow
def test_png_has_the_signature_and_the_requested_size(exporter):
    data = exporter.figure_image(bar("Sessions per council", height=420), "png", width=640)
    assert data.startswith(PNG_SIGNATURE)
    assert data[12:16] == b"IHDR" and struct.unpack(">II", data[16:24]) == (640, 420)
    img = Image.open(BytesIO(data))
    assert img.format == "PNG" and img.size == (640, 420)
    assert len(img.getcolors(maxcolors=1 << 16) or "many") > 1  # something was drawn
    # Height: the layout's when set, else 500; width 1100 by default.
    assert Image.open(BytesIO(exporter.figure_image(bar("t"), "png"))).size == (1100, 500)


@pytest.mark.slow
def test_svg_is_xml_with_the_title(exporter):
    title = "Sessions per council, 2014–2026 · Алматы"
    root = svg_root(exporter.figure_image(bar(title), "svg", width=800, height=300))
    assert (root.get("width"), root.get("height")) == ("800", "300")
    assert title in ["".join(t.itertext()) for t in root.iter(SVG + "text")]
    assert len(root.findall(f".//{SVG}g[@class='point']")) == 3  # the three bars


@pytest.mark.slow
def test_hostile_title_is_text_not_markup(exporter):
    data = exporter.figure_image(bar(HOSTILE), "svg")
    root = svg_root(data)
    assert b"<script" not in data.lower() and b"<img" not in data.lower()
    elements = list(root.iter())
    assert not [e for e in elements if e.tag.split("}")[-1] in ("script", "img", "foreignObject")]
    attributes = [(k, v) for e in elements for k, v in e.attrib.items()]
    assert not [k for k, _ in attributes if k.lower().startswith("on")]
    assert not [v for _, v in attributes if "javascript:" in v.lower()]
    title = next(t for t in root.iter(SVG + "text") if t.get("class") == "gtitle")
    assert "<script>alert(1)</script>" in "".join(title.itertext())  # shown as text


@pytest.mark.slow
def test_session_map_renders_offline_from_local_geometry(exporter, ds):
    frame = attendance_map.session_frame(ds, "cfm-2025-04-11", tuple(ds.countries["country"]))
    fig = attendance_map.build_session_map(frame, "Almaty, 11 April 2025")
    data = exporter.figure_image(fig, "svg")  # raises if the page asked for anything not local
    root = svg_root(data)
    paths = list(root.iter(SVG + "path"))
    states = [p for p in paths if p.get("class") == "choroplethlocation"]
    assert len(states) == len(frame) == 12 and all(len(p.get("d", "")) > 500 for p in states)
    assert len(paths) > len(states) + 2
    # Each state filled with its attendance colour from the palette.
    assert Counter(p.get("fill") for p in states) == Counter(
        rgb(ATTENDANCE_COLOURS[c]) for c in frame["category"])
    assert Counter(p.get("fill") for p in states)[rgb(ATTENDANCE_COLOURS["absent"])] == 1  # Moldova
    # The base map from static/world_50m.json: land filled #EEEEEE, coastlines #999999.
    land = [p for p in paths if "fill: rgb(238, 238, 238)" in (p.get("style") or "")]
    coast = [p for p in paths if "stroke: rgb(153, 153, 153)" in (p.get("style") or "")]
    assert land and coast and len(land[0].get("d")) > 100_000
    assert "Almaty, 11 April 2025" in "".join(root.itertext())
    # No network: every address the page loaded is a local file, the base map came preloaded
    # (not even fetched from disk), and Chromium itself was sent to a closed local proxy.
    seen = exporter.requests_seen()
    assert seen and all(u.startswith("file:///") for u in seen), seen
    assert not [u for u in seen if "world_50m" in u or "cdn.plot.ly" in u]
    assert exporter.figure_image(fig, "png", width=900)[16:24] == struct.pack(">II", 900, 600)


@pytest.mark.slow
def test_rate_map_renders_offline(exporter, ds):
    frame = attendance_map.rate_frame(ds.attendance, ds, tuple(ds.countries["country"]))
    root = svg_root(exporter.figure_image(attendance_map.build_rate_map(frame, "rate"), "svg"))
    states = [p for p in root.iter(SVG + "path") if p.get("class") == "choroplethlocation"]
    assert len(states) == 12
    assert all(u.startswith("file:///") for u in exporter.requests_seen())


@pytest.mark.slow
def test_anything_not_local_is_refused_inside_the_browser(exporter):
    """Negative controls: a figure that would fetch fails with the address, never reaching it."""
    fig = bar("logo")
    fig.add_layout_image(source="https://cdn.plot.ly/plotly-logo.png", xref="paper", yref="paper",
                         x=0, y=1, sizex=0.2, sizey=0.2)
    with pytest.raises(images.ImageExportError, match=r"network.*https://cdn\.plot\.ly/plotly-logo\.png"):
        exporter.figure_image(fig, "png")
    # A base map the app does not ship is looked for in static/ on disk, not on cdn.plot.ly.
    europe = go.Figure(go.Scattergeo(lon=[30], lat=[50]), layout={"geo": {"scope": "europe"}})
    with pytest.raises(images.ImageExportError, match="file:///.*/static/europe_110m.json"):
        exporter.figure_image(europe, "svg")
    assert exporter.figure_image(bar("still fine"), "png").startswith(PNG_SIGNATURE)


@pytest.mark.slow
def test_chromium_background_traffic_goes_to_a_closed_local_port(exporter):
    exporter.figure_image(bar("t"), "svg")
    proxy = images._renderer.proxy
    host, port = proxy.removeprefix("http://").split(":")
    assert host == "127.0.0.1"
    flag = f"--proxy-server={proxy}".encode()
    cmdlines = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdlines.append(Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0"))
        except OSError:
            continue
    assert any(flag in c for c in cmdlines)  # the browser runs with it
    with pytest.raises(ConnectionRefusedError):  # and nothing listens there
        socket.create_connection((host, int(port)), timeout=2).close()


@pytest.mark.slow
def test_one_browser_serves_many_threads_and_a_dead_one_is_replaced(exporter):
    exporter.figure_image(bar("warm"), "png")
    started = images._starts
    jobs = [(bar(f"thread {i}"), "png" if i % 2 else "svg") for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda job: exporter.figure_image(*job, width=500), jobs))
    assert images._starts == started  # the same browser, kept alive between calls
    for (fig, fmt), data in zip(jobs, results):
        if fmt == "png":
            assert Image.open(BytesIO(data)).size == (500, 500)
        else:
            assert fig.layout.title.text in "".join(svg_root(data).itertext())
    # Chromium killed (our own process group) between calls: the next export starts a new one.
    pid = images._renderer._kaleido.subprocess.pid
    os.killpg(pid, signal.SIGKILL)
    assert exporter.figure_image(bar("after"), "png").startswith(PNG_SIGNATURE)
    assert images._starts == started + 1


def test_a_render_failing_after_close_is_not_reported_with_a_traceback(caplog):
    """Renders still in flight when the browser closes fail with "Executor is closed"; that is
    expected and must not log a traceback from whatever thread collects the task."""
    import asyncio
    import logging

    r = images._Renderer.__new__(images._Renderer)
    r._closing = False
    loop = asyncio.new_event_loop()
    context = {"message": "Task exception was never retrieved",
               "exception": RuntimeError("Executor is closed.")}
    with caplog.at_level(logging.DEBUG):
        r._on_loop_error(loop, context)
        assert any(rec.levelno == logging.ERROR and rec.exc_info for rec in caplog.records)
        caplog.clear()
        r._closing = True
        r._on_loop_error(loop, context)
        assert not any(rec.levelno >= logging.WARNING or rec.exc_info for rec in caplog.records)
    loop.close()
