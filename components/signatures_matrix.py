"""Who signed what, and which states keep company: a document x state matrix of stated
signature statuses, and pairwise affinity of states (attending together, signing together).

Pure builders: DataFrames in, DataFrames and plotly figures out. Only what a source states
counts: a state with no stated signature is "no information", never "not signed".
"""

from __future__ import annotations

import html
from itertools import combinations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import labels, schema
from .dataset import Dataset, MembershipIndex
from .i18n import pick, pick_marked, short_date, t
from .ids import ids_in
from .palette import ATTENDANCE_COLOURS, GRID_CATEGORIES

MATRIX_COLUMNS = ["document_id", "session_id", "date", "title", "country", "status",
                  "membership_status", "note"]

# Matrix categories in colourbar order, with colours: signing in blues, not signing in the
# same orange as "absent" elsewhere (no red/green pair), unknown grey, non-member white.
# The reservation blue is Okabe-Ito sky blue: lighter than "signed", so the two stay apart
# in greyscale too.
SIGNATURE_CATEGORIES = (
    ("not a member", ATTENDANCE_COLOURS["not a member"]),
    ("no information", dict(GRID_CATEGORIES)["no information"]),
    ("not_signed", ATTENDANCE_COLOURS["absent"]),
    ("reservation", "#56B4E9"),
    ("signed", ATTENDANCE_COLOURS["present"]),
)

# English msgids of the categories as a reader sees them (status codes are data, not prose).
CATEGORY_LABELS = {
    "not a member": "not a member",
    "no information": "no information",
    "not_signed": "not signed",
    "reservation": "signed with reservations",
    "signed": "signed",
}

# A signature with reservations is still a signature (the README: "signed with reservations"),
# so it counts as signing together; a module constant so the choice is visible and testable.
SIGNING_STATUSES = ("signed", "reservation")

AFFINITY_COLUMNS = ["country_a", "country_b", "co_attendance_sessions", "both_known_sessions",
                    "co_attendance_share", "co_signed_documents", "both_known_documents",
                    "co_signature_share"]

# Measures build_affinity can colour by -> English msgid of the figure title.
MEASURES = {
    "co_attendance_share":
        "Attended together: share of sessions where both states' attendance is stated",
    "co_signature_share":
        "Signed together: share of documents where both states' signature is stated",
    "co_attendance_sessions": "Sessions both states attended",
    "co_signed_documents": "Documents both states signed",
}

# Sequential blues (one hue, so it reads with any colour vision); starts above white so a
# share of 0 is distinguishable from a blank cell (no data, or the diagonal).
AFFINITY_SCALE = [[0.0, "#C6DBEF"], [0.33, "#6BAED6"], [0.67, "#2171B5"], [1.0, "#08306B"]]


def _text(value) -> str | None:
    return value if isinstance(value, str) and value else None


def matrix_frame(documents: pd.DataFrame, ds: Dataset, countries: tuple[str, ...]) -> pd.DataFrame:
    """Long table: one row per (document in view with at least one stated signature, state in
    view), in date order, states in the order given.

    status: the stated `signed`, `not_signed` or `reservation`; else "not a member" when the
    state was not expected at that council on the session's date (membership outside
    schema.EXPECTED_STATUSES); else "no information". A stated status wins over membership:
    a source saying a non-member signed is a fact worth showing, and membership_status says
    what it was. title: English, else Russian.
    """
    sig = ds.signatures
    docs = documents[ids_in(documents["document_id"], sig["document_id"])]
    if docs.empty or not countries:
        return pd.DataFrame(columns=MATRIX_COLUMNS)
    bodies = labels.sessions_by_id(ds)["body"]
    docs = docs.assign(
        title=[_text(en) or _text(ru) for en, ru in zip(docs["title_en"], docs["title_ru"])],
        body=docs["session_id"].map(bodies))
    docs = docs.sort_values(["date", "document_id"], kind="stable")
    grid = docs[["document_id", "session_id", "date", "title", "body"]].merge(
        pd.DataFrame({"country": list(countries)}), how="cross")
    grid = grid.merge(sig[["document_id", "country", "status", "note"]],
                      on=["document_id", "country"], how="left")
    index = MembershipIndex(ds.memberships)
    # Membership is looked up for every cell, not only blanks, so a stated signature by a
    # non-member still says what the state was on that day.
    grid["membership_status"] = [index.status(c, d, b) for c, d, b in
                                 zip(grid["country"], grid["date"], grid["body"])]
    grid["status"] = [
        st if isinstance(st, str)
        else ("no information" if ms in schema.EXPECTED_STATUSES else "not a member")
        for st, ms in zip(grid["status"], grid["membership_status"])]
    grid["note"] = grid["note"].map(_text)
    return grid[MATRIX_COLUMNS].reset_index(drop=True)


def _names(ds: Dataset, lang: str) -> dict[str, str]:
    return {r.country: pick(r.name_en, r.name_ru, lang)[0] or r.country
            for r in ds.countries.itertuples()}


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def build_matrix(frame: pd.DataFrame, ds: Dataset, lang: str = "en") -> go.Figure:
    """Heatmap: documents (rows, in date order) x states (columns), one colour per category."""
    order = [c for c, _ in SIGNATURE_CATEGORIES]
    code_of = {c: i for i, c in enumerate(order)}
    n = len(order)
    # A stepped colourscale: each category owns one band, so the colours are exact.
    scale = []
    for i, (_, colour) in enumerate(SIGNATURE_CATEGORIES):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    names = labels.country_names(ds, lang)
    docs = frame.drop_duplicates("document_id")
    shown = ds.documents[ids_in(ds.documents["document_id"], docs["document_id"])]
    titles = {d: pick_marked(en, ru, lang)
              for d, en, ru in zip(shown["document_id"], shown["title_en"], shown["title_ru"])}
    days = {d: short_date(d, lang) for d in frame["date"].unique()}
    # Row labels: date and a shortened title; a category axis merges equal labels, so a
    # repeated one gets its document id. Escaped: plotly reads tags in tick labels too.
    row_labels: dict[str, str] = {}
    taken: set[str] = set()
    for r in docs.itertuples():
        title = titles.get(r.document_id) or r.title or r.document_id
        label = f"{r.date:%Y-%m-%d} {html.escape(_short(title))}"
        if label in taken:
            label += f" ({html.escape(r.document_id)})"
        row_labels[r.document_id] = label
        taken.add(label)
    countries = list(dict.fromkeys(frame["country"]))
    # The hover of a cell: its document's lines, its state's, its status', its note. Each
    # part is written once per document, state or status, then joined per cell.
    doc_part = {r.document_id: f"<b>{html.escape(titles.get(r.document_id) or r.title or r.document_id)}"
                f"</b><br>{days[r.date]} · {html.escape(r.session_id)}<br>"
                for r in docs.itertuples()}
    state_part = {c: f"{t('State', lang)}: {html.escape(names.get(c, c))}<br>"
                  for c in countries}
    status_part = {c: f"{t('Status', lang)}: {t(CATEGORY_LABELS[c], lang)}"
                   for c in CATEGORY_LABELS}
    note = frame["note"].map(lambda n: f"<br>{t('Note', lang)}: {html.escape(n)}"
                             if isinstance(n, str) else "")
    text = (frame["document_id"].map(doc_part) + frame["country"].map(state_part)
            + frame["status"].map(status_part) + note)
    g = frame.assign(z=frame["status"].map(code_of) + 0.5, text=text.astype(object))
    doc_ids = list(row_labels)
    z = g.pivot(index="document_id", columns="country", values="z").loc[doc_ids, countries]
    hover = g.pivot(index="document_id", columns="country", values="text").loc[doc_ids, countries]
    fig = go.Figure(go.Heatmap(
        z=z.to_numpy(dtype=float), x=[html.escape(names.get(c, c)) for c in countries],
        y=[row_labels[d] for d in doc_ids], zmin=0, zmax=n, colorscale=scale,
        text=hover.to_numpy(dtype=object), hovertemplate="%{text}<extra></extra>", xgap=1, ygap=1,
        colorbar={"tickvals": [i + 0.5 for i in range(n)],
                  "ticktext": [t(CATEGORY_LABELS[c], lang) for c in order], "title": None},
    ))
    fig.update_layout(height=160 + 28 * len(doc_ids), margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      xaxis={"type": "category", "side": "top"},
                      yaxis={"type": "category", "autorange": "reversed"},
                      title={"text": t("Signatures by state, as sources state them", lang),
                             "font": {"size": 14}})
    return fig


def _pair_counts(flags: pd.DataFrame, countries: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(together, known) country x country counts from a long table with columns
    key, country, together (bool), known (bool)."""
    if flags.empty:
        z = np.zeros((len(countries), len(countries)), dtype=int)
        return z, z.copy()
    wide = flags.pivot_table(index="key", columns="country", values=["together", "known"],
                             aggfunc="max", fill_value=False)
    wide = wide.reindex(columns=pd.MultiIndex.from_product([["together", "known"], countries]),
                        fill_value=False)
    yes = wide["together"].to_numpy(dtype=int)
    known = wide["known"].to_numpy(dtype=int)
    # Matrix products count, for each pair, the keys (sessions or documents) where both hold.
    return yes.T @ yes, known.T @ known


def affinity_frame(attendance: pd.DataFrame, signatures: pd.DataFrame,
                   countries: tuple[str, ...]) -> pd.DataFrame:
    """One row per unordered pair of states in view (country_a < country_b by code).

    Attendance, over the attendance rows given (the sessions in view; a guest or observer
    counts, being stated present is being there):
    - co_attendance_sessions: sessions where both states are stated present;
    - both_known_sessions: sessions where both have a stated status, present or absent
      ("unknown" rows and states not listed are left out, never counted as absent);
    - co_attendance_share = co_attendance_sessions / both_known_sessions, None when 0.
    Signatures, over the signature rows given (the documents in view):
    - co_signed_documents: documents both signed, with or without reservations
      (SIGNING_STATUSES);
    - both_known_documents: documents where both have a stated status (signed, not_signed,
      reservation);
    - co_signature_share = co_signed_documents / both_known_documents, None when 0.
    A share is over what sources state, so it says nothing about sessions or documents
    where either state's status is unknown.
    """
    codes = sorted(set(countries))
    att = attendance[attendance["country"].isin(codes)
                     & attendance["status"].isin(("present", "absent"))]
    att_flags = pd.DataFrame({"key": att["session_id"], "country": att["country"],
                              "together": att["status"] == "present", "known": True})
    sig = signatures[signatures["country"].isin(codes)
                     & signatures["status"].isin(("signed", "not_signed", "reservation"))]
    sig_flags = pd.DataFrame({"key": sig["document_id"], "country": sig["country"],
                              "together": sig["status"].isin(SIGNING_STATUSES), "known": True})
    co_att, known_att = _pair_counts(att_flags, codes)
    co_sig, known_sig = _pair_counts(sig_flags, codes)

    def share(num: int, den: int):
        return num / den if den else None

    rows = []
    for (i, a), (j, b) in combinations(enumerate(codes), 2):
        rows.append({
            "country_a": a, "country_b": b,
            "co_attendance_sessions": int(co_att[i, j]),
            "both_known_sessions": int(known_att[i, j]),
            "co_attendance_share": share(int(co_att[i, j]), int(known_att[i, j])),
            "co_signed_documents": int(co_sig[i, j]),
            "both_known_documents": int(known_sig[i, j]),
            "co_signature_share": share(int(co_sig[i, j]), int(known_sig[i, j])),
        })
    df = pd.DataFrame(rows, columns=AFFINITY_COLUMNS)
    # Keep None (not NaN) for "no data": pandas would turn a float column's None into NaN.
    for col in ("co_attendance_share", "co_signature_share"):
        df[col] = pd.Series([r[col] for r in rows], index=df.index, dtype=object)
    return df


def _share_text(value, lang: str) -> str:
    return t("no data", lang) if value is None or pd.isna(value) else f"{value:.0%}"


def build_affinity(frame: pd.DataFrame, ds: Dataset, measure: str = "co_attendance_share",
                   lang: str = "en") -> go.Figure:
    """Symmetric state x state heatmap of one measure of affinity_frame; the diagonal and
    pairs with nothing stated are blank; the hover gives the counts behind every share."""
    if measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; one of {sorted(MEASURES)}")
    names = labels.country_names(ds, lang)
    in_frame = set(frame["country_a"]) | set(frame["country_b"])
    countries = [c for c in ds.countries["country"] if c in in_frame]
    countries += sorted(in_frame - set(countries))
    pos = {c: i for i, c in enumerate(countries)}
    k = len(countries)
    z: list[list] = [[None] * k for _ in range(k)]
    text = [[html.escape(names.get(c, c))] * k for c in countries]
    for r in frame.itertuples():
        i, j = pos[r.country_a], pos[r.country_b]
        value = getattr(r, measure)
        value = None if value is None or pd.isna(value) else value
        line = (f"{html.escape(names.get(r.country_a, r.country_a))} · "
                f"{html.escape(names.get(r.country_b, r.country_b))}<br>"
                + t("Sessions both present: {n}", lang, n=r.co_attendance_sessions) + "<br>"
                + t("Sessions with both stated: {n}", lang, n=r.both_known_sessions) + "<br>"
                + t("Share: {share}", lang, share=_share_text(r.co_attendance_share, lang))
                + "<br>"
                + t("Documents both signed (incl. with reservations): {n}", lang,
                    n=r.co_signed_documents) + "<br>"
                + t("Documents with both stated: {n}", lang, n=r.both_known_documents) + "<br>"
                + t("Share: {share}", lang, share=_share_text(r.co_signature_share, lang)))
        for a, b in ((i, j), (j, i)):
            z[a][b] = value
            text[a][b] = line
    is_share = measure.endswith("_share")
    counts = [v for row in z for v in row if v is not None]
    colorbar = ({"tickformat": ".0%", "title": None} if is_share
                else {"title": None, "tickformat": "d"})
    axis = [html.escape(names.get(c, c)) for c in countries]  # tick labels read tags too
    fig = go.Figure(go.Heatmap(
        z=z, x=axis, y=axis,
        zmin=0, zmax=1 if is_share else max(counts + [1]), colorscale=AFFINITY_SCALE,
        text=text, hovertemplate="%{text}<extra></extra>", xgap=1, ygap=1, colorbar=colorbar))
    fig.update_layout(height=160 + 28 * k, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      xaxis={"type": "category"},
                      yaxis={"type": "category", "autorange": "reversed"},
                      # Blank cells show the background: white, so they differ from a 0 share.
                      plot_bgcolor="#FFFFFF",
                      title={"text": t(MEASURES[measure], lang), "font": {"size": 14}})
    return fig
