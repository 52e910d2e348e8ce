"""The floor for `make bench`: the least a Streamlit page with one plotly chart costs here.

A bare page: a title, one search box, one caption with the count in view, one plotly scatter
trace of FLOOR_POINTS points (default 213, the real dataset's sessions) on a date axis with
four categories (like the dashboard's timeline), and a footer caption starting "Dataset:"
drawn last, so the benchmark detects "script finished and chart drawn" the same way for the
floor and the app. Typing in the search box and pressing Enter keeps the points whose city
contains the text (like the dashboard's search), so a rerun redraws the chart.

Run: streamlit run bench/floor_app.py   (or AppTest.from_file, as bench/run.py does)
"""

import datetime as dt
import os

import plotly.graph_objects as go
import streamlit as st

N = int(os.environ.get("FLOOR_POINTS", "213"))
# Deterministic cities: bench/run.py computes the expected count of a search from the same rule.
CITIES = ("Moscow", "Minsk", "Almaty", "Bishkek", "Dushanbe", "Astana", "Tashkent",
          "Chisinau", "Kyiv", "Yerevan", "Baku", "Ashgabat", "Sochi")
BODIES = ("CFM", "CDM", "CHS", "CHG")


def city(i: int) -> str:
    return CITIES[(i * 7) % len(CITIES)]


def in_view(q: str) -> list[int]:
    q = q.strip().casefold()
    return [i for i in range(N) if q in city(i).casefold()]


st.set_page_config(page_title="Floor", layout="wide")
st.title("Floor: one plotly chart")
q = st.text_input("Search", key="q")
keep = in_view(q)
st.caption(f"{len(keep)} sessions in view")
start = dt.date(1993, 1, 1)
fig = go.Figure(go.Scatter(
    x=[start + dt.timedelta(days=(i * 12_000) // max(N, 1)) for i in keep],
    y=[BODIES[i % len(BODIES)] for i in keep], mode="markers",
    marker={"size": 13}, text=[city(i) for i in keep]))
fig.update_layout(height=320, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                  title={"text": f"{len(keep)} sessions"}, xaxis={"type": "date"})
st.plotly_chart(fig, width="stretch", key="chart")
st.caption(f"Dataset: floor, {N} points.")
