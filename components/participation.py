"""Per-country participation: counts per state, and a session x state grid of delegation levels
shaded against each state's membership status on the session's date."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from . import basis, labels
from .dataset import Dataset, MembershipIndex
from .i18n import DEFAULT_LANG, t, tn
from .palette import ATTENDANCE_COLOURS, GRID_CATEGORIES, STATUS_LABELS

LEVEL_COLUMNS = ("head", "minister", "deputy_minister", "ambassador", "other")


def participation_table(attendance: pd.DataFrame, ds: Dataset,
                        countries: tuple[str, ...], lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """One row per state: sessions while a member, present/absent/unknown, levels when present."""
    rows = []
    names = ds.countries.set_index("country")
    members = attendance[attendance["role"].isna()] if "role" in attendance else attendance
    for code in countries:
        a = members[members["country"] == code]
        present = a[a["status"] == "present"]
        row = {"country": code, "name_en": names.at[code, "name_en"],
               "name_ru": names.at[code, "name_ru"],
               "name": names.at[code, "name_ru" if lang == "ru" else "name_en"],
               "sessions_as_member": len(a),
               "present": int((a["status"] == "present").sum()),
               "absent": int((a["status"] == "absent").sum()),
               "unknown": int((a["status"] == "unknown").sum())}
        for lvl in LEVEL_COLUMNS:
            row[f"present_{lvl}"] = int((present["level"] == lvl).sum())
        row["present_level_unknown"] = int(present["level"].isna().sum())
        for b in basis.BASES:
            row[f"known_{b}"] = int((a["basis"] == b).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def _category(status: str | None, level, membership: str | None) -> str:
    if status is None:
        return "not a member"
    if status == "unknown":
        return "no information"
    if status == "absent":
        return "absent"
    if pd.isna(level):
        return "present, level not stated"
    return {"head": "present: head of state or government", "minister": "present: minister",
            "deputy_minister": "present: deputy minister"}.get(
        level, "present: ambassador or other")


# A grid wider than this is unreadable and slow to draw (at 100x the real dataset it took
# 5 s to build): above it, the grid shows the latest sessions held and says so.
GRID_MAX_SESSIONS = 300


def grid_sessions(sessions: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The sessions the grid draws (the latest GRID_MAX_SESSIONS held) and how many are held."""
    held = sessions[sessions["status"] == "held"]
    if len(held) <= GRID_MAX_SESSIONS:
        return sessions, len(held)
    latest = held.sort_values(["date", "session_id"]).tail(GRID_MAX_SESSIONS)
    return latest, len(held)


def grid_frame(sessions: pd.DataFrame, ds: Dataset, countries: tuple[str, ...]) -> pd.DataFrame:
    """Long table: one row per (session held in view, state in view) with its category."""
    held = sessions.loc[sessions["status"] == "held", ["session_id", "body", "date", "city_en"]]
    grid = held.merge(pd.DataFrame({"country": list(countries)}), how="cross")
    att = ds.attendance[["session_id", "country", "status", "level", "head_name",
                         "membership_status", "basis", "source_ids"]]
    grid = grid.merge(att, on=["session_id", "country"], how="left")
    # States not expected at a session have no attendance row: look up why (withdrawn, ...).
    missing = grid["status"].isna()
    index = MembershipIndex(ds.memberships)
    grid.loc[missing, "membership_status"] = [
        index.status(c, d, b) for c, d, b in zip(grid.loc[missing, "country"],
                                                 grid.loc[missing, "date"],
                                                 grid.loc[missing, "body"])]
    grid["category"] = [_category(st if isinstance(st, str) else None, lv, ms)
                        for st, lv, ms in zip(grid["status"], grid["level"],
                                              grid["membership_status"])]
    grid = grid.sort_values(["date", "session_id"], kind="stable").reset_index(drop=True)
    return grid[["session_id", "date", "city_en", "country", "status", "level", "head_name",
                 "membership_status", "category", "basis", "source_ids"]]


def build_grid(grid: pd.DataFrame, ds: Dataset, lang: str = DEFAULT_LANG) -> go.Figure:
    order = [c for c, _ in GRID_CATEGORIES]
    code_of = {c: i for i, c in enumerate(order)}
    n = len(order)
    # A stepped colourscale: each category owns one band, so the colours are exact.
    scale = []
    for i, (_, colour) in enumerate(GRID_CATEGORIES):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    names = dict(zip(ds.countries["country"], ds.countries["name_ru" if lang == "ru" else "name_en"]))
    sessions = list(dict.fromkeys(grid["session_id"]))
    session_labels = {r.session_id: f"{r.date:%Y-%m-%d} {r.city_en if isinstance(r.city_en, str) else ''}".strip()
              for r in grid.drop_duplicates("session_id").itertuples()}
    countries = list(dict.fromkeys(grid["country"]))
    publishers = labels.source_publishers(ds)
    how = [basis.phrase(st, b, i, publishers, lang) if isinstance(st, str) else ""
           for st, b, i in zip(grid["status"], grid["basis"], grid["source_ids"])]
    g = grid.assign(
        z=grid["category"].map(code_of) + 0.5,
        text=[f"{html.escape(names.get(c, c))} · {html.escape(session_labels[s])}<br>{t(cat, lang)}"
              + (f"<br>{html.escape(hw)}" if hw and st != "unknown" else "")
              + (f"<br>{html.escape(h)}" if isinstance(h, str) else "")
              + f"<br>{t('membership', lang)}: "
              + t(m.replace('_', ' ') if isinstance(m, str) else 'none', lang)
              for c, s, cat, hw, st, h, m in zip(
                  grid["country"], grid["session_id"], grid["category"], how, grid["status"],
                  grid["head_name"], grid["membership_status"])])
    z = g.pivot(index="country", columns="session_id", values="z").loc[countries, sessions]
    text = g.pivot(index="country", columns="session_id", values="text").loc[countries, sessions]
    z, text = z.values.tolist(), text.values.tolist()
    fig = go.Figure(go.Heatmap(
        z=z, x=[session_labels[s] for s in sessions], y=[names.get(c, c) for c in countries],
        zmin=0, zmax=n, colorscale=scale, text=text, hovertemplate="%{text}<extra></extra>",
        xgap=1, ygap=1,
        colorbar={"tickvals": [i + 0.5 for i in range(n)], "ticktext": [t(o, lang) for o in order],
                  "title": None},
        customdata=[[s for s in sessions] for _ in countries],
    ))
    fig.update_layout(height=120 + 28 * len(countries), margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      xaxis={"type": "category", "tickangle": -45},
                      yaxis={"autorange": "reversed"},
                      title={"text": t("Delegation at each session, against membership status", lang),
                             "font": {"size": 14}}, clickmode="event+select")
    return fig


def build_counts_bar(table: pd.DataFrame, lang: str = DEFAULT_LANG) -> go.Figure:
    fig = go.Figure()
    names = table["name"] if "name" in table else table["name_en"]
    known_for = [tn("known for {k} of {n} seat", "known for {k} of {n} seats", n, lang, k=p + a)
                 for p, a, n in zip(table["present"], table["absent"], table["sessions_as_member"])]
    for status, label in STATUS_LABELS:
        fig.add_trace(go.Bar(x=[html.escape(n) for n in names], y=table[status],
                             name=t(label, lang), customdata=table["country"],
                             hovertext=known_for, marker_color=ATTENDANCE_COLOURS[status],
                             hovertemplate="%{x} · " + t(label, lang)
                                           + ": %{y}<br>%{hovertext}<extra></extra>"))
    fig.update_layout(barmode="stack", height=340, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      title={"text": t("Sessions while a member, by attendance", lang),
                             "font": {"size": 14}},
                      legend={"orientation": "h", "y": -0.25}, clickmode="event+select")
    return fig


def describe_counts(table: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    if table.empty:
        return t("No state in view.", lang)
    parts = [t("{name}: present: {p}, absent: {a}, no information: {u} (of {sessions})", lang,
               name=r["name"], p=r["present"], a=r["absent"], u=r["unknown"],
               sessions=tn("{n} session", "{n} sessions", r["sessions_as_member"], lang))
             for r in table.to_dict("records")]
    return t("Sessions while a member, by attendance.", lang) + " " + "; ".join(parts) + "."
