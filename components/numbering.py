"""How many sessions each council has held, and which are missing from the record.

Two kinds of evidence bound a council's total: the ordinal numbers its sessions carry ("the
85th session", a `number` stated by a source) and official totals ("52 sessions since 1993",
data/counts.yaml). Each is an anchor: N sessions up to and including a day. Between two
anchors, the numbers not yet matched by a known session are the research to-do list.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

ANCHOR_COLUMNS = ["body", "date", "count", "kind", "session_id", "source_ids", "since"]
SUMMARY_COLUMNS = ["body", "sessions_known", "estimated_total", "share_known", "missing",
                   "estimate_from", "estimate_date", "estimate_session_id",
                   "estimate_source_ids"]
GAP_COLUMNS = ["body", "numbers", "after_date", "after", "until_date", "until", "expected",
               "known", "missing", "conflict", "known_session_ids"]


def anchors(sessions: pd.DataFrame, counts: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Every anchor: numbered sessions held (with the sources of their number) and official
    counts, in date order per council."""
    held = sessions[(sessions["status"] == "held") & sessions["number"].notna()]
    numbered = facts[facts["field"] == "number"]
    number_sources = dict(zip(numbered["session_id"], numbered["source_ids"]))
    rows = [{"body": r.body, "date": r.date, "count": int(r.number), "kind": "number",
             "session_id": r.session_id, "source_ids": number_sources.get(r.session_id, ""),
             "since": None}
            for r in held.itertuples()]
    bodies = set(sessions["body"])
    rows += [{"body": r.body, "date": r.as_of, "count": int(r.count), "kind": "count",
              "session_id": None, "source_ids": r.source_ids,
              "since": None if pd.isna(r.since) else r.since}
             for r in counts.itertuples() if r.body in bodies]
    out = pd.DataFrame(rows, columns=ANCHOR_COLUMNS)
    return out.sort_values(["body", "date", "count"], kind="stable").reset_index(drop=True)


def _held_dates(sessions: pd.DataFrame, body: str) -> pd.DataFrame:
    s = sessions[(sessions["body"] == body) & (sessions["status"] == "held")]
    return (s[["session_id", "date", "number"]].sort_values(["date", "session_id"])
            .reset_index(drop=True))


class _Days:
    """A council's held sessions in date order, counted between days by bisection (a council
    at scale has thousands of sessions and anchors: no scan per anchor)."""

    def __init__(self, held: pd.DataFrame):
        self.held, self.days = held, held["date"].to_numpy()

    def upto(self, day) -> int:  # sessions on or before the day
        return int(np.searchsorted(self.days, day, side="right"))

    def before(self, day) -> int:  # sessions strictly before the day
        return int(np.searchsorted(self.days, day, side="left"))

    def between(self, lo: int, hi: int) -> pd.DataFrame:
        return self.held.iloc[lo:hi]


def summary(sessions: pd.DataFrame, counts: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Per council: sessions held that the record knows, the estimated total, the share known.

    The estimate is the largest of the anchors' counts plus the known sessions held outside
    what they count (after the anchor's day, and before `since` for a count from a later day):
    each anchor gives a lower bound. Never less than the sessions known; without any anchor
    the total is unknown (empty)."""
    anc = anchors(sessions, counts, facts)
    rows = []
    for body in dict.fromkeys(sessions["body"]):
        days = _Days(_held_dates(sessions, body))
        known = len(days.held)
        best = None
        for a in anc[anc["body"] == body].itertuples():
            bound = a.count + known - days.upto(a.date)
            if a.since is not None:
                bound += days.before(a.since)
            if best is None or bound > best[0]:
                best = (bound, a)
        row = {"body": body, "sessions_known": known, "estimated_total": None,
               "share_known": None, "missing": None, "estimate_from": None,
               "estimate_date": None, "estimate_session_id": None, "estimate_source_ids": None}
        if best is not None:
            total = max(best[0], known)
            a = best[1]
            row.update(estimated_total=total, share_known=round(known / total, 3),
                       missing=total - known, estimate_from=a.kind, estimate_date=a.date,
                       estimate_session_id=a.session_id, estimate_source_ids=a.source_ids)
        rows.append(row)
    out = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for col in ("estimated_total", "missing"):
        out[col] = out[col].astype("Int64")
    return out


def _label(a) -> str:
    if a is None:
        return "start"
    if a.since is not None:
        return f"{a.count} from {a.since.isoformat()} to {a.date.isoformat()}"
    return f"no. {a.count}" if a.kind == "number" else f"{a.count} by {a.date.isoformat()}"


def gaps(sessions: pd.DataFrame, counts: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Between consecutive anchors of a council: the numbers they span, the known sessions
    held in between (unnumbered ones, and the later anchor's own session), and how many are
    missing. A negative `missing` means more sessions are known than the numbers allow: a
    number or a count is wrong, or some known sessions (informal ones, say) are not numbered.
    A count from a later day (`since`) spans its own window. Only spans where something is
    missing, or that conflict, are listed."""
    anc = anchors(sessions, counts, facts)
    rows = []
    for body in dict.fromkeys(anc["body"]):
        days = _Days(_held_dates(sessions, body))
        for a in anc[(anc["body"] == body) & anc["since"].notna()].itertuples():
            window = days.between(days.before(a.since), days.upto(a.date))
            if a.count != len(window):
                rows.append({
                    "body": body, "numbers": "", "after_date": a.since,
                    "after": a.since.isoformat(), "until_date": a.date, "until": _label(a),
                    "expected": a.count, "known": len(window), "missing": a.count - len(window),
                    "conflict": len(window) > a.count,
                    "known_session_ids": " ".join(window["session_id"])})
        prev = None
        for a in anc[(anc["body"] == body) & anc["since"].isna()].itertuples():
            lo_count = prev.count if prev is not None else 0
            lo_date = prev.date if prev is not None else dt.date.min
            between = days.between(days.upto(lo_date), days.upto(a.date))
            expected = a.count - lo_count
            missing = expected - len(between)
            if missing != 0:
                rows.append({
                    "body": body,
                    "numbers": (f"{lo_count + 1}–{a.count}" if expected > 1
                                else str(a.count) if expected == 1 else ""),
                    "after_date": prev.date if prev is not None else None,
                    "after": _label(prev), "until_date": a.date, "until": _label(a),
                    "expected": expected, "known": len(between), "missing": missing,
                    "conflict": missing < 0,
                    "known_session_ids": " ".join(between["session_id"])})
            prev = a
    return pd.DataFrame(rows, columns=GAP_COLUMNS)
