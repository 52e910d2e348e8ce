"""Sessions view: the sessions table and the detail of one session, every fact with its sources."""

from __future__ import annotations

import pandas as pd

from . import basis
from .dataset import Dataset
from .documents import documents_table
from .i18n import DEFAULT_LANG, pick, short_date, t
from .sources import url_lookup, urls_for

SESSION_COLUMNS = ["session_id", "body", "date", "city_en", "city_ru", "host_country",
                   "chair_country", "format", "status", "agenda_items_count", "documents_count",
                   "present_count", "absent_count", "unknown_count", "members_count",
                   "number", "disputed", "source_urls"]


def sessions_table(sessions: pd.DataFrame, attendance: pd.DataFrame, ds: Dataset,
                   countries: tuple[str, ...] = ()) -> pd.DataFrame:
    """The sessions in view; with a country filter, one column per chosen state with its status."""
    lookup = url_lookup(ds.sources)
    df = sessions.copy()
    df["source_urls"] = df["source_ids"].map(lambda x: urls_for(x, lookup))
    df = df[SESSION_COLUMNS]
    if countries:
        wide = attendance.pivot_table(index="session_id", columns="country", values="status",
                                      aggfunc="first")
        for code in countries:
            col = wide[code] if code in wide else pd.Series(dtype=object)
            df[f"attendance_{code}"] = df["session_id"].map(col).fillna("not a member")
    return df.sort_values(["date", "session_id"]).reset_index(drop=True)


def session_label(row, lang: str = DEFAULT_LANG) -> str:
    city, _ = pick(row.get("city_en"), row.get("city_ru"), lang)
    return f"{short_date(row['date'], lang)} · {city or t('city unknown', lang)} · {row['body']}"


def facts(ds: Dataset, session_id: str) -> pd.DataFrame:
    lookup = url_lookup(ds.sources)
    f = ds.facts[ds.facts["session_id"] == session_id].copy()
    disputed = set(ds.disputes.loc[ds.disputes["session_id"] == session_id, "field"])
    f["value"] = f["value"].fillna("unknown")
    f["disputed"] = f["field"].isin(disputed)
    f["source_urls"] = f["source_ids"].map(lambda x: urls_for(x, lookup))
    return f[["field", "value", "disputed", "source_urls"]].reset_index(drop=True)


def with_urls(df: pd.DataFrame, ds: Dataset, columns: list[str]) -> pd.DataFrame:
    lookup = url_lookup(ds.sources)
    out = df.copy()
    out["source_urls"] = out["source_ids"].map(lambda x: urls_for(x, lookup))
    return out[columns + ["source_urls"]].reset_index(drop=True)


def _documents(ds: Dataset, session_id: str) -> pd.DataFrame:
    docs = ds.documents[ds.documents["session_id"] == session_id]
    table = documents_table(docs, ds.sessions, ds)
    return table[["document_id", "title_en", "title_ru", "doc_type", "outcome",
                  "prior_document_id", "next_document_ids", "signatures", "source_urls"]]


def attendance_detail(ds: Dataset, session_id: str, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Every seat at the session with how it is known, in words and as a code."""
    att = ds.attendance[ds.attendance["session_id"] == session_id]
    att = att.assign(how_known=basis.phrases(att, basis.publisher_lookup(ds.sources), lang))
    return with_urls(att, ds, ["country", "status", "how_known", "level", "head_name",
                               "head_name_ru", "membership_status", "role", "basis"])


def detail(ds: Dataset, session_id: str, lang: str = DEFAULT_LANG) -> dict[str, pd.DataFrame]:
    pick = lambda df: df[df["session_id"] == session_id]  # noqa: E731
    return {
        "facts": facts(ds, session_id),
        "attendance": attendance_detail(ds, session_id, lang),
        "agenda_items": with_urls(pick(ds.agenda_items), ds, ["title_en", "title_ru"]),
        "documents": _documents(ds, session_id),
        "disputes": with_urls(pick(ds.disputes), ds, ["field", "note"]),
        "sources": pick(ds.sources)[["title", "publisher", "published", "language", "url",
                                     "participants"]]
        .reset_index(drop=True),
    }


def neighbours(sessions: pd.DataFrame, session_id: str) -> tuple[str | None, str | None]:
    """Previous and next session of the same council (by date), for the session page."""
    row = sessions.set_index("session_id").loc[session_id]
    same = sessions[sessions["body"] == row["body"]].sort_values(["date", "session_id"])
    ids = list(same["session_id"])
    i = ids.index(session_id)
    return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None)
