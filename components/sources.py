"""Resolve source ids (space-separated, as in the tidy tables) to the URLs users open."""

from __future__ import annotations

import pandas as pd


def url_lookup(sources: pd.DataFrame) -> dict[str, str]:
    return dict(zip(sources["source_id"], sources["url"]))


def urls_for(ids: str | float | None, lookup: dict[str, str]) -> str:
    if not isinstance(ids, str) or not ids:
        return ""
    return " ".join(lookup[i] for i in ids.split() if i in lookup)
