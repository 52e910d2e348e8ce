
from components.filters import apply, fold
from components.state import ViewState


def ids(f):
    return list(f.sessions["session_id"])


def test_no_filter_keeps_everything(ds, vocab):
    f = apply(ViewState(), ds, vocab)
    assert ids(f) == ["cfm-2024-10-11", "cfm-2025-04-11"]
    assert len(f.attendance) == 20 and len(f.documents) == 3


def test_year_range(ds, vocab):
    assert ids(apply(ViewState(year_from=2025), ds, vocab)) == ["cfm-2025-04-11"]
    assert ids(apply(ViewState(year_to=2024), ds, vocab)) == ["cfm-2024-10-11"]


def test_body_filter(ds, vocab):
    assert ids(apply(ViewState(bodies=("cfm",)), ds, vocab)) == ids(apply(ViewState(), ds, vocab))
    assert ids(apply(ViewState(bodies=("cmo",)), ds, vocab)) == []


def test_search_is_case_and_yo_insensitive_in_russian_and_english(ds, vocab):
    for q in ("ОБЪЕДИНЕННОЙ СИСТЕМЫ", "объединённой", "Joint Communication"):
        f = apply(ViewState(q=q), ds, vocab)
        assert ids(f) == ["cfm-2025-04-11"], q
        assert list(f.documents["document_id"]) == ["cfm-2025-04-11-d1"]
    f = apply(ViewState(q="терроризмом"), ds, vocab)
    assert ids(f) == ["cfm-2024-10-11"]
    assert ids(apply(ViewState(q="nothing like this"), ds, vocab)) == []


def test_country_filter_limits_attendance_not_sessions(ds, vocab):
    f = apply(ViewState(countries=("MDA", "ARM")), ds, vocab)
    assert ids(f) == ["cfm-2024-10-11", "cfm-2025-04-11"]
    assert set(f.attendance["country"]) == {"MDA", "ARM"}
    assert f.countries == ("MDA", "ARM")


def test_fold():
    # Case, ё/е and script fold away: Cyrillic and Latin spellings meet in one form.
    assert fold("Ёлка СВЯЗЬ") == fold("елка связь")
    assert fold("Лавров") == fold("Lavrov") == "lavrov"
    assert fold("Алматы") == fold("ALMATY")
    assert fold("Ташкент") == fold("Tashkent")
    assert fold("связь") != fold("связи")


def test_ids_in_matches_pandas_isin():
    import pandas as pd

    from components.ids import ids_in
    col = pd.Series(["a", "b", None, "c"], dtype="str")
    for ids in (pd.Series(["c", "a"], dtype="str"), {"c", "a"}, ("a", "c"), []):
        assert ids_in(col, ids).tolist() == col.isin(list(ids)).tolist()
    assert ids_in(col, ["a", "c"]).tolist() == [True, False, False, True]
