"""Documents view: the table of documents in view and their counts by type."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .dataset import Dataset
from .sources import url_lookup, urls_for

DOCUMENT_COLUMNS = ["date", "session_id", "city_en", "title_en", "title_ru", "doc_type",
                    "outcome", "document_id", "source_urls"]


def documents_table(documents: pd.DataFrame, sessions: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    lookup = url_lookup(ds.sources)
    df = documents.merge(sessions[["session_id", "city_en"]], on="session_id", how="left")
    df["source_urls"] = df["source_ids"].map(lambda x: urls_for(x, lookup))
    return df.sort_values(["date", "document_id"])[DOCUMENT_COLUMNS].reset_index(drop=True)


def type_counts(documents: pd.DataFrame) -> pd.DataFrame:
    counts = documents["doc_type"].fillna("type not stated").value_counts()
    return counts.rename_axis("doc_type").reset_index(name="documents")


def build_type_bar(counts: pd.DataFrame) -> go.Figure:
    fig = go.Figure(go.Bar(x=counts["documents"], y=counts["doc_type"], orientation="h",
                           marker_color="#0072B2",
                           hovertemplate="%{y}: %{x} documents<extra></extra>"))
    fig.update_layout(height=120 + 26 * len(counts), margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      yaxis={"autorange": "reversed"},
                      title={"text": f"{int(counts['documents'].sum())} documents by type",
                             "font": {"size": 14}})
    return fig
