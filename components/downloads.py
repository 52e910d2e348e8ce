"""CSV bytes for exactly the rows shown, safe to open in a spreadsheet; the whole-dataset zip."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd

from . import citation
from .dataset import EXPORT_TABLES, Dataset
from .exports import datapackage

# Spreadsheets treat a cell starting with these as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy(deep=False)
    for col in out.columns:
        series = out[col]
        if series.dtype == object or pd.api.types.is_string_dtype(series):
            try:
                risky = series.str.startswith(_FORMULA_START, na=False).astype(bool)
            except AttributeError:  # no text in the column
                continue
            if risky.any():  # rare: only those cells are rewritten
                out[col] = series.where(~risky, series[risky].map(neutralise))
    return out


def csv_bytes(df: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark: Excel then reads Cyrillic correctly."""
    return safe_frame(df).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def file_name(view: str, bodies: tuple[str, ...], years: tuple[int, int],
              countries: tuple[str, ...] = (), q: str = "", extra: str = "") -> str:
    parts = ["cis", view, "-".join(bodies) or "all-councils", f"{years[0]}-{years[1]}"]
    if countries:
        parts.append("-".join(countries) if len(countries) <= 4 else f"{len(countries)}-states")
    if q:
        slug = re.sub(r"[^\w]+", "-", q.casefold(), flags=re.UNICODE).strip("-")[:30]
        parts.append(f"q-{slug}" if slug else "q")
    if extra:
        parts.append(extra)
    return "_".join(parts) + ".csv"


IMAGE_FORMATS = ("png", "svg")
# Names the app's downloads end with; image_name swaps them for the image format.
_KNOWN_SUFFIXES = (".csv", ".png", ".svg", ".zip", ".json", ".ics")


def image_name(csv_like_name_or_stem: str, fmt: str) -> str:
    """The download name for a figure: the view's CSV name (or its stem) with the image suffix.

    ``image_name("cis_map_all-councils_2014-2026.csv", "png") == "cis_map_all-councils_2014-2026.png"``
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in IMAGE_FORMATS:
        raise ValueError(f"image format must be one of {IMAGE_FORMATS}, not {fmt!r}")
    stem = csv_like_name_or_stem.strip().replace("/", "-").replace("\\", "-")
    for suffix in _KNOWN_SUFFIXES:
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    return f"{stem or 'figure'}.{fmt}"


def image_config(name: str, fmt: str, config: dict | None = None) -> dict:
    """plotly's config for a chart whose toolbar camera downloads it as `fmt`, drawn by
    plotly.js in the reader's browser (offline, nothing asked of the server), under the
    view's file name. PNG at twice the screen's pixels, for slides and print."""
    stem = image_name(name, fmt).rsplit(".", 1)[0]
    options = {"format": fmt, "filename": stem}
    if fmt == "png":
        options["scale"] = 2
    return {**(config or {}), "displaylogo": False, "toImageButtonOptions": options}


def dataset_zip(ds: Dataset, dictionary: Path) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in EXPORT_TABLES:
            zf.writestr(f"{name}.csv", csv_bytes(getattr(ds, name)))
        zf.writestr("README.md", dictionary.read_text(encoding="utf-8"))
        released = ds.versions["released"].iloc[-1] if len(ds.versions) else None
        zf.writestr("CITATION.cff", citation.cff(ds.current_version, released))
        # Types, keys and links between the CSVs, so `frictionless validate datapackage.json`
        # checks the unzipped folder and tools load the tables typed.
        zf.writestr("datapackage.json", json.dumps(
            datapackage(ds), ensure_ascii=False, indent=2) + "\n")
    return buf.getvalue()
