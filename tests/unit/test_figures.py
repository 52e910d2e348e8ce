"""Figure builders: assert the numbers inside the figures, as a user reading them would."""

import pandas as pd

from components import attendance_map, documents, participation, sessions, timeline
from components.filters import apply
from components.state import ViewState


def test_timeline_has_one_point_per_session_with_counts(ds, vocab):
    f = apply(ViewState(), ds, vocab)
    fig = timeline.build_timeline(f.sessions, ds.bodies)
    assert len(fig.data) == 1
    trace = fig.data[0]
    assert [str(x)[:10] for x in trace.x] == ["2024-10-11", "2025-04-11"]
    assert set(trace.y) == {"Foreign Ministers"}  # short names on the axis
    assert trace.name == "Council of Foreign Ministers"
    almaty = trace.customdata[1]
    assert list(almaty[:6]) == ["cfm-2025-04-11", "Almaty", "13", "17", 9, 10]
    moscow = trace.customdata[0]
    assert moscow[2] == "unknown" and moscow[3] == "unknown"  # counts not stated stay unknown


def test_session_map_colours_each_state_by_its_attendance(ds):
    frame = attendance_map.session_frame(ds, "cfm-2025-04-11", tuple(ds.countries["country"]))
    cats = dict(zip(frame["country"], frame["category"]))
    assert cats["MDA"] == "absent" and cats["KAZ"] == "present"
    assert cats["GEO"] == "not a member" and cats["UKR"] == "not a member"
    fig = attendance_map.build_session_map(frame, "t")
    drawn = {t.name.split(" (")[0]: list(t.locations) for t in fig.data}
    assert drawn["absent"] == ["MDA"]
    assert [t.name for t in fig.data][:2] == ["present (stated: 9)", "absent (stated: 1)"]
    assert sorted(drawn["not a member"]) == ["GEO", "UKR"]
    assert sum(len(v) for v in drawn.values()) == 12
    tkm = next(t for t in fig.data if t.name.startswith("present")).text
    assert any("Turkmenistan" in x and "deputy minister" in x for x in tkm)


def test_rate_map_counts_unknown_apart(ds, vocab):
    f = apply(ViewState(), ds, vocab)
    frame = attendance_map.rate_frame(f.attendance, ds, f.countries).set_index("country")
    assert frame.loc["ARM", ["present", "absent", "unknown"]].tolist() == [1, 1, 0]
    assert frame.loc["ARM", "rate_known"] == 50.0
    assert frame.loc["KAZ", ["present", "unknown"]].tolist() == [1, 1]
    assert frame.loc["KAZ", "rate_known"] == 100.0
    assert pd.isna(frame.loc["GEO", "rate_known"])
    fig = attendance_map.build_rate_map(frame.reset_index(), "t")
    z = dict(zip(fig.data[0].locations, fig.data[0].z))
    assert z["ARM"] == 50.0 and z["MDA"] == 0.0


def test_geo_map_uses_only_local_geometry(ds, vocab):
    """The map's geometry comes from the app's own static folder, which holds it: plotly
    would otherwise fetch world topojson from a CDN. (Was: the constant against its own
    literal; now the folder the URL points to must hold what plotly asks for.)"""
    from tests.conftest import ROOT
    url = attendance_map.PLOT_CONFIG["topojsonURL"]
    assert url.startswith("./app/static/") and "://" not in url
    f = apply(ViewState(), ds, vocab)
    fig = attendance_map.build_rate_map(
        attendance_map.rate_frame(f.attendance, ds, f.countries), "t")
    layout = fig.layout.geo
    asked = f"{layout.scope or 'world'}_{int(layout.resolution or 110)}m.json"  # plotly.js
    assert (ROOT / "static" / asked).is_file(), asked
    geo = attendance_map.geometry()
    assert len(geo["features"]) == 12
    # Shapes by URL, from the app's own static folder: the file behind it holds them all.
    for trace in fig.data:
        assert isinstance(trace.geojson, str) and "://" not in trace.geojson
        assert (ROOT / "static" / trace.geojson.removeprefix("./app/static/")).is_file()
        assert trace.geojson.removeprefix("./app/static/") == attendance_map.GEOMETRY.name


def test_participation_table_and_grid(ds, vocab):
    f = apply(ViewState(), ds, vocab)
    table = participation.participation_table(f.attendance, ds, f.countries).set_index("country")
    assert table.loc["TKM", ["sessions_as_member", "present", "present_deputy_minister"]].tolist() == [2, 1, 1]
    assert table.loc["UKR", "sessions_as_member"] == 0
    grid = participation.grid_frame(f.sessions, ds, f.countries).set_index(["session_id", "country"])
    assert grid.loc[("cfm-2025-04-11", "TKM"), "category"] == "present: deputy minister"
    assert grid.loc[("cfm-2025-04-11", "MDA"), "category"] == "absent"
    assert grid.loc[("cfm-2024-10-11", "KAZ"), "category"] == "no information"
    assert grid.loc[("cfm-2025-04-11", "UKR"), "category"] == "not a member"
    assert grid.loc[("cfm-2025-04-11", "UKR"), "membership_status"] == "withdrawn"
    fig = participation.build_grid(grid.reset_index(), ds)
    assert len(fig.data[0].y) == 12 and len(fig.data[0].x) == 2
    from components.palette import GRID_CATEGORIES
    order = [c for c, _ in GRID_CATEGORIES]
    row = list(fig.data[0].y).index("Moldova")
    assert fig.data[0].z[row][1] == order.index("absent") + 0.5
    assert "Moldova · 2025-04-11 Almaty<br>absent" in fig.data[0].text[row][1]
    row = list(fig.data[0].y).index("Ukraine")
    assert fig.data[0].z[row][0] == order.index("not a member") + 0.5
    bar = participation.build_counts_bar(table.reset_index())
    assert [t.name for t in bar.data] == ["present", "absent", "no information"]


def test_documents_table_and_counts(ds, vocab):
    f = apply(ViewState(), ds, vocab)
    table = documents.documents_table(f.documents, f.sessions, ds)
    assert list(table["document_id"]) == ["cfm-2024-10-11-d1", "cfm-2025-04-11-d1", "cfm-2025-04-11-d2"]
    assert table.loc[2, "source_urls"] == "https://example.org/almaty-2"
    counts = documents.type_counts(f.documents).set_index("doc_type")["documents"].to_dict()
    assert counts == {"statement": 1, "other": 1, "programme": 1}
    fig = documents.build_type_bar(documents.type_counts(f.documents))
    assert sum(fig.data[0].x) == 3


def test_sessions_table_with_country_columns_and_detail(ds, vocab):
    state = ViewState(countries=("MDA", "RUS"))
    f = apply(state, ds, vocab)
    table = sessions.sessions_table(f.sessions, f.attendance, ds, state.countries)
    assert list(table["attendance_MDA"]) == ["unknown", "absent"]
    assert list(table["attendance_RUS"]) == ["present", "present"]
    detail = sessions.detail(ds, "cfm-2025-04-11")
    facts = detail["facts"].set_index("field")
    assert facts.loc["documents_count", "value"] == "17"
    assert bool(facts.loc["documents_count", "disputed"])
    assert facts.loc["chair_country", "source_urls"] == "https://example.org/almaty-2"
    assert facts.loc["end_date", "value"] == "unknown"
    assert len(detail["attendance"]) == 10


def test_attendance_strip_per_session(ds, vocab):
    """One heatmap trace of three rows; the numbers a reader hovers are the seats by status."""
    f = apply(ViewState(), ds, vocab)
    fig = timeline.build_attendance_strip(f.sessions)
    assert len(fig.data) == 1 and fig.data[0].type == "heatmap"
    hm = fig.data[0]
    counts = {row: [c[1] for c in cells] for row, cells in zip(hm.y, hm.customdata)}
    assert counts == {"present": [1, 9], "absent": [1, 1], "no information": [8, 0]}
    assert [c[0] for c in hm.customdata[0]] == ["cfm-2024-10-11", "cfm-2025-04-11"]
    assert hm.text[1][1] == "2025-04-11 cfm, Almaty · absent: 1"
    # The shade follows the share of expected seats: Almaty's 9 of 10 present is darker.
    assert hm.z[0][1] > hm.z[0][0] and 0 <= hm.z[0][0] < 1 <= hm.z[1][0] < 2


def test_timeline_marks_disputed_facts_and_session_numbers(ds_councils):
    fig = timeline.build_timeline(ds_councils.sessions, ds_councils.bodies, ds_councils.disputes)
    by_body = {t.name: t for t in fig.data}
    cfm = by_body["Council of Foreign Ministers"]
    almaty = next(c for c in cfm.customdata if c[0] == "cfm-2025-04-11")
    moscow = next(c for c in cfm.customdata if c[0] == "cfm-2024-10-11")
    assert "disputed between sources: documents_count" in almaty[8]
    assert moscow[8] == ""
    cmo = by_body["Council of Defence Ministers"].customdata[0]
    assert cmo[9] == " · no. 54"
    assert set(by_body) == {"Council of Foreign Ministers", "Council of Defence Ministers",
                            "Council of Heads of Government"}


def test_rate_map_fades_states_known_for_under_half_their_seats(ds, vocab):
    """A rate where known must show how much is known: the hover says "known for K of N
    seats", and a state known for under half its seats is drawn faded, in its own trace."""
    f = apply(ViewState(), ds, vocab)
    frame = attendance_map.rate_frame(f.attendance, ds, f.countries).set_index("country")
    # KAZ: present at Almaty, no information at Moscow 2024: known for 1 of 2 (not under half).
    assert (frame.at["KAZ", "seats_known"], frame.at["KAZ", "sessions_as_member"]) == (1, 2)
    frame.loc["KAZ", ["seats_known", "share_known"]] = [0, 0.0]  # pretend: known for none
    frame.loc["KAZ", "rate_known"] = 50.0
    fig = attendance_map.build_rate_map(frame.reset_index(), "t")
    faded = next(tr for tr in fig.data if tr.name == "known for under half its seats (faded)")
    assert list(faded.locations) == ["KAZ"] and faded.marker.opacity < 1
    solid = next(tr for tr in fig.data if tr.name == "share present, where known")
    assert "KAZ" not in list(solid.locations) and solid.marker.opacity == 1
    arm = list(solid.locations).index("ARM")
    assert solid.customdata[arm][1] == "known for 2 of 2 seats"


def test_tables_for_readers_keep_one_type_per_column(ds):
    """A column of numbers with gaps stays numeric (the grid cannot mix text and numbers); a
    column of text or dates shows gaps as blank, never "None"."""
    import datetime as dt

    from components import labels
    df = pd.DataFrame({"share": [0.5, None, 1.0], "note": ["a", None, "c"],
                       "day": [dt.date(2025, 4, 11), None, dt.date(2024, 10, 7)],
                       "country": ["KAZ", None, "MDA"], "status": ["present", "unknown", None]})
    shown = labels.for_reader(df, ds, "en")
    assert pd.api.types.is_float_dtype(shown["share"]) and pd.isna(shown.at[1, "share"])
    assert list(shown["note"]) == ["a", "", "c"]
    assert list(shown["day"]) == ["2025-04-11", "", "2024-10-07"]
    assert list(shown["country"]) == ["Kazakhstan", "", "Moldova"]
    assert list(shown["status"]) == ["present", "no information", ""]
    import pyarrow as pa
    pa.Table.from_pandas(shown)  # what st.dataframe does: must not raise


def test_tables_for_readers_say_codes_in_words_in_both_languages(ds):
    """Each kind of column, many rows of few codes (as the tables are at scale)."""
    from components import labels
    df = pd.DataFrame({
        "body": ["cfm", None, "cfm"], "held": [True, False, True],
        "signatures": ["not_signed: ARM; reservation: AZE, KAZ", None, ""],
        "level": ["deputy_minister", "minister", "unheard_of"],
        "count": pd.Series([3, None, 12], dtype=object), "blank": [None, None, None],
        "parts": [["a"], ["b"], []]}).loc[[0, 1, 2] * 400].reset_index(drop=True)
    en = labels.for_reader(df, ds, "en").iloc[:3]
    assert list(en["body"]) == ["Council of Foreign Ministers", "", "Council of Foreign Ministers"]
    assert list(en["held"]) == ["yes", "no", "yes"]
    assert list(en["signatures"]) == ["not signed: Armenia; signed with reservations: "
                                      "Azerbaijan, Kazakhstan", "", ""]
    assert list(en["level"]) == ["deputy minister", "minister", "unheard_of"]
    assert pd.api.types.is_numeric_dtype(en["count"]) and en.at[2, "count"] == 12
    assert list(en["blank"]) == ["", "", ""]
    assert list(en["parts"]) == [["a"], ["b"], []]
    ru = labels.for_reader(df, ds, "ru").iloc[:3]
    assert ru.at[0, "body"] == "Совет министров иностранных дел"
    assert list(ru["held"]) == ["да", "нет", "да"]
    assert ru.at[0, "level"] == "заместитель министра"


def test_session_labels_name_every_session_by_day_city_and_council(ds_councils):
    from components import labels
    for lang in ("en", "ru"):
        got = labels.session_labels(ds_councils, lang)
        councils = labels.body_names(ds_councils.bodies, lang, short=True)
        assert list(got) == list(ds_councils.sessions["session_id"])
        for r in ds_councils.sessions.to_dict("records"):
            assert got[r["session_id"]] == labels.session_label(r, lang, councils)
    assert labels.session_labels(ds_councils, "en")["cfm-2025-04-11"] == \
        "11 Apr 2025 · Almaty · Foreign Ministers"
    assert labels.session_labels(ds_councils, "ru")["cfm-2025-04-11"].startswith("11 апр. 2025 · Алматы")
