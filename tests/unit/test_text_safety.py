"""Text from the data is shown as text: markdown is escaped, plotly hover tags are escaped."""

from components import attendance_map, timeline
from components.ui import md_escape


def test_markdown_is_escaped():
    raw = "[click](javascript:alert(1)) **bold** <b>x</b> # h"
    out = md_escape(raw)
    for ch in "[]()*<>#":
        assert f"\\{ch}" in out
    assert "\\[click\\]\\(javascript" in out


def test_hover_text_escapes_tags(ds):
    frame = attendance_map.session_frame(ds, "cfm-2025-04-11", ("RUS",))
    frame.loc[0, "head_name"] = "<a href='http://evil'>x</a>"
    fig = attendance_map.build_session_map(frame, "t")
    assert "&lt;a href=" in fig.data[0].text[0] and "<a " not in fig.data[0].text[0]
    sessions = ds.sessions.copy()
    sessions.loc[0, "city_en"] = "<img src=x>"
    fig = timeline.build_timeline(sessions, ds.bodies)
    assert fig.data[0].customdata[0][1] == "&lt;img src=x&gt;"
