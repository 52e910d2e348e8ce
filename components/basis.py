"""How a seat is known, in words a reader can check.

"Absent (not among the participants listed by Kazinform)" reads differently from "absent
(stated by the Kazakh foreign ministry)": the first rests on a whole list of participants
that leaves the state out, the second on a source naming the absence. Every view that shows
attendance says which, with the publishers behind it.
"""

from __future__ import annotations

import pandas as pd

from .i18n import DEFAULT_LANG, t
from .labels import BASES as BASES_WORDS
from .schema import BASES

# (status, basis) -> phrase; {publishers} is filled with the sources' publishers.
PHRASES = {
    ("present", "stated"): "present (stated by {publishers})",
    ("absent", "stated"): "absent (stated by {publishers})",
    ("present", "list"): "present (among the participants listed by {publishers})",
    ("absent", "list"): "absent (not among the participants listed by {publishers})",
    ("present", "announced"): "present (announced beforehand by {publishers})",
    ("absent", "announced"): "absent (announced beforehand by {publishers})",
}
# Short names of the bases, for legends and table columns.
BASIS_LABELS = BASES_WORDS


def publishers(source_ids, lookup: dict[str, str]) -> list[str]:
    """The distinct publishers of space-separated global source ids, in citation order."""
    if not isinstance(source_ids, str):
        return []
    return list(dict.fromkeys(lookup[i] for i in source_ids.split() if i in lookup))


def phrase(status: str, basis, source_ids, lookup: dict[str, str],
           lang: str = DEFAULT_LANG) -> str:
    """One seat in words: "absent (not among the participants listed by Kazinform)"."""
    if status not in ("present", "absent"):
        return t("no information", lang)
    key = PHRASES.get((status, basis))
    if key is None:
        return t(status, lang)
    return t(key, lang, publishers=", ".join(publishers(source_ids, lookup)) or "?")


def phrases(frame: pd.DataFrame, lookup: dict[str, str], lang: str = DEFAULT_LANG) -> list[str]:
    """`phrase` for every row of a frame with status, basis and source_ids."""
    return [phrase(s, b, i, lookup, lang)
            for s, b, i in zip(frame["status"], frame["basis"], frame["source_ids"])]


def breakdown(counts, lang: str = DEFAULT_LANG) -> str:
    """"stated: 12; from a list of participants: 3": seats counted by basis (a mapping
    basis -> seats, e.g. a value_counts). The label leads, so no count agrees with a noun."""
    return "; ".join(f"{t(BASIS_LABELS[b], lang)}: {int(counts[b])}" for b in BASES
                     if b in counts and int(counts[b]))
