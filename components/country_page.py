"""Country page: one state (or up to four side by side) over the sessions in view:
participation year by year against its membership status, delegation levels, what it signed,
did not sign or signed with reservations, and the sessions it chaired or hosted."""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go

from . import basis, labels
from .dataset import Dataset
from .i18n import DEFAULT_LANG, t, tn
from .ids import ids_in
from .palette import ATTENDANCE_COLOURS, STATUS_LABELS

MAX_COMPARE = 4
# Membership bands behind the bars: light, distinct from the attendance colours.
BAND_COLOURS = {"member": None, "associate": "#C7E9C0", "participant": "#DADAEB",
                "not_participating": "#FDD0A2", "withdrawn": "#BDBDBD", "observer": "#D4B9DA"}
SUMMARY_COLUMNS = ["country", "name", "sessions_as_member", "present", "absent", "unknown",
                   "rate_known", "present_minister_or_head", "present_deputy", "chaired",
                   "hosted", "signed", "not_signed", "reservation",
                   *[f"known_{b}" for b in basis.BASES]]


def _name(ds: Dataset, code: str, lang: str) -> str:
    row = ds.countries.set_index("country").loc[code]
    return row["name_ru"] if lang == "ru" else row["name_en"]


def member_attendance(attendance: pd.DataFrame, code: str) -> pd.DataFrame:
    a = attendance[attendance["country"] == code]
    return a[a["role"].isna()] if "role" in a else a


def participation_by_year(sessions: pd.DataFrame, attendance: pd.DataFrame,
                          code: str) -> pd.DataFrame:
    """Per year of the sessions in view: sessions held, and this state's present / absent /
    no information while expected (the rest: sessions where it was not a member)."""
    held = sessions[sessions["status"] == "held"]
    a = member_attendance(attendance, code)
    a = a[ids_in(a["session_id"], held["session_id"])]
    years = range(int(held["year"].min()), int(held["year"].max()) + 1) if len(held) else []
    out = pd.DataFrame({"year": list(years)})
    out["sessions_held"] = out["year"].map(held.groupby("year").size()).fillna(0).astype(int)
    by = a.assign(year=pd.to_datetime(a["date"]).dt.year).groupby(["year", "status"]).size()
    for status in ("present", "absent", "unknown"):
        out[status] = [int(by.get((y, status), 0)) for y in out["year"]]
    out["not_expected"] = out["sessions_held"] - out[["present", "absent", "unknown"]].sum(axis=1)
    return out


def membership_bands(memberships: pd.DataFrame, code: str, lo: int, hi: int) -> list[tuple]:
    """The state's CIS-wide statuses clipped to the years shown: (start, end, status)."""
    m = memberships[(memberships["country"] == code) & memberships["body"].isna()]
    start_view, end_view = dt.date(lo, 1, 1), dt.date(hi + 1, 1, 1)
    bands = []
    for r in m.sort_values("start_date").itertuples():
        s = r.start_date if not pd.isna(r.start_date) else dt.date(1991, 12, 8)
        e = r.end_date if not pd.isna(r.end_date) else end_view
        s, e = max(s, start_view), min(e, end_view)
        if s < e:
            bands.append((s, e, r.status))
    return bands


def build_country_chart(by_year: pd.DataFrame, bands: list[tuple], name: str,
                        lang: str = DEFAULT_LANG) -> go.Figure:
    fig = go.Figure()
    # Bars sit at mid-year so the membership bands (exact dates) line up with them.
    x = [dt.date(int(y), 7, 1) for y in by_year["year"]]
    for status, label in STATUS_LABELS:
        fig.add_trace(go.Bar(x=x, y=by_year[status], name=t(label, lang),
                             marker_color=ATTENDANCE_COLOURS[status],
                             hovertemplate="%{x|%Y} · " + t(label, lang) + ": %{y}<extra></extra>"))
    fig.add_trace(go.Bar(x=x, y=by_year["not_expected"], name=t("not a member", lang),
                         marker={"color": "#FFFFFF", "line": {"color": "#999999", "width": 1}},
                         hovertemplate="%{x|%Y} · " + t("not a member", lang)
                                       + ": %{y}<extra></extra>"))
    for s, e, status in bands:
        colour = BAND_COLOURS.get(status)
        if colour:
            fig.add_vrect(x0=s, x1=e, fillcolor=colour, opacity=1, layer="below", line_width=0,
                          annotation_text=t(status.replace("_", " "), lang),
                          annotation_position="top left", annotation_font_size=10)
    fig.update_layout(barmode="stack", height=300, margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      xaxis={"type": "date", "range": [dt.date(int(by_year["year"].min()), 1, 1),
                                                       dt.date(int(by_year["year"].max()) + 1, 1, 1)]
                             if len(by_year) else None}, bargap=0.15,
                      title={"text": html.escape(name) + " · "
                             + t("sessions per year, against membership status", lang),
                             "font": {"size": 13}},
                      legend={"orientation": "h", "y": -0.2})
    return fig


def describe_country(by_year: pd.DataFrame, name: str, lang: str = DEFAULT_LANG) -> str:
    held = int(by_year["sessions_held"].sum())
    return t("{name}: {sessions} held in view; present: {p}, absent: {a}, no information: "
             "{u}, not a member: {x}.", lang, name=name,
             sessions=tn("{n} session", "{n} sessions", held, lang),
             p=int(by_year["present"].sum()), a=int(by_year["absent"].sum()),
             u=int(by_year["unknown"].sum()), x=int(by_year["not_expected"].sum()))


def summary(sessions: pd.DataFrame, attendance: pd.DataFrame, signatures: pd.DataFrame,
            ds: Dataset, code: str, lang: str = DEFAULT_LANG) -> dict:
    a = member_attendance(attendance, code)
    a = a[ids_in(a["session_id"], sessions["session_id"])]
    present = a[a["status"] == "present"]
    known = int((a["status"] != "unknown").sum())
    sig = signatures[(signatures["country"] == code)
                     & ids_in(signatures["session_id"], sessions["session_id"])]
    return {
        "country": code, "name": _name(ds, code, lang), "sessions_as_member": len(a),
        "present": len(present), "absent": int((a["status"] == "absent").sum()),
        "unknown": int((a["status"] == "unknown").sum()),
        "rate_known": round(100 * len(present) / known, 1) if known else None,
        "present_minister_or_head": int(present["level"].isin(["minister", "head"]).sum()),
        "present_deputy": int((present["level"] == "deputy_minister").sum()),
        "chaired": int((sessions["chair_country"] == code).sum()),
        "hosted": int((sessions["host_country"] == code).sum()),
        "signed": int((sig["status"] == "signed").sum()),
        "not_signed": int((sig["status"] == "not_signed").sum()),
        "reservation": int((sig["status"] == "reservation").sum()),
        **{f"known_{b}": int((a["basis"] == b).sum()) for b in basis.BASES},
    }


def compare_table(sessions: pd.DataFrame, attendance: pd.DataFrame, ds: Dataset,
                  codes: tuple[str, ...], lang: str = DEFAULT_LANG) -> pd.DataFrame:
    rows = [summary(sessions, attendance, ds.signatures, ds, c, lang) for c in codes]
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def levels_table(attendance: pd.DataFrame, sessions: pd.DataFrame, code: str) -> pd.DataFrame:
    """Each session in view where the state was present: date, council, level, head, and how
    its presence is known."""
    a = member_attendance(attendance, code)
    a = a[(a["status"] == "present") & ids_in(a["session_id"], sessions["session_id"])]
    return (a[["session_id", "date", "body", "level", "position", "head_name", "head_name_ru",
               "basis", "source_ids"]]
            .sort_values(["date", "session_id"]).reset_index(drop=True))


def absences_table(attendance: pd.DataFrame, sessions: pd.DataFrame, ds: Dataset, code: str,
                   lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Each session in view the state is known to have stayed away from, and how that is
    known: stated, not among a list of participants, or announced."""
    a = member_attendance(attendance, code)
    a = a[(a["status"] == "absent") & ids_in(a["session_id"], sessions["session_id"])]
    a = a.assign(how_known=basis.phrases(a, labels.source_publishers(ds), lang))
    return (a[["session_id", "date", "body", "how_known", "basis", "source_ids"]]
            .sort_values(["date", "session_id"]).reset_index(drop=True))


def chaired_hosted(sessions: pd.DataFrame, code: str) -> pd.DataFrame:
    s = sessions[(sessions["chair_country"] == code) | (sessions["host_country"] == code)]
    out = s[["session_id", "date", "body", "city_en", "city_ru"]].copy()
    out["chaired"] = s["chair_country"] == code
    out["hosted"] = s["host_country"] == code
    return out.sort_values(["date", "session_id"]).reset_index(drop=True)


def signatures_of(signatures: pd.DataFrame, documents: pd.DataFrame, code: str) -> pd.DataFrame:
    sig = signatures[signatures["country"] == code]
    df = sig.merge(documents[["document_id", "date", "title_en", "title_ru"]],
                   on="document_id", how="inner")
    return (df[["date", "session_id", "document_id", "title_en", "title_ru", "status", "note"]]
            .sort_values(["date", "document_id"]).reset_index(drop=True))
