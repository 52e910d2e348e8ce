"""Sessions view: the sessions table and the detail of one session, every fact with its sources."""

from __future__ import annotations

import pandas as pd

from . import basis, labels
from .dataset import Dataset
from .documents import documents_table
from .i18n import DEFAULT_LANG, long_date, pick, pick_marked, t
from .labels import source_urls, urls_for

SESSION_COLUMNS = ["session_id", "body", "date", "city_en", "city_ru", "host_country",
                   "chair_country", "format", "status", "agenda_items_count", "documents_count",
                   "present_count", "absent_count", "unknown_count", "members_count",
                   "number", "disputed", "source_urls"]


def sessions_table(sessions: pd.DataFrame, attendance: pd.DataFrame, ds: Dataset,
                   countries: tuple[str, ...] = ()) -> pd.DataFrame:
    """The sessions in view; with a country filter, one column per chosen state with its status."""
    lookup = source_urls(ds)
    df = sessions.copy()
    df["source_urls"] = df["source_ids"].map(lambda x: urls_for(x, lookup))
    df = df[SESSION_COLUMNS]
    if countries:
        wide = attendance.pivot_table(index="session_id", columns="country", values="status",
                                      aggfunc="first")
        held = df["status"] == "held"
        for code in countries:
            col = wide[code] if code in wide else pd.Series(dtype=object)
            # A held session has a row for every state expected that day; a state without
            # one was not a member. A session not held has no attendance at all.
            df[f"attendance_{code}"] = (df["session_id"].map(col).fillna("not a member")
                                        .where(held, "not held"))
    return df.sort_values(["date", "session_id"]).reset_index(drop=True)


MATCH_KINDS = {"city": "city", "head_name": "head of delegation", "agenda_item": "agenda item",
               "document": "document"}


def matched_column(matches: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """session_id -> what a search matched there: "document: Regulation on …; city: Almaty"."""
    if matches.empty:
        return pd.DataFrame(columns=["session_id", "matched"])
    m = matches.drop_duplicates(["session_id", "kind", "text"])
    m = m.assign(part=[f"{t(MATCH_KINDS[k], lang)}: {x[:80]}" for k, x in zip(m["kind"], m["text"])])
    return m.groupby("session_id", sort=False)["part"].agg("; ".join).rename("matched").reset_index()


def facts(ds: Dataset, session_id: str) -> pd.DataFrame:
    lookup = source_urls(ds)
    f = ds.facts[ds.facts["session_id"] == session_id].copy()
    disputed = set(ds.disputes.loc[ds.disputes["session_id"] == session_id, "field"])
    f["value"] = f["value"].fillna("unknown")
    f["disputed"] = f["field"].isin(disputed)
    f["source_urls"] = f["source_ids"].map(lambda x: urls_for(x, lookup))
    return f[["field", "value", "disputed", "source_urls"]].reset_index(drop=True)


FACT_ORDER = ("status", "date", "end_date", "city", "host_country", "chair_country", "format",
              "number", "agenda_items_count", "documents_count")


def fact_list(ds: Dataset, session_id: str, lang: str = DEFAULT_LANG) -> list[dict]:
    """The session's facts as a reader reads them, each with the sources that state it:
    [{"field", "label", "value", "disputed", "sources": [source rows]}], facts with no
    value left out (unknown stays unknown: the page says which facts no source gives)."""
    row = labels.sessions_by_id(ds).loc[session_id]
    f = ds.facts[ds.facts["session_id"] == session_id].set_index("field")
    disputed = set(ds.disputes.loc[ds.disputes["session_id"] == session_id, "field"])
    names = labels.country_names(ds, lang)
    out = []
    for field in FACT_ORDER:
        if field not in f.index or pd.isna(f.at[field, "value"]):
            continue
        if field == "status" and f.at[field, "value"] == "held" and not f.at[field, "source_ids"]:
            continue  # held is the default: said only when a source says otherwise
        value = f.at[field, "value"]
        if field in ("date", "end_date"):
            value = long_date(row[field], lang)
        elif field == "city":
            value = pick(row["city_en"], row["city_ru"], lang)[0] or value
        elif field in ("host_country", "chair_country"):
            value = names.get(value, value)
        elif field == "format":
            value = labels.word(labels.FORMATS, value, lang)
        elif field == "status":
            value = labels.word(labels.SESSION_STATUSES, value, lang)
        out.append({"field": field, "label": t(labels.FACTS[field], lang), "value": str(value),
                    "disputed": field in disputed,
                    "sources": source_rows(ds, f.at[field, "source_ids"])})
    return out


def source_rows(ds: Dataset, ids) -> list[dict]:
    """The sources behind space-separated global ids, as records (publisher, title, url...)."""
    if not isinstance(ids, str) or not ids:
        return []
    by_id = ds.sources.set_index("source_id")
    return [{"source_id": i, **by_id.loc[i].to_dict()} for i in ids.split() if i in by_id.index]


def with_urls(df: pd.DataFrame, ds: Dataset, columns: list[str]) -> pd.DataFrame:
    lookup = source_urls(ds)
    out = df.copy()
    out["source_urls"] = out["source_ids"].map(lambda x: urls_for(x, lookup))
    return out[columns + ["source_urls"]].reset_index(drop=True)


def _documents(ds: Dataset, session_id: str, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    docs = ds.documents[ds.documents["session_id"] == session_id]
    table = documents_table(docs, ds.sessions, ds)
    table = table.assign(title=[pick_marked(e, r, lang)
                                for e, r in zip(table["title_en"], table["title_ru"])])
    return table[["document_id", "title", "title_en", "title_ru", "doc_type", "outcome",
                  "prior_document_id", "next_document_ids", "signatures", "source_urls"]]


def attendance_detail(ds: Dataset, session_id: str, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Every seat at the session with how it is known, in words and as a code."""
    att = ds.attendance[ds.attendance["session_id"] == session_id]
    att = att.assign(how_known=basis.phrases(att, labels.source_publishers(ds), lang))
    return with_urls(att, ds, ["country", "status", "how_known", "level", "position",
                               "head_name", "head_name_ru", "membership_status", "role",
                               "basis"])


def detail(ds: Dataset, session_id: str, lang: str = DEFAULT_LANG) -> dict[str, pd.DataFrame]:
    pick = lambda df: df[df["session_id"] == session_id]  # noqa: E731
    return {
        "facts": facts(ds, session_id),
        "attendance": attendance_detail(ds, session_id, lang),
        "agenda_items": with_urls(pick(ds.agenda_items), ds, ["title_en", "title_ru"]),
        "documents": _documents(ds, session_id, lang),
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
