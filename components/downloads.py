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
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
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
