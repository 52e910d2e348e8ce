"""Timeline of sessions: one row per council, one marker per session."""

from __future__ import annotations

import html
from collections import Counter

import pandas as pd
import plotly.graph_objects as go

from . import basis, labels
from .i18n import DEFAULT_LANG, pick, t, tn
from .ids import ids_in
from .palette import ATTENDANCE_COLOURS, BODY_COLOURS, SESSION_SYMBOLS, STATUS_LABELS

# Above these counts one mark per session is neither readable nor cheap to draw (make bench:
# at 100x the real dataset the per-session charts took 5 s to build and longer to draw), so
# the charts group sessions by council and year; a click on a group zooms into that year.
TIMELINE_MAX_SESSIONS = 1000
BARS_MAX_SESSIONS = 300
_GROUP_SEP = "@"


def group_key(body: str, year: int) -> str:
    """customdata of a grouped mark: which council and year a click zooms into."""
    return f"{body}{_GROUP_SEP}{int(year)}"


def parse_group_key(value) -> tuple[str, int] | None:
    if not isinstance(value, str) or value.count(_GROUP_SEP) != 1:
        return None
    body, year = value.split(_GROUP_SEP)
    return (body, int(year)) if year.isdigit() else None


def timeline_grouped(sessions: pd.DataFrame) -> bool:
    return len(sessions) > TIMELINE_MAX_SESSIONS


def bars_grouped(sessions: pd.DataFrame) -> bool:
    return int((sessions["status"] == "held").sum()) > BARS_MAX_SESSIONS


def sessions_by_year(sessions: pd.DataFrame) -> pd.DataFrame:
    """Per council and year: sessions known, held, and delegations stated present, absent
    and with no information summed over the sessions held."""
    held = sessions["status"] == "held"
    frame = pd.DataFrame({
        "body": sessions["body"], "year": sessions["year"].astype(int),
        "held": held.astype(int),
        **{f"{status}_count": sessions[f"{status}_count"].where(held, 0).astype(int)
           for status, _ in STATUS_LABELS}})
    out = frame.groupby(["body", "year"], sort=False).agg(
        sessions=("held", "size"), held=("held", "sum"),
        **{f"{status}_count": (f"{status}_count", "sum") for status, _ in STATUS_LABELS})
    return out.reset_index().sort_values(["year", "body"]).reset_index(drop=True)


def _fmt_count(v, lang: str) -> str:
    return t("unknown", lang) if pd.isna(v) else str(int(v))


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
    if timeline_grouped(sessions):
        return _timeline_by_year(sessions, bodies, lang)
    names = labels.body_names(bodies, lang)
    short = labels.body_names(bodies, lang, short=True)  # axis labels that fit a phone screen
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
    return _timeline_layout(fig, sessions, tn("{n} session", "{n} sessions", len(sessions), lang))


def _timeline_layout(fig: go.Figure, sessions: pd.DataFrame, title: str) -> go.Figure:
    fig.update_layout(
        height=140 + 45 * max(1, sessions["body"].nunique()),
        margin={"l": 10, "r": 10, "t": 30, "b": 10}, showlegend=False,
        xaxis={"title": None, "type": "date"}, yaxis={"title": None},
        title={"text": title, "font": {"size": 14}}, clickmode="event+select",
    )
    return fig


def _timeline_by_year(sessions: pd.DataFrame, bodies: pd.DataFrame, lang: str) -> go.Figure:
    names = labels.body_names(bodies, lang)
    short = labels.body_names(bodies, lang, short=True)
    groups = sessions_by_year(sessions)
    biggest = max(1, int(groups["sessions"].max())) if len(groups) else 1
    fig = go.Figure()
    for body, g in groups.groupby("body", sort=False):
        fig.add_trace(go.Scatter(
            x=pd.to_datetime(g["year"].astype(str) + "-07-01"),
            y=[short.get(body, body)] * len(g), mode="markers", name=names.get(body, body),
            marker={"size": g["sessions"].to_numpy(), "sizemode": "area",
                    "sizeref": 2.0 * biggest / 30 ** 2, "sizemin": 4,
                    "color": BODY_COLOURS.get(body, "#555"), "line": {"width": 1, "color": "#222"}},
            customdata=list(zip([group_key(body, y) for y in g["year"]], g["sessions"],
                                g["held"], g["year"])),
            hovertemplate=("<b>%{customdata[3]}</b><br>"
                           + t("sessions", lang) + ": %{customdata[1]} ("
                           + t("held", lang) + ": %{customdata[2]})<br>"
                           + t("Click to show this council and year", lang)
                           + "<extra></extra>"),
        ))
    return _timeline_layout(fig, sessions, t(
        "{n} sessions, grouped by council and year (too many to draw one by one)", lang,
        n=len(sessions)))


def describe_timeline(sessions: pd.DataFrame, bodies: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    """Text alternative: what the timeline shows, in numbers."""
    if sessions.empty:
        return t("No session in view.", lang)
    names = labels.body_names(bodies, lang)
    parts = []
    for body, g in sessions.groupby("body", sort=False):
        held = int((g["status"] == "held").sum())
        parts.append(t("{council}: {sessions} (held: {held}), {first}–{last}", lang,
                       council=names.get(body, body),
                       sessions=tn("{n} session", "{n} sessions", len(g), lang), held=held,
                       first=g["date"].min().year, last=g["date"].max().year))
    return t("Timeline of sessions by council.", lang) + " " + "; ".join(parts) + "."


def timeline_table(sessions: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind the timeline, as drawn: per session, or per council and year."""
    if timeline_grouped(sessions):
        return sessions_by_year(sessions)[["body", "year", "sessions", "held"]]
    return sessions[["session_id", "body", "date", "city_en", "city_ru", "status", "format",
                     "agenda_items_count", "documents_count", "present_count",
                     "members_count"]].sort_values(["date", "session_id"]).reset_index(drop=True)


def _bases(attendance: pd.DataFrame | None, sessions: pd.DataFrame) -> pd.Series:
    """(session_id, status) -> basis -> seats, over the expected seats of these sessions."""
    if attendance is None:
        return pd.Series(dtype=int)
    a = attendance[ids_in(attendance["session_id"], sessions["session_id"])
                   & attendance["basis"].notna()]
    if "role" in a:
        a = a[a["role"].isna()]
    return a.groupby(["session_id", "status", "basis"]).size()


def _legend(label: str, status: str, bases: pd.Series, lang: str) -> str:
    """"absent (12 stated, 40 from a list of participants)": how the seats drawn are known."""
    if status == "unknown" or bases.empty:
        return label
    if status not in bases.index.get_level_values("status"):
        return label
    how = basis.breakdown(bases.xs(status, level="status").groupby(level="basis").sum(), lang)
    return f"{label} ({how})" if how else label


# The strip's colours: one band per status, from a pale tint (few seats) to the full colour
# (every expected seat); the full colours are the palette's.
_STRIP_TINTS = {"present": "#DEEBF7", "absent": "#FDE7C0", "unknown": "#F2F2F2"}


def build_attendance_strip(sessions: pd.DataFrame, lang: str = DEFAULT_LANG,
                           attendance: pd.DataFrame | None = None) -> go.Figure:
    """Per session held (or per council and year, above BARS_MAX_SESSIONS): how many expected
    seats were stated present, stated absent, and had no information, as one heatmap strip of
    three rows; with `attendance`, the row labels and hovers say how the seats are known.

    One heatmap trace, not three stacked bar traces: the browser draws a strip of 600
    sessions as one image instead of 1,800 bars (make bench: most of a rerun's time)."""
    bases = _bases(attendance, sessions)
    grouped = bars_grouped(sessions)
    if grouped:
        cols = sessions_by_year(sessions)
        cols = cols[cols["held"] > 0]
        x = [f"{y} {b}" for y, b in zip(cols["year"], cols["body"])]
        keys = [group_key(b, y) for b, y in zip(cols["body"], cols["year"])]
        where = [tn("{n} session held", "{n} sessions held", n, lang) for n in cols["held"]]
        per_col: dict[tuple[str, str], dict[str, int]] = {}
    else:
        cols = sessions[sessions["status"] == "held"].sort_values(["date", "session_id"])
        # One column per session: councils often meet on the same day, so dates would merge.
        x = [f"{d:%Y-%m-%d} {b}" for d, b in zip(cols["date"], cols["body"])]
        repeated = {v for v, n in Counter(x).items() if n > 1}
        x = [f"{v} ({i})" if v in repeated else v for i, v in enumerate(x)]
        keys = list(cols["session_id"])
        where = [html.escape(city_of(r, lang)) for r in cols.to_dict("records")]
        per_col = {}
        for (sid, status, b), n in bases.items():
            per_col.setdefault((sid, status), {})[b] = int(n)
    counts = {status: cols[f"{status}_count"].astype(int).to_numpy()
              for status, _ in STATUS_LABELS}
    seats = sum(counts.values())
    z, text, custom, names = [], [], [], []
    for band, (status, label) in enumerate(STATUS_LABELS):
        word = t(label, lang)
        names.append(_legend(word, status, bases, lang))
        n = counts[status]
        z.append([band + (0.999 * c / s if s else 0.0) for c, s in zip(n, seats)])
        how = [basis.breakdown(per_col.get((k, status), {}), lang) for k in keys]
        text.append([f"{xi}, {w} · {word}: {c}" + (f" ({h})" if h else "")
                     for xi, w, c, h in zip(x, where, n, how)])
        custom.append([[k, int(c)] for k, c in zip(keys, n)])
    scale = []
    for band, (status, _) in enumerate(STATUS_LABELS):
        scale += [[band / 3, _STRIP_TINTS[status]], [(band + 1) / 3, ATTENDANCE_COLOURS[status]]]
    fig = go.Figure(go.Heatmap(
        z=z, x=x, y=names, zmin=0, zmax=3, colorscale=scale, showscale=False, xgap=0.5,
        ygap=2, text=text, customdata=custom, hovertemplate="%{text}<extra></extra>"))
    title = (t("Delegations per council and year ({sessions}: too many to draw one by one)",
               lang, sessions=tn("{n} session held", "{n} sessions held",
                                 int(cols["held"].sum()), lang))
             if grouped else t("Delegations at each session held", lang))
    fig.update_layout(height=210, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      xaxis={"type": "category", "showticklabels": len(x) <= 60},
                      yaxis={"autorange": "reversed", "type": "category"},
                      clickmode="event+select", title={"text": title, "font": {"size": 14}})
    return fig


def attendance_bars_table(sessions: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind the attendance bars, as drawn."""
    if bars_grouped(sessions):
        return sessions_by_year(sessions).drop(columns="sessions")
    held = sessions[sessions["status"] == "held"]
    return held[["session_id", "date", "present_count", "absent_count", "unknown_count"]]


