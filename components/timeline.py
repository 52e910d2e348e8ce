"""Timeline of sessions: one row per council, one marker per session."""

from __future__ import annotations

import html
from collections import Counter

import pandas as pd
import plotly.graph_objects as go

from .i18n import DEFAULT_LANG, pick, t
from .palette import ATTENDANCE_COLOURS, BODY_COLOURS, SESSION_SYMBOLS, STATUS_LABELS


def _fmt_count(v, lang: str) -> str:
    return t("unknown", lang) if pd.isna(v) else str(int(v))


def body_names(bodies: pd.DataFrame, lang: str = DEFAULT_LANG, short: bool = False) -> dict:
    col = ("short_" if short else "name_") + ("ru" if lang == "ru" else "en")
    return dict(zip(bodies["body"], bodies[col]))


def city_of(row, lang: str = DEFAULT_LANG) -> str:
    text, _ = pick(row.get("city_en"), row.get("city_ru"), lang)
    return text or t("city unknown", lang)


def _disputed_fields(sessions: pd.DataFrame, disputes: pd.DataFrame | None,
                     lang: str) -> pd.Series:
    """session_id -> hover line naming the facts sources disagree on (empty when none)."""
    if disputes is None or disputes.empty:
        return pd.Series("", index=sessions["session_id"])
    fields = disputes.groupby("session_id")["field"].agg(lambda f: ", ".join(sorted(set(f))))
    line = sessions["session_id"].map(fields)
    label = t("disputed between sources", lang)
    return pd.Series(["" if pd.isna(v) else f"<br>{label}: {html.escape(v)}" for v in line],
                     index=sessions["session_id"])


def build_timeline(sessions: pd.DataFrame, bodies: pd.DataFrame,
                   disputes: pd.DataFrame | None = None, lang: str = DEFAULT_LANG) -> go.Figure:
    names = body_names(bodies, lang)
    short = body_names(bodies, lang, short=True)  # axis labels that fit a phone screen
    disputed = _disputed_fields(sessions, disputes, lang)
    fig = go.Figure()
    for body, group in sessions.groupby("body", sort=False):
        group = group.sort_values("date")
        custom = list(zip(
            group["session_id"],
            [html.escape(city_of(r, lang)) for r in group.to_dict("records")],  # plotly reads tags
            group["agenda_items_count"].map(lambda v: _fmt_count(v, lang)),
            group["documents_count"].map(lambda v: _fmt_count(v, lang)),
            group["present_count"].astype(int),
            group["members_count"].astype(int),
            group["status"].map(lambda s: t(s.replace("_", " "), lang)),
            group["format"].map(lambda f: t("format unknown", lang) if pd.isna(f) else t(f, lang)),
            group["session_id"].map(disputed),
            ["" if pd.isna(n) else f" · {t('no.', lang)} {int(n)}"
             for n in group.get("number", pd.Series([None] * len(group)))],
        ))
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(group["date"]), y=[short.get(body, body)] * len(group),
            mode="markers", name=names.get(body, body),
            marker={"size": 13, "color": BODY_COLOURS.get(body, "#555"),
                    "symbol": [SESSION_SYMBOLS.get(s, "circle") for s in group["status"]],
                    "line": {"width": 1, "color": "#222"}},
            customdata=custom,
            hovertemplate=("<b>%{x|%d.%m.%Y}</b>, %{customdata[1]}<br>"
                           "%{customdata[7]} · %{customdata[6]}%{customdata[9]}<br>"
                           + t("agenda items", lang) + ": %{customdata[2]}<br>"
                           + t("documents", lang) + ": %{customdata[3]}<br>"
                           + t("delegations present (stated)", lang)
                           + ": %{customdata[4]} / %{customdata[5]}"
                           "%{customdata[8]}<extra>%{customdata[0]}</extra>"),
        ))
    fig.update_layout(
        height=140 + 45 * max(1, sessions["body"].nunique()),
        margin={"l": 10, "r": 10, "t": 30, "b": 10}, showlegend=False,
        xaxis={"title": None, "type": "date"}, yaxis={"title": None},
        title={"text": t("{n} sessions", lang, n=len(sessions)), "font": {"size": 14}},
        clickmode="event+select",
    )
    return fig


def describe_timeline(sessions: pd.DataFrame, bodies: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    """Text alternative: what the timeline shows, in numbers."""
    if sessions.empty:
        return t("No session in view.", lang)
    names = body_names(bodies, lang)
    parts = []
    for body, g in sessions.groupby("body", sort=False):
        held = int((g["status"] == "held").sum())
        parts.append(t("{council}: {n} sessions ({held} held), {first}–{last}", lang,
                       council=names.get(body, body), n=len(g), held=held,
                       first=g["date"].min().year, last=g["date"].max().year))
    return t("Timeline of sessions by council.", lang) + " " + "; ".join(parts) + "."


def timeline_table(sessions: pd.DataFrame) -> pd.DataFrame:
    return sessions[["session_id", "body", "date", "city_en", "city_ru", "status", "format",
                     "agenda_items_count", "documents_count", "present_count",
                     "members_count"]].sort_values(["date", "session_id"]).reset_index(drop=True)


def build_attendance_bars(sessions: pd.DataFrame, lang: str = DEFAULT_LANG) -> go.Figure:
    """Per session held: delegations stated present, stated absent, and with no information."""
    held = sessions[sessions["status"] == "held"].sort_values(["date", "session_id"])
    # One bar per session: councils often meet on the same day, so dates would stack.
    x = [f"{d:%Y-%m-%d} {b}" for d, b in zip(held["date"], held["body"])]
    repeated = {v for v, n in Counter(x).items() if n > 1}
    x = [f"{v} ({i})" if v in repeated else v for i, v in enumerate(x)]
    cities = [html.escape(city_of(r, lang)) for r in held.to_dict("records")]
    fig = go.Figure()
    for status, label in STATUS_LABELS:
        fig.add_trace(go.Bar(
            x=x, y=held[f"{status}_count"], name=t(label, lang),
            marker_color=ATTENDANCE_COLOURS[status], customdata=held["session_id"],
            text=None, hovertext=cities,
            hovertemplate="%{x}, %{hovertext}: %{y} " + t(label, lang)
                          + "<extra>%{customdata}</extra>"))
    fig.update_layout(barmode="stack", height=300, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      bargap=0.1, xaxis={"type": "category", "showticklabels": len(x) <= 60},
                      clickmode="event+select",
                      yaxis={"title": t("member states", lang)},
                      title={"text": t("Delegations at each session held", lang),
                             "font": {"size": 14}},
                      legend={"orientation": "h", "y": -0.2})
    return fig
