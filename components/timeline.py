"""Timeline of sessions: one row per council, one marker per session."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from .palette import ATTENDANCE_COLOURS, BODY_COLOURS, SESSION_SYMBOLS, STATUS_LABELS


def _fmt_count(v) -> str:
    return "unknown" if pd.isna(v) else str(int(v))


def _disputed_fields(sessions: pd.DataFrame, disputes: pd.DataFrame | None) -> pd.Series:
    """session_id -> hover line naming the facts sources disagree on (empty when none)."""
    if disputes is None or disputes.empty:
        return pd.Series("", index=sessions["session_id"])
    fields = disputes.groupby("session_id")["field"].agg(lambda f: ", ".join(sorted(set(f))))
    line = sessions["session_id"].map(fields)
    return pd.Series(["" if pd.isna(v) else f"<br>disputed between sources: {html.escape(v)}"
                      for v in line], index=sessions["session_id"])


def build_timeline(sessions: pd.DataFrame, bodies: pd.DataFrame,
                   disputes: pd.DataFrame | None = None) -> go.Figure:
    names = dict(zip(bodies["body"], bodies["name_en"]))
    disputed = _disputed_fields(sessions, disputes)
    fig = go.Figure()
    for body, group in sessions.groupby("body", sort=False):
        group = group.sort_values("date")
        custom = list(zip(
            group["session_id"],
            group["city_en"].fillna("unknown city").map(html.escape),  # plotly reads tags
            group["agenda_items_count"].map(_fmt_count),
            group["documents_count"].map(_fmt_count),
            group["present_count"].astype(int),
            group["members_count"].astype(int),
            group["status"].str.replace("_", " "),
            group["format"].fillna("format unknown"),
            group["session_id"].map(disputed),
            ["" if pd.isna(n) else f" · no. {int(n)}" for n in group.get("number", [None] * len(group))],
        ))
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(group["date"]), y=[names.get(body, body)] * len(group),
            mode="markers", name=names.get(body, body),
            marker={"size": 13, "color": BODY_COLOURS.get(body, "#555"),
                    "symbol": [SESSION_SYMBOLS.get(s, "circle") for s in group["status"]],
                    "line": {"width": 1, "color": "#222"}},
            customdata=custom,
            hovertemplate=("<b>%{x|%d %b %Y}</b>, %{customdata[1]}<br>"
                           "%{customdata[7]} · %{customdata[6]}%{customdata[9]}<br>"
                           "agenda items: %{customdata[2]}<br>documents: %{customdata[3]}<br>"
                           "delegations present (stated): %{customdata[4]} of %{customdata[5]}"
                           "%{customdata[8]}<extra>%{customdata[0]}</extra>"),
        ))
    fig.update_layout(
        height=320, margin={"l": 10, "r": 10, "t": 30, "b": 10}, showlegend=False,
        xaxis={"title": None, "type": "date"}, yaxis={"title": None},
        title={"text": f"{len(sessions)} sessions", "font": {"size": 14}},
    )
    return fig


def build_attendance_bars(sessions: pd.DataFrame) -> go.Figure:
    """Per session held: delegations stated present, stated absent, and with no information."""
    held = sessions[sessions["status"] == "held"].sort_values("date")
    x = pd.to_datetime(held["date"])
    cities = held["city_en"].fillna("city unknown").map(html.escape)
    fig = go.Figure()
    for status, label in STATUS_LABELS:
        fig.add_trace(go.Bar(
            x=x, y=held[f"{status}_count"], name=label, marker_color=ATTENDANCE_COLOURS[status],
            customdata=cities,
            hovertemplate="%{x|%d %b %Y}, %{customdata}: %{y} " + label + "<extra></extra>"))
    fig.update_layout(barmode="stack", height=300, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      bargap=0.1, xaxis={"type": "date"},
                      yaxis={"title": "member states"},
                      title={"text": "Delegations at each session held", "font": {"size": 14}},
                      legend={"orientation": "h", "y": -0.2})
    return fig
