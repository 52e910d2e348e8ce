"""URL state: state -> URL -> state is the identity; any garbage URL gives a state and notices."""

from urllib.parse import parse_qs, urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from components.state import TABS, ViewState, Vocabulary, from_query, normalize, to_query

V = Vocabulary(bodies=("cfm", "cmo"), countries=("ARM", "AZE", "KAZ", "MDA", "RUS"),
               sessions=frozenset({"cfm-2025-04-11", "cfm-2024-10-11"}), year_min=2014,
               year_max=2026)


@st.composite
def states(draw):
    lo = draw(st.integers(V.year_min, V.year_max))
    hi = draw(st.integers(lo, V.year_max))
    return normalize(ViewState(
        tab=draw(st.sampled_from(TABS)),
        bodies=tuple(b for b in V.bodies if draw(st.booleans())),
        year_from=lo, year_to=hi,
        countries=tuple(c for c in V.countries if draw(st.booleans())),
        q=draw(st.text(st.characters(categories=("L", "N", "Zs", "P")), max_size=40)).strip(),
        session=draw(st.sampled_from([None, *sorted(V.sessions)])),
    ), V)


def through_url(state: ViewState) -> ViewState:
    query = urlencode(to_query(state, V), doseq=True)  # what the browser's address bar holds
    parsed, notices = from_query(parse_qs(query), V)
    assert notices == []
    return parsed


@given(states())
@settings(max_examples=300, deadline=None)
def test_round_trip_is_identity(state):
    assert through_url(state) == state


@given(st.dictionaries(st.text(max_size=12), st.lists(st.text(max_size=30), max_size=4),
                       max_size=8))
@settings(max_examples=300, deadline=None)
def test_garbage_never_raises(params):
    """Garbage around a valid view neither raises nor loses the view: the parser reads each
    value on its own, never falling back to defaults for the whole link (the last-resort
    "could not be read" path is for bugs, and a test fails if garbage reaches it)."""
    params = {**params, "tab": ["map"], "country": ["KAZ"], "from": ["2020"]}
    state, notices = from_query(params, V)
    assert isinstance(state, ViewState) and isinstance(notices, list)
    assert not any("could not be read" in n for n in notices), notices
    assert (state.tab, state.countries, state.year_from) == ("map", ("KAZ",), 2020)


def test_defaults_stay_out_of_the_url():
    assert to_query(ViewState(), V) == {}
    full = ViewState(bodies=V.bodies, countries=V.countries, year_from=2014, year_to=2026)
    assert to_query(full, V) == {}


def test_codes_repeated_or_comma_separated_any_case():
    state, notices = from_query({"country": ["kaz,RUS", "arm"], "body": ["CFM"], "tab": ["Map"]}, V)
    assert notices == []
    assert state.countries == ("ARM", "KAZ", "RUS")
    assert state.bodies == ("cfm",)
    assert state.tab == "map"
    assert to_query(state, V) == {"tab": ["map"], "body": ["cfm"], "country": ["ARM", "KAZ", "RUS"]}


def test_bad_values_dropped_with_notice():
    state, notices = from_query({"tab": ["graphs"], "country": ["KAZ", "XYZ"], "from": ["abc"],
                                 "to": ["1800"], "session": ["cfm-1999-01-01"], "zoom": ["3"]}, V)
    assert state == ViewState(countries=("KAZ",), year_to=2014)  # 1800 clamped to the first year
    text = " ".join(notices)
    for fragment in ("zoom", "graphs", "XYZ", "'abc' is not a year", "1800", "cfm-1999-01-01"):
        assert fragment in text


def test_swapped_years_are_swapped_with_notice():
    state, notices = from_query({"from": ["2024"], "to": ["2016"]}, V)
    assert (state.year_from, state.year_to) == (2016, 2024)
    assert notices and "swapped" in notices[0]


def test_search_text_keeps_commas_and_cyrillic():
    state, _ = from_query({"q": ["связь, armed forces"]}, V)
    assert state.q == "связь, armed forces"
