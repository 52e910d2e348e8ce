"""How complete the record is: per council and period, how many sessions are known and what
share of each field is filled. Built from the same sessions and attendance tables as every
other view, so a chart and its coverage always agree."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from .i18n import DEFAULT_LANG, t
from .palette import BODY_COLOURS

# (column, label): the share of held sessions in the period where the field is filled.
FIELDS = (
    ("with_attendance", "attendance: at least one state stated"),
    ("full_attendance", "attendance: every expected state stated present"),
    ("with_levels", "levels: stated for every delegation present"),
    ("with_counts", "counts: agenda items or documents stated"),
    ("with_documents", "documents known by title"),
    ("with_agenda", "agenda items known by title"),
)
COLUMNS = (
    ["body", "period", "sessions_known", "held", "not_held_or_postponed"]
    + [f"share_{c}" for c, _ in FIELDS]
    + ["attendance_stated_share", "sources", "sources_per_session", "disputed_sessions"]
)


def session_coverage(sessions: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """One row per session: which fields a source fills."""
    present = attendance[attendance["status"] == "present"]
    level_known = present.groupby("session_id")["level"].agg(lambda s: bool(s.notna().all()))
    held = sessions["status"] == "held"
    out = pd.DataFrame({
        "session_id": sessions["session_id"], "body": sessions["body"],
        "year": sessions["year"], "held": held,
        "expected": sessions["members_count"],
        "stated": sessions["present_count"] + sessions["absent_count"],
        "with_attendance": held & ((sessions["present_count"] + sessions["absent_count"]) > 0),
        "full_attendance": held & sessions["full_attendance"].astype(bool),
        "with_levels": held & sessions["session_id"].map(level_known).eq(True),
        "with_counts": sessions["agenda_items_count"].notna() | sessions["documents_count"].notna(),
        "with_documents": sessions["documents_known"] > 0,
        "with_agenda": sessions["agenda_items_known"] > 0,
        "sources": sessions["source_ids"].fillna("").str.split().str.len(),
        "disputed": sessions["disputed"].astype(bool),
    })
    return out


def coverage_table(sessions: pd.DataFrame, attendance: pd.DataFrame,
                   by: str = "year") -> pd.DataFrame:
    """Per council and period (`year` or `decade`): sessions known and shares filled.

    Shares are over sessions held (a session not held has no attendance or documents);
    empty when none was held in the period."""
    per = session_coverage(sessions, attendance)
    per["period"] = per["year"] if by == "year" else per["year"] // 10 * 10
    if by == "decade":
        per["period"] = per["period"].astype(str) + "s"
    rows = []
    for (body, period), g in per.groupby(["body", "period"], sort=True):
        h = g[g["held"]]
        row = {"body": body, "period": period, "sessions_known": len(g), "held": len(h),
               "not_held_or_postponed": int((~g["held"]).sum())}
        for col, _ in FIELDS:
            row[f"share_{col}"] = round(float(h[col].mean()), 3) if len(h) else None
        expected = int(h["expected"].sum())
        row["attendance_stated_share"] = round(int(h["stated"].sum()) / expected, 3) if expected else None
        row["sources"] = int(g["sources"].sum())
        row["sources_per_session"] = round(float(g["sources"].mean()), 1)
        row["disputed_sessions"] = int(g["disputed"].sum())
        rows.append(row)
    return pd.DataFrame(rows, columns=COLUMNS)


def build_coverage_heatmap(table: pd.DataFrame, bodies: pd.DataFrame,
                           lang: str = DEFAULT_LANG) -> go.Figure:
    """Rows: council x field; columns: period; cell: share filled (blank when none held)."""
    names = dict(zip(bodies["body"], bodies["short_ru" if lang == "ru" else "short_en"]))
    periods = sorted(table["period"].unique().tolist(), key=str)
    y, z, text = [], [], []
    for body in [b for b in bodies["body"] if b in set(table["body"])]:
        rows = table[table["body"] == body].set_index("period")
        for col, label in FIELDS:
            label = t(label, lang)
            y.append(f"{names.get(body, body)} · {label}")
            zs, ts = [], []
            for p in periods:
                v = rows.at[p, f"share_{col}"] if p in rows.index else None
                zs.append(None if v is None or pd.isna(v) else float(v))
                known = int(rows.at[p, "held"]) if p in rows.index else 0
                ts.append(f"{html.escape(names.get(body, body))}, {p}<br>{label}: "
                          + (t("no session held", lang) if zs[-1] is None else
                             t("{share} of {n} held session(s)", lang, share=f"{zs[-1]:.0%}",
                               n=known)))
            z.append(zs)
            text.append(ts)
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(p) for p in periods], y=y, zmin=0, zmax=1, colorscale="Blues",
        text=text, hovertemplate="%{text}<extra></extra>", xgap=1, ygap=1,
        colorbar={"title": t("share", lang), "tickformat": ".0%"}))
    fig.update_layout(height=140 + 22 * len(y), margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      xaxis={"type": "category"}, yaxis={"autorange": "reversed"},
                      title={"text": t("Share of held sessions with each field filled", lang),
                             "font": {"size": 14}})
    return fig


def build_sessions_known_bar(table: pd.DataFrame, bodies: pd.DataFrame,
                             lang: str = DEFAULT_LANG) -> go.Figure:
    names = dict(zip(bodies["body"], bodies["name_ru" if lang == "ru" else "name_en"]))
    fig = go.Figure()
    for body in [b for b in bodies["body"] if b in set(table["body"])]:
        part = table[table["body"] == body]
        fig.add_trace(go.Bar(x=part["period"].astype(str), y=part["sessions_known"],
                             name=names.get(body, body),
                             marker_color=BODY_COLOURS.get(body, "#999999"),
                             hovertemplate="%{x}: %{y} " + t("session(s) known", lang) + "<extra>"
                                           + html.escape(names.get(body, body)) + "</extra>"))
    fig.update_layout(barmode="stack", height=300, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      # Periods in order, whichever council happens to have the first trace.
                      xaxis={"type": "category", "categoryorder": "category ascending"},
                      title={"text": t("Sessions known per period", lang), "font": {"size": 14}},
                      legend={"orientation": "h", "y": -0.25})
    return fig


def format_report(sessions: pd.DataFrame, attendance: pd.DataFrame) -> str:
    """Plain-text report for `python -m components coverage`: per council, by year and by decade."""
    pct = [f"share_{c}" for c, _ in FIELDS] + ["attendance_stated_share"]
    short = {"share_with_attendance": "att", "share_full_attendance": "full",
             "share_with_levels": "levels", "share_with_counts": "counts",
             "share_with_documents": "docs", "share_with_agenda": "agenda",
             "attendance_stated_share": "cells", "sessions_known": "known",
             "not_held_or_postponed": "not_held", "sources_per_session": "src/sess",
             "disputed_sessions": "disputed"}
    out = []
    for by in ("year", "decade"):
        t = coverage_table(sessions, attendance, by)
        for body, g in t.groupby("body", sort=False):
            g = g.drop(columns="body").copy()
            for c in pct:
                g[c] = g[c].map(lambda v: "" if v is None or pd.isna(v) else f"{v:.0%}")
            total = len(sessions[sessions["body"] == body])
            out.append(f"== {body}: {total} sessions, by {by} ==")
            out.append(g.rename(columns=short).to_string(index=False))
            out.append("")
    out.append("Shares are of sessions held. att: at least one state's attendance stated; "
               "full: every expected state stated present; levels: level stated for every "
               "delegation present; counts: agenda/document count stated; docs/agenda: known by "
               "title; cells: stated attendance rows / expected rows.")
    return "\n".join(out)


def describe_coverage(table: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    if table.empty:
        return t("No session in view.", lang)
    parts = []
    for body, g in table.groupby("body", sort=False):
        held = int(g["held"].sum())
        full = (g["share_full_attendance"].fillna(0) * g["held"]).sum()
        parts.append(t("{body}: {n} sessions known, {held} held, full attendance stated for "
                       "{full}", lang, body=body, n=int(g["sessions_known"].sum()), held=held,
                       full=int(round(full))))
    return t("Coverage of the record.", lang) + " " + "; ".join(parts) + "."
