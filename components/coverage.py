"""How complete the record is: per council and period, how many sessions are known and what
share of each field is filled. Built from the same sessions and attendance tables as every
other view, so a chart and its coverage always agree."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from . import numbering
from .basis import BASIS_LABELS
from .i18n import DEFAULT_LANG, t, tn
from .palette import BASIS_COLOURS, BODY_COLOURS

# (column, label): the share of held sessions in the period where the field is filled.
FIELDS = (
    ("with_attendance", "attendance: at least one state stated"),
    ("full_attendance", "attendance: every expected state stated present"),
    ("with_levels", "levels: stated for every delegation present"),
    ("with_counts", "counts: agenda items or documents stated"),
    ("with_documents", "documents known by title"),
    ("with_agenda", "agenda items known by title"),
)
# How each expected seat (state x session held) is known: by basis, or not at all.
SEAT_BASES = ("stated", "list", "announced")
# The heatmap's first row: of the seats expected (state x session held), the share a source
# states present or absent. It leads because "at least one state stated" flatters the record.
SEATS_KNOWN = "seats known: stated present or absent"
COLUMNS = (
    ["body", "period", "sessions_known", "held", "not_held_or_postponed"]
    + [f"share_{c}" for c, _ in FIELDS]
    + ["attendance_stated_share", "sources", "sources_per_session", "disputed_sessions"]
    + ["seats_expected"] + [f"seats_{b}" for b in SEAT_BASES]
    + ["seats_unknown", "share_seats_known"]
)


def seats_by_basis(attendance: pd.DataFrame) -> pd.DataFrame:
    """Per session: the expected seats of the states in view, by how each is known (guests
    and observers are not expected seats)."""
    expected = attendance[attendance["role"].isna()] if "role" in attendance else attendance
    basis = expected["basis"].where(expected["status"] != "unknown", "unknown")
    table = (expected.groupby([expected["session_id"], basis.rename("basis")]).size()
             .unstack(fill_value=0)
             .reindex(columns=[*SEAT_BASES, "unknown"], fill_value=0))
    return table.add_prefix("seats_")


def session_coverage(sessions: pd.DataFrame, attendance: pd.DataFrame) -> pd.DataFrame:
    """One row per session: which fields a source fills."""
    present = attendance[attendance["status"] == "present"]
    level_known = present["level"].notna().groupby(present["session_id"]).all()
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
        "sources": _count_ids(sessions["source_ids"]),
        "disputed": sessions["disputed"].astype(bool),
    })
    seats = seats_by_basis(attendance)
    for col in seats.columns:
        out[col] = sessions["session_id"].map(seats[col]).fillna(0).astype(int).where(held, 0)
    return out


def _count_ids(ids: pd.Series) -> pd.Series:
    """How many space-separated ids each cell holds (0 when empty)."""
    text = ids.fillna("").astype(str).str.strip()
    return (text.str.count(r"\s+") + 1).where(text != "", 0).astype(int)


def coverage_table(sessions: pd.DataFrame, attendance: pd.DataFrame,
                   by: str = "year", per: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per council and period (`year` or `decade`): sessions known and shares filled.

    Shares are over sessions held (a session not held has no attendance or documents);
    empty when none was held in the period. `per`: session_coverage of the same tables,
    when already built (a view shows both periods)."""
    per = (session_coverage(sessions, attendance) if per is None else per).copy()
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
        seats = {c: int(h[f"seats_{c}"].sum()) for c in (*SEAT_BASES, "unknown")}
        row["seats_expected"] = sum(seats.values())
        row.update({f"seats_{c}": n for c, n in seats.items()})
        known = row["seats_expected"] - seats["unknown"]
        row["share_seats_known"] = (round(known / row["seats_expected"], 3)
                                    if row["seats_expected"] else None)
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
        for col, label in ((None, SEATS_KNOWN), *FIELDS):
            label = t(label, lang)
            y.append(f"{names.get(body, body)} · {label}")
            zs, ts = [], []
            for p in periods:
                share = "share_seats_known" if col is None else f"share_{col}"
                v = rows.at[p, share] if p in rows.index else None
                zs.append(None if v is None or pd.isna(v) else float(v))
                held = int(rows.at[p, "held"]) if p in rows.index else 0
                seats = int(rows.at[p, "seats_expected"]) if p in rows.index else 0
                whole = (tn("{n} seat", "{n} seats", seats, lang) if col is None else
                         tn("{n} held session", "{n} held sessions", held, lang))
                ts.append(f"{html.escape(names.get(body, body))}, {p}<br>{label}: "
                          + (t("no session held", lang) if zs[-1] is None else
                             t("{share} of {sessions}", lang, share=f"{zs[-1]:.0%}",
                               sessions=whole)))
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


def build_seats_bar(table: pd.DataFrame, bodies: pd.DataFrame,
                    lang: str = DEFAULT_LANG) -> go.Figure:
    """Per council and period: the expected seats, stacked by how each is known."""
    names = dict(zip(bodies["body"], bodies["short_ru" if lang == "ru" else "short_en"]))
    order = {b: i for i, b in enumerate(bodies["body"])}
    rows = table.assign(_o=table["body"].map(order)).sort_values(["_o", "period"], kind="stable")
    x = [f"{names.get(b, b)} {p}" for b, p in zip(rows["body"], rows["period"])]
    fig = go.Figure()
    for b in (*SEAT_BASES, "unknown"):
        label = t(BASIS_LABELS.get(b, "no information"), lang)
        share = [f"{n / e:.0%}" if e else "" for n, e in zip(rows[f"seats_{b}"],
                                                             rows["seats_expected"])]
        fig.add_trace(go.Bar(x=x, y=rows[f"seats_{b}"], name=label,
                             marker_color=BASIS_COLOURS[b], customdata=share,
                             hovertemplate="%{x} · " + label
                                           + ": %{y} (%{customdata})<extra></extra>"))
    fig.update_layout(barmode="stack", height=320, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      xaxis={"type": "category"}, yaxis={"title": t("expected seats", lang)},
                      title={"text": t("Seats (state × session held) by how they are known",
                                       lang), "font": {"size": 14}},
                      legend={"orientation": "h", "y": -0.3})
    return fig


def describe_seats(table: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    parts = []
    for body, g in table.groupby("body", sort=False):
        expected = int(g["seats_expected"].sum())
        known = expected - int(g["seats_unknown"].sum())
        parts.append(t("{body}: {k} of {seats} known (stated: {stated}; from lists: {list}; "
                       "announced: {announced})", lang, body=body, k=known,
                       seats=tn("{n} seat", "{n} seats", expected, lang),
                       stated=int(g["seats_stated"].sum()), list=int(g["seats_list"].sum()),
                       announced=int(g["seats_announced"].sum())))
    return "; ".join(parts) + "." if parts else t("No session in view.", lang)


def build_sessions_known_bar(table: pd.DataFrame, bodies: pd.DataFrame,
                             lang: str = DEFAULT_LANG) -> go.Figure:
    names = dict(zip(bodies["body"], bodies["name_ru" if lang == "ru" else "name_en"]))
    fig = go.Figure()
    for body in [b for b in bodies["body"] if b in set(table["body"])]:
        part = table[table["body"] == body]
        fig.add_trace(go.Bar(x=part["period"].astype(str), y=part["sessions_known"],
                             name=names.get(body, body),
                             marker_color=BODY_COLOURS.get(body, "#999999"),
                             hovertemplate="%{x} · " + t("sessions known", lang) + ": %{y}<extra>"
                                           + html.escape(names.get(body, body)) + "</extra>"))
    fig.update_layout(barmode="stack", height=300, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      # Periods in order, whichever council happens to have the first trace.
                      xaxis={"type": "category", "categoryorder": "category ascending"},
                      title={"text": t("Sessions known per period", lang), "font": {"size": 14}},
                      legend={"orientation": "h", "y": -0.25})
    return fig


def format_report(sessions: pd.DataFrame, attendance: pd.DataFrame,
                  counts: pd.DataFrame | None = None, facts: pd.DataFrame | None = None) -> str:
    """Plain-text report for `python -m components coverage`: per council, sessions known
    against the estimated total and the numbers missing; then fields filled and seats known,
    by year and by decade."""
    pct = [f"share_{c}" for c, _ in FIELDS] + ["attendance_stated_share", "share_seats_known"]
    short = {"share_with_attendance": "att", "share_full_attendance": "full",
             "share_with_levels": "levels", "share_with_counts": "counts",
             "share_with_documents": "docs", "share_with_agenda": "agenda",
             "attendance_stated_share": "cells", "sessions_known": "known",
             "not_held_or_postponed": "not_held", "sources_per_session": "src/sess",
             "disputed_sessions": "disputed", "seats_expected": "seats",
             "seats_stated": "stated", "seats_list": "list", "seats_announced": "announced",
             "seats_unknown": "no_info", "share_seats_known": "known%"}
    out = []
    if counts is not None and facts is not None:
        out += [numbering_report(sessions, counts, facts), ""]
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
               "title; cells: stated attendance rows / expected rows. seats: expected seats "
               "(state x session held) of the states in view, by how each is known: stated, "
               "list (from a whole list of participants), announced, no_info; known%: share "
               "of seats present or absent.")
    return "\n".join(out)


def numbering_report(sessions: pd.DataFrame, counts: pd.DataFrame, facts: pd.DataFrame) -> str:
    """Sessions known against the estimated total, and the numbers still missing."""
    summ = numbering.summary(sessions, counts, facts)
    gaps = numbering.gaps(sessions, counts, facts)
    out = ["== Sessions known against the estimated total (numbering and official counts) =="]
    for r in summ.itertuples():
        if pd.isna(r.estimated_total):
            out.append(f"{r.body}: {r.sessions_known} held sessions known; total unknown "
                       f"(no session number or official count recorded)")
            continue
        basis = (r.estimate_session_id if r.estimate_from == "number"
                 else f"official count as of {r.estimate_date}")
        out.append(f"{r.body}: {r.sessions_known} of at least {r.estimated_total} held sessions "
                   f"known ({r.share_known:.0%}), {r.missing} missing; estimate from {basis} "
                   f"[{r.estimate_source_ids}]")
    if not gaps.empty:
        out.append("")
        out.append("Numbers missing between known sessions (the research to-do list):")
        for r in gaps.itertuples():
            if r.missing < 0:
                out.append(f"  {r.body} {r.numbers or '-'}: CONFLICT, {r.known} sessions known "
                           f"between {r.after} and {r.until} for {r.expected} number(s)")
            else:
                out.append(f"  {r.body} {r.numbers}: {r.missing} of {r.expected} missing "
                           f"(between {r.after}"
                           f"{' (' + r.after_date.isoformat() + ')' if r.after_date else ''} and "
                           f"{r.until} ({r.until_date.isoformat()}); {r.known} known)")
    return "\n".join(out)


def describe_coverage(table: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    if table.empty:
        return t("No session in view.", lang)
    parts = []
    for body, g in table.groupby("body", sort=False):
        held = int(g["held"].sum())
        full = (g["share_full_attendance"].fillna(0) * g["held"]).sum()
        parts.append(t("{body}: {sessions} known; held: {held}; every expected state stated "
                       "present: {full}", lang, body=body,
                       sessions=tn("{n} session", "{n} sessions", int(g["sessions_known"].sum()),
                                   lang), held=held, full=int(round(full))))
    return t("Coverage of the record.", lang) + " " + "; ".join(parts) + "."
