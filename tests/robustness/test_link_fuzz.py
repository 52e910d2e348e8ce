"""Property-based fuzz of share links through the real app (streamlit.testing AppTest):
whatever the query string, the page renders without an exception, every invalid value is
dropped with a visible notice and left out of the rewritten link, and nothing from the URL
reaches the page as markup.

CI runs 2,000 examples; `make fuzz` (FUZZ_EXAMPLES=10000) runs 10,000."""

import os
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from components.dataset import load_dataset
from components.filters import vocabulary
from components.state import LEVELS, MIGRATIONS, from_query
from tests.conftest import ROOT, councils_copy

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "2000"))
# The four-council fixture: every view and parameter exists, and a run takes ~0.1 s.
DATA = councils_copy(Path(tempfile.mkdtemp(prefix="fuzz-")) / "data")
DS = load_dataset(DATA)
VOCAB = vocabulary(DS)
SESSIONS = sorted(VOCAB.sessions)

HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
           "**bold**", "`code`", "# heading", "&lt;b&gt;", "\u202eevil", "Алматы", "..", "%00",
           "=cmd|' /C calc'!A0", "a" * 300, " ", ",", "KAZX,,RUSX", "0", "-1", "1e9", "None"]
text = st.one_of(st.sampled_from(HOSTILE), st.text(min_size=1, max_size=40))
# A value that is blank once split on commas and trimmed is an absent value, not an invalid
# one: it changes nothing and needs no notice.
text = text.filter(lambda v: any(p.strip() for p in v.split(",")))

# (value, valid) per parameter: valid values come from the dataset's own vocabulary.
VALUES = {
    "tab": st.one_of(st.sampled_from(["timeline", "map", "countries", "documents", "sessions",
                                      "coverage", "signatures"]).map(lambda v: (v, True)),
                     text.filter(lambda v: v.strip().lower() not in (
                         "timeline", "map", "countries", "documents", "sessions", "coverage",
                         "signatures", "participation", "table", "docs", "attendance"))
                     .map(lambda v: (v, False))),
    "body": st.one_of(st.sampled_from(VOCAB.bodies).map(lambda v: (v, True)),
                      text.filter(lambda v: all(p.strip().lower() not in VOCAB.bodies
                                                for p in v.split(","))).map(lambda v: (v, False))),
    "country": st.one_of(st.sampled_from(VOCAB.countries).map(lambda v: (v, True)),
                         text.filter(lambda v: all(p.strip().upper() not in VOCAB.countries
                                                   for p in v.split(","))).map(lambda v: (v, False))),
    "from": st.one_of(st.integers(VOCAB.year_min, VOCAB.year_max).map(lambda v: (str(v), True)),
                      text.filter(lambda v: not v.strip().lstrip("-").isdigit()).map(lambda v: (v, False))),
    "session": st.one_of(st.sampled_from(SESSIONS).map(lambda v: (v, True)),
                         text.filter(lambda v: v.strip() not in VOCAB.sessions).map(lambda v: (v, False))),
    "lang": st.one_of(st.sampled_from(["en", "ru"]).map(lambda v: (v, True)),
                      text.filter(lambda v: v.strip().lower() not in ("en", "ru")).map(lambda v: (v, False))),
    "v": st.one_of(st.sampled_from(VOCAB.versions).map(lambda v: (v, True)),
                   text.filter(lambda v: v.strip() not in VOCAB.versions).map(lambda v: (v, False))),
    "q": text.map(lambda v: (v, True)),
    "level": st.one_of(st.sampled_from(LEVELS).map(lambda v: (v, True)),
                       text.filter(lambda v: all(p.strip().lower() not in LEVELS
                                                 for p in v.split(","))).map(lambda v: (v, False))),
}
JUNK_KEYS = st.text(alphabet=st.characters(codec="ascii", categories=("L", "N")), min_size=1,
                    max_size=12).filter(lambda k: k not in VALUES and k not in MIGRATIONS
                                        and k not in ("to", "embed") and not k.startswith("embed_"))


@st.composite
def links(draw):
    keys = draw(st.lists(st.sampled_from(sorted(VALUES)), max_size=6, unique=True))
    params = {k: draw(VALUES[k]) for k in keys}
    junk = draw(st.lists(JUNK_KEYS, max_size=2, unique=True))
    return params, junk


# Markup that would render if a URL value reached markdown unescaped.
UNESCAPED = re.compile(r"(?<!\\)<[a-zA-Z!/]|(?<!\\)\]\(")
MARKUP_CHARS = set("*_`[]()<>#|~")
MARKDOWN_ELEMENTS = ("title", "header", "subheader", "markdown", "caption", "warning", "info",
                     "error", "success")


# The app's own markup, which a link value cannot produce: links to the dataset's sources
# (escaped text, an http address from the data) and the fixed style rule that labels the
# phone's filter control.
OWN_LINK = re.compile(r"\[(?:[^\]\\]|\\.)*\]\(https?://[^\s)]+\)")
OWN_STYLE = re.compile(r"^<style>\[data-testid=\"stSidebarCollapsedControl\"\][^<]*</style>$")


def _markdown_texts(at: AppTest) -> list[str]:
    out = []
    for kind in MARKDOWN_ELEMENTS:
        out += [OWN_LINK.sub("", str(e.value)) for e in getattr(at, kind)
                if not OWN_STYLE.match(str(e.value))]
    return out


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          derandomize=os.environ.get("FUZZ_RANDOM") != "1",
          suppress_health_check=list(HealthCheck))
@given(links())
def test_any_link_renders_with_notices_and_no_markup(link):
    params, junk = link
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    os.environ["CIS_DATA_DIR"] = str(DATA)
    for key, (value, _) in params.items():
        at.query_params[key] = value
    for key in junk:
        at.query_params[key] = "x"
    at.run()
    assert not at.exception, [e.value for e in at.exception]

    notices = " ".join(str(w.value) for w in at.warning)
    written = {k: at.query_params.get_all(k) if hasattr(at.query_params, "get_all") else v
               for k, v in at.query_params.items()}
    invalid = {k: v for k, (v, ok) in params.items() if not ok}
    if invalid or junk:
        assert notices, f"no notice for {invalid} {junk}"
    for key in junk:
        assert key not in written
    for key, value in invalid.items():
        kept = written.get(key, [])
        kept = [kept] if isinstance(kept, str) else list(kept)
        assert value not in kept, (key, value, written)
    # Every valid value survives: the link the app wrote reads back, without a notice, as the
    # view the valid part of the given link asked for.
    asked, _ = from_query({k: [v] for k, (v, ok) in params.items() if ok}, VOCAB)
    as_lists = {k: [v] if isinstance(v, str) else list(v) for k, v in written.items()}
    kept_state, notices_back = from_query(as_lists, VOCAB)
    assert notices_back == [], (as_lists, notices_back)
    assert kept_state == asked, (params, written)
    texts = _markdown_texts(at)
    for text_ in texts:
        assert not UNESCAPED.search(text_), text_[:200]
    # A URL value with markup characters never appears verbatim in markdown: it is escaped.
    # (Dropping every backslash-escaped character leaves an escaped value without its markup
    # characters, so the raw value can only survive if it was not escaped.)
    unescaped = [re.sub(r"\\.", "", text_) for text_ in texts]
    for key, (value, _) in params.items():
        raw = value.strip()[:20]
        if len(raw) >= 3 and MARKUP_CHARS & set(raw) and "\\" not in raw:
            assert not any(raw in text_ for text_ in unescaped), (key, raw)
