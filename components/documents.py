"""Documents view: the table of documents in view and their counts by type."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .dataset import Dataset
from .i18n import DEFAULT_LANG, t, tn
from .ids import ids_in
from .labels import source_urls, urls_for

DOCUMENT_COLUMNS = ["date", "session_id", "city_en", "title_en", "title_ru", "doc_type",
                    "outcome", "document_id", "prior_document_id", "next_document_ids",
                    "signatures", "source_urls", "body"]
TRAIL_COLUMNS = ["first_document_id", "step", "date", "body", "session_id", "city_en",
                 "document_id", "title_en", "title_ru", "outcome", "source_urls"]
SIGNATURE_COLUMNS = ["date", "session_id", "document_id", "title_en", "title_ru", "country",
                     "status", "note", "source_urls"]


def _next_steps(ds: Dataset) -> pd.Series:
    """document_id -> the later documents that name it as their prior step (over the whole
    dataset: built once per load)."""
    key = ("documents", "next steps")
    if key not in ds.derived:
        linked = ds.documents.dropna(subset=["prior_document_id"])
        ds.derived[key] = linked.groupby("prior_document_id")["document_id"].agg(" ".join)
    return ds.derived[key]


def _signature_summary(ds: Dataset) -> pd.Series:
    """document_id -> e.g. "not_signed: ARM; reservation: AZE" (empty when none stated);
    built once per load."""
    key = ("documents", "signature summary")
    if key not in ds.derived:
        signatures = ds.signatures
        if signatures.empty:
            ds.derived[key] = pd.Series(dtype=object)
        else:
            parts = (signatures.sort_values(["status", "country"])
                     .groupby(["document_id", "status"])["country"].agg(", ".join)
                     .reset_index())
            parts["text"] = parts["status"] + ": " + parts["country"]
            ds.derived[key] = parts.groupby("document_id")["text"].agg("; ".join)
    return ds.derived[key]


def documents_table(documents: pd.DataFrame, sessions: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    lookup = source_urls(ds)
    df = documents.merge(sessions[["session_id", "body", "city_en"]], on="session_id",
                         how="left")
    df["source_urls"] = df["source_ids"].map(lambda x: urls_for(x, lookup))
    df["next_document_ids"] = df["document_id"].map(_next_steps(ds))
    df["signatures"] = df["document_id"].map(_signature_summary(ds))
    return df.sort_values(["date", "document_id"])[DOCUMENT_COLUMNS].reset_index(drop=True)


def trails(documents: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Every chain of steps (approved by ministers -> signed by heads) touching the documents
    in view, each step with its council, session and sources; chains of one step left out."""
    all_docs = ds.documents
    sizes = all_docs["first_document_id"].value_counts()
    chains = set(documents["first_document_id"]) & set(sizes[sizes > 1].index)
    df = all_docs[all_docs["first_document_id"].isin(chains)].merge(
        ds.sessions[["session_id", "body", "city_en"]], on="session_id", how="left")
    lookup = source_urls(ds)
    df["source_urls"] = df["source_ids"].map(lambda x: urls_for(x, lookup))
    df = df.sort_values(["first_document_id", "date", "document_id"])
    df["step"] = df.groupby("first_document_id").cumcount() + 1
    return df[TRAIL_COLUMNS].reset_index(drop=True)


def signatures_table(documents: pd.DataFrame, ds: Dataset,
                     countries: tuple[str, ...]) -> pd.DataFrame:
    """Stated signature statuses for the documents and states in view."""
    sig = ds.signatures[ids_in(ds.signatures["document_id"], documents["document_id"])
                        & ds.signatures["country"].isin(countries)]
    df = sig.merge(documents[["document_id", "date", "title_en", "title_ru"]],
                   on="document_id", how="left")
    lookup = source_urls(ds)
    df["source_urls"] = df["source_ids"].map(lambda x: urls_for(x, lookup))
    return df.sort_values(["date", "document_id", "country"])[SIGNATURE_COLUMNS].reset_index(drop=True)


def type_counts(documents: pd.DataFrame) -> pd.DataFrame:
    counts = documents["doc_type"].fillna("type not stated").value_counts()
    return counts.rename_axis("doc_type").reset_index(name="documents")


def build_type_bar(counts: pd.DataFrame, lang: str = DEFAULT_LANG) -> go.Figure:
    fig = go.Figure(go.Bar(x=counts["documents"], y=[t(d, lang) for d in counts["doc_type"]],
                           orientation="h", marker_color="#0072B2",
                           customdata=counts["doc_type"],
                           hovertemplate="%{y} · " + t("documents", lang) + ": %{x}<extra></extra>"))
    fig.update_layout(height=120 + 26 * len(counts), margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      yaxis={"autorange": "reversed"},
                      title={"text": tn("{n} document, by type", "{n} documents, by type",
                                        int(counts['documents'].sum()), lang),
                             "font": {"size": 14}})
    return fig


def describe_types(counts: pd.DataFrame, lang: str = DEFAULT_LANG) -> str:
    if counts.empty:
        return t("No document in view.", lang)
    parts = [f"{t(r['doc_type'], lang)}: {r['documents']}" for r in counts.to_dict("records")]
    return t("Documents by type.", lang) + " " + "; ".join(parts) + "."
