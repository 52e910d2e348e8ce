"""Signatures matrix and state affinity, on the councils fixture: the heads of government in
Dushanbe (chg-2025-06-05) sign d1 with RUS signed, AZE not_signed, ARM reservation.

Expected numbers are worked out by hand from the fixture YAML (tests/fixtures/good and
tests/fixtures/councils), not from the code under test."""

import ast
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from babel.messages.pofile import read_po

from components import signatures_matrix as sm
from components.i18n import t

DOC = "chg-2025-06-05-d1"
TITLE = "Regulation on the principles of the joint communication system of the armed forces"
ALL = ("ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB")
PO = Path(sm.__file__).parent / "locales" / "ru" / "signatures.po"

# On 2025-06-05 (chg): GEO withdrew from the CIS in 2009, UKR in 2018; TKM is an associate,
# which is expected at sessions, so with nothing stated it is "no information".
EXPECTED_STATUS = {
    "ARM": "reservation", "AZE": "not_signed", "RUS": "signed",
    "GEO": "not a member", "UKR": "not a member",
    "BLR": "no information", "KAZ": "no information", "KGZ": "no information",
    "MDA": "no information", "TJK": "no information", "TKM": "no information",
    "UZB": "no information",
}
EXPECTED_COLOUR = {"signed": "#0072B2", "reservation": "#56B4E9", "not_signed": "#E69F00",
                   "no information": "#D9D9D9", "not a member": "#FFFFFF"}


def colour_at(scale, z, zmin, zmax) -> str:
    """The colour a stepped colourscale gives z (each band is [lo, lo] .. [hi, hi])."""
    x = (z - zmin) / (zmax - zmin)
    for (lo, c1), (hi, c2) in zip(scale[::2], scale[1::2]):
        if lo <= x < hi:
            assert c1 == c2, "bands must be flat"
            return c1
    raise AssertionError(f"{z} outside the scale")


# ---- matrix_frame ----------------------------------------------------------------------

def test_matrix_frame_rows_and_statuses(ds_councils):
    frame = sm.matrix_frame(ds_councils.documents, ds_councils, ALL)
    assert list(frame.columns) == sm.MATRIX_COLUMNS
    # Only the Dushanbe document has stated signatures; the foreign ministers' documents none.
    assert len(frame) == 12
    assert set(frame["document_id"]) == {DOC}
    assert set(frame["session_id"]) == {"chg-2025-06-05"}
    assert {str(d) for d in frame["date"]} == {"2025-06-05"}
    assert set(frame["title"]) == {TITLE}
    assert list(frame["country"]) == list(ALL)  # states in the order given
    assert dict(zip(frame["country"], frame["status"])) == EXPECTED_STATUS
    ms = dict(zip(frame["country"], frame["membership_status"]))
    assert (ms["GEO"], ms["UKR"], ms["TKM"], ms["RUS"]) == ("withdrawn", "withdrawn",
                                                            "associate", "member")
    notes = dict(zip(frame["country"], frame["note"]))
    assert notes["AZE"] == "fixture: did not join"
    assert pd.isna(notes["RUS"])
    assert frame["status"].value_counts().to_dict() == {
        "no information": 7, "not a member": 2, "reservation": 1, "not_signed": 1, "signed": 1}


def test_matrix_frame_follows_the_view(ds_councils):
    cfm_only = ds_councils.documents[ds_councils.documents["session_id"].str.startswith("cfm")]
    assert sm.matrix_frame(cfm_only, ds_councils, ALL).empty
    assert list(sm.matrix_frame(cfm_only, ds_councils, ALL).columns) == sm.MATRIX_COLUMNS
    two = sm.matrix_frame(ds_councils.documents, ds_councils, ("RUS", "AZE"))
    assert list(zip(two["country"], two["status"])) == [("RUS", "signed"), ("AZE", "not_signed")]
    assert sm.matrix_frame(ds_councils.documents, ds_councils, ()).empty


def test_stated_signature_wins_over_membership_and_russian_title_fallback(ds_councils):
    extra = pd.DataFrame([
        # Georgia (withdrawn) stated as signing: shown as signed, membership says withdrawn.
        {"document_id": DOC, "country": "GEO", "status": "signed", "source_ids": "x",
         "session_id": "chg-2025-06-05", "note": None},
        # The Almaty programme has no English title: the Russian one is used.
        {"document_id": "cfm-2025-04-11-d2", "country": "KAZ", "status": "signed",
         "source_ids": "x", "session_id": "cfm-2025-04-11", "note": None},
    ])
    ds = replace(ds_councils, signatures=pd.concat([ds_councils.signatures, extra],
                                                   ignore_index=True))
    frame = sm.matrix_frame(ds.documents, ds, ("GEO", "KAZ"))
    assert list(frame["document_id"]) == ["cfm-2025-04-11-d2"] * 2 + [DOC] * 2  # date order
    got = {(d, c): (s, m) for d, c, s, m in zip(frame["document_id"], frame["country"],
                                                frame["status"], frame["membership_status"])}
    assert got[(DOC, "GEO")] == ("signed", "withdrawn")
    assert got[("cfm-2025-04-11-d2", "KAZ")] == ("signed", "member")
    # GEO on 2025-04-11 (cfm): withdrawn from the CIS since 2009.
    assert got[("cfm-2025-04-11-d2", "GEO")] == ("not a member", "withdrawn")
    assert frame["title"].iloc[0] == (
        "Программа укрепления безопасности внешних границ на 2026–2030 годы")
    fig = sm.build_matrix(frame, ds)
    # The row label marks the Russian fallback, as elsewhere in the app.
    assert fig.data[0].y[0].startswith("2025-04-11 [RU] Программа укрепления")
    assert fig.data[0].y[1].startswith("2025-06-05 Regulation on the principles")


# ---- build_matrix ----------------------------------------------------------------------

def test_matrix_figure_values_and_colours(ds_councils):
    frame = sm.matrix_frame(ds_councils.documents, ds_councils, ALL)
    fig = sm.build_matrix(frame, ds_councils)
    hm = fig.data[0]
    assert list(hm.x) == ["Armenia", "Azerbaijan", "Belarus", "Georgia", "Kazakhstan",
                          "Kyrgyzstan", "Moldova", "Russia", "Tajikistan", "Turkmenistan",
                          "Ukraine", "Uzbekistan"]
    assert len(hm.y) == 1 and hm.y[0].startswith("2025-06-05 Regulation on the principles")
    order = [c for c, _ in sm.SIGNATURE_CATEGORIES]
    assert order == ["not a member", "no information", "not_signed", "reservation", "signed"]
    # z is the category's band centre: not a member 0.5 ... signed 4.5.
    assert list(hm.z[0]) == [3.5, 2.5, 1.5, 0.5, 1.5, 1.5, 1.5, 4.5, 1.5, 1.5, 0.5, 1.5]
    assert (hm.zmin, hm.zmax) == (0, 5)
    for code, z in zip(ALL, hm.z[0]):
        status = EXPECTED_STATUS[code]
        assert z == order.index(status) + 0.5
        assert colour_at(hm.colorscale, z, hm.zmin, hm.zmax) == EXPECTED_COLOUR[status], code
    assert list(hm.colorbar.tickvals) == [0.5, 1.5, 2.5, 3.5, 4.5]
    assert list(hm.colorbar.ticktext) == ["not a member", "no information", "not signed",
                                          "signed with reservations", "signed"]
    arm = hm.text[0][0]
    assert arm == (f"<b>{TITLE}</b><br>5 Jun 2025 · chg-2025-06-05<br>State: Armenia"
                   "<br>Status: signed with reservations")
    assert hm.text[0][1].endswith("Status: not signed<br>Note: fixture: did not join")
    assert hm.text[0][3].endswith("State: Georgia<br>Status: not a member")


def test_matrix_colours_are_distinct_blue_against_orange():
    colours = [c.upper() for _, c in sm.SIGNATURE_CATEGORIES]
    assert len(set(colours)) == len(colours)
    # The pair a reader compares, signing against not signing, is blue against orange (the
    # palette's present/absent), never red against green.
    assert dict(sm.SIGNATURE_CATEGORIES) == EXPECTED_COLOUR


def test_matrix_in_russian(ds_councils):
    frame = sm.matrix_frame(ds_councils.documents, ds_councils, ("ARM", "RUS"))
    fig = sm.build_matrix(frame, ds_councils, lang="ru")
    hm = fig.data[0]
    assert list(hm.x) == ["Армения", "Россия"]
    assert list(hm.colorbar.ticktext) == ["не член", "нет сведений", "не подписано",
                                          "подписано с оговорками", "подписано"]
    assert hm.text[0][0].startswith("<b>Положение о принципах объединённой системы связи")
    assert "Государство: Армения<br>Статус: подписано с оговорками" in hm.text[0][0]
    assert fig.layout.title.text == "Подписание документов государствами по данным источников"


def test_hostile_text_is_escaped(ds_councils):
    docs = ds_councils.documents.copy()
    docs.loc[docs["document_id"] == DOC, "title_en"] = "<script>alert(1)</script> & <b>x</b>"
    sig = ds_councils.signatures.copy()
    sig.loc[sig["country"] == "AZE", "note"] = "<img src=x onerror=alert(1)>"
    countries = ds_councils.countries.copy()
    countries.loc[countries["country"] == "RUS", "name_en"] = "<a href='http://evil'>R</a>"
    ds = replace(ds_councils, documents=docs, signatures=sig, countries=countries)
    frame = sm.matrix_frame(ds.documents, ds, ("AZE", "RUS"))
    assert frame["title"].iloc[0] == "<script>alert(1)</script> & <b>x</b>"  # data unchanged
    hm = sm.build_matrix(frame, ds).data[0]
    aze, rus = hm.text[0]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;x&lt;/b&gt;" in aze
    assert "Note: &lt;img src=x onerror=alert(1)&gt;" in aze
    assert "State: &lt;a href=&#x27;http://evil&#x27;&gt;R&lt;/a&gt;" in rus
    for text in (aze, rus, hm.y[0], *hm.x):
        assert "<script" not in text and "<img" not in text and "<a " not in text
    aff = sm.build_affinity(
        sm.affinity_frame(ds.attendance, ds.signatures, ("ARM", "RUS")), ds).data[0]
    assert aff.text[0][1].startswith("Armenia · &lt;a href=")
    assert all("<a " not in x for row in aff.text for x in row)
    assert all("<a " not in x for x in (*aff.x, *aff.y))


# ---- affinity_frame --------------------------------------------------------------------
# Stated attendance in the councils fixture (P present, A absent; others not stated):
#   cfm-2024-10-11: RUS P, ARM A
#   cfm-2025-04-11: ARM AZE BLR KAZ KGZ RUS TJK TKM UZB P, MDA A
#   cmo-2008-06-10: RUS P, GEO P (guest: Georgia had left the defence council)
#   chg-2025-06-05: RUS P, TJK P
# Stated signatures: one document, ARM reservation, AZE not_signed, RUS signed.

def pair(frame, a, b):
    return frame[(frame["country_a"] == a) & (frame["country_b"] == b)].iloc[0]


def test_affinity_counts_by_hand(ds_councils):
    f = sm.affinity_frame(ds_councils.attendance, ds_councils.signatures, ALL)
    assert list(f.columns) == sm.AFFINITY_COLUMNS
    assert len(f) == 66  # 12 * 11 / 2 unordered pairs
    assert (f["country_a"] < f["country_b"]).all()
    cols = ["co_attendance_sessions", "both_known_sessions", "co_attendance_share",
            "co_signed_documents", "both_known_documents", "co_signature_share"]
    expect = {
        # Moscow: ARM absent; Almaty: both present; Dushanbe: RUS signed, ARM with reservation
        ("ARM", "RUS"): [1, 2, 0.5, 1, 1, 1.0],
        ("RUS", "TJK"): [2, 2, 1.0, 0, 0, None],   # Almaty and Dushanbe
        ("GEO", "RUS"): [1, 1, 1.0, 0, 0, None],   # the guest counts as present
        ("MDA", "RUS"): [0, 1, 0.0, 0, 0, None],   # Almaty: Moldova absent
        ("ARM", "AZE"): [1, 1, 1.0, 0, 1, 0.0],    # AZE did not sign
        ("AZE", "RUS"): [1, 1, 1.0, 0, 1, 0.0],
        ("KAZ", "RUS"): [1, 1, 1.0, 0, 0, None],   # Moscow: KAZ not stated, not absent
        ("GEO", "UKR"): [0, 0, None, 0, 0, None],  # nothing stated for both
        ("RUS", "UKR"): [0, 0, None, 0, 0, None],
    }
    for (a, b), values in expect.items():
        row = pair(f, a, b)
        assert [row[c] for c in cols] == values, (a, b)
        for c in ("co_attendance_share", "co_signature_share"):
            if values[cols.index(c)] is None:
                assert row[c] is None  # None, not NaN or 0
    # Totals: pairs per session with both stated = C(2,2)+C(10,2)+C(2,2)+C(2,2) = 48;
    # present together = 0 + C(9,2) + 1 + 1 = 38; the one document: C(3,2) = 3 known, 1 signed.
    assert f["both_known_sessions"].sum() == 48
    assert f["co_attendance_sessions"].sum() == 38
    assert f["both_known_documents"].sum() == 3 and f["co_signed_documents"].sum() == 1
    assert (f["both_known_sessions"] > 0).sum() == 46
    assert f["co_attendance_share"].isna().sum() == 20


def test_affinity_follows_the_view(ds_councils):
    f = sm.affinity_frame(ds_councils.attendance, ds_councils.signatures, ("RUS", "ARM"))
    assert list(zip(f["country_a"], f["country_b"])) == [("ARM", "RUS")]
    # Only the Almaty session in view: ARM and RUS both present, one of one.
    almaty = ds_councils.attendance[ds_councils.attendance["session_id"] == "cfm-2025-04-11"]
    f = sm.affinity_frame(almaty, ds_councils.signatures.iloc[:0], ("ARM", "RUS"))
    assert f.iloc[0][["co_attendance_sessions", "both_known_sessions", "co_attendance_share",
                      "both_known_documents"]].tolist() == [1, 1, 1.0, 0]
    assert f.iloc[0]["co_signature_share"] is None
    assert sm.affinity_frame(almaty, ds_councils.signatures, ("RUS",)).empty


def test_reservation_counts_as_signing():
    """Two states signing a text, one with reservations, signed it together; one that did
    not sign did not. (Was: the constant compared to its own literal.)"""
    none = pd.DataFrame(columns=["session_id", "country", "status"])
    sig = pd.DataFrame({"document_id": ["d1", "d1", "d1", "d2", "d2"],
                        "country": ["ARM", "KAZ", "RUS", "ARM", "KAZ"],
                        "status": ["signed", "reservation", "not_signed", "reservation",
                                   "reservation"]})
    f = sm.affinity_frame(none, sig, ("ARM", "KAZ", "RUS")).set_index(["country_a", "country_b"])
    assert f.loc[("ARM", "KAZ"), ["co_signed_documents", "both_known_documents"]].tolist() == [2, 2]
    assert f.loc[("ARM", "RUS"), ["co_signed_documents", "both_known_documents"]].tolist() == [0, 1]
    assert f.loc[("KAZ", "RUS"), "co_signature_share"] == 0.0


# ---- build_affinity --------------------------------------------------------------------

def test_affinity_figure(ds_councils):
    f = sm.affinity_frame(ds_councils.attendance, ds_councils.signatures, ALL)
    fig = sm.build_affinity(f, ds_councils)
    hm = fig.data[0]
    names = list(hm.x)
    assert names == list(hm.y) and len(names) == 12
    idx = {code: i for i, code in enumerate(ALL)}
    z = [list(row) for row in hm.z]
    assert all(z[i][i] is None for i in range(12))  # diagonal blank
    assert all(z[i][j] == z[j][i] for i in range(12) for j in range(12))  # symmetric
    assert z[idx["ARM"]][idx["RUS"]] == 0.5
    assert z[idx["RUS"]][idx["TJK"]] == 1.0
    assert z[idx["MDA"]][idx["RUS"]] == 0.0
    assert z[idx["GEO"]][idx["UKR"]] is None  # nothing stated: blank, not 0
    assert sum(v is not None for row in z for v in row) == 2 * 46
    assert (hm.zmin, hm.zmax) == (0, 1) and hm.colorbar.tickformat == ".0%"
    assert hm.text[idx["ARM"]][idx["RUS"]] == hm.text[idx["RUS"]][idx["ARM"]] == (
        "Armenia · Russia<br>Sessions both present: 1<br>Sessions with both stated: 2"
        "<br>Share: 50%<br>Documents both signed (incl. with reservations): 1"
        "<br>Documents with both stated: 1<br>Share: 100%")
    assert hm.text[idx["GEO"]][idx["UKR"]].endswith("Share: no data")
    assert fig.layout.title.text == sm.MEASURES["co_attendance_share"]

    sig = sm.build_affinity(f, ds_councils, "co_signature_share").data[0]
    zs = [list(row) for row in sig.z]
    assert zs[idx["ARM"]][idx["RUS"]] == 1.0 and zs[idx["ARM"]][idx["AZE"]] == 0.0
    assert zs[idx["AZE"]][idx["RUS"]] == 0.0
    assert sum(v is not None for row in zs for v in row) == 2 * 3

    counts = sm.build_affinity(f, ds_councils, "co_attendance_sessions").data[0]
    assert counts.z[idx["RUS"]][idx["TJK"]] == 2 and counts.zmax == 2
    with pytest.raises(ValueError):
        sm.build_affinity(f, ds_councils, "nonsense")


def test_affinity_in_russian(ds_councils):
    f = sm.affinity_frame(ds_councils.attendance, ds_councils.signatures, ("ARM", "RUS"))
    fig = sm.build_affinity(f, ds_councils, "co_signature_share", lang="ru")
    assert list(fig.data[0].x) == ["Армения", "Россия"]
    assert fig.data[0].text[0][1] == (
        "Армения · Россия<br>Заседания, где присутствовали оба: 1"
        "<br>Заседания, где указано участие обоих: 2<br>Доля: 50%"
        "<br>Документы, подписанные обоими (в т. ч. с оговорками): 1"
        "<br>Документы, где указана позиция обоих: 1<br>Доля: 100%")
    assert fig.layout.title.text.startswith("Подписали вместе")


# ---- translations ----------------------------------------------------------------------

def _labels_used() -> set[str]:
    """Every msgid the module passes to t(): literal first arguments, plus the label tables
    it looks labels up in (the only non-literal arguments allowed)."""
    tree = ast.parse(Path(sm.__file__).read_text(encoding="utf-8"))
    labels = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t":
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                labels.add(arg.value)
            else:
                assert (isinstance(arg, ast.Subscript) and isinstance(arg.value, ast.Name)
                        and arg.value.id in ("CATEGORY_LABELS", "MEASURES")), ast.dump(arg)
    return labels | set(sm.CATEGORY_LABELS.values()) | set(sm.MEASURES.values())


def test_every_label_has_a_russian_translation():
    with PO.open("rb") as fh:
        catalog = read_po(fh, locale="ru")
    assert catalog.charset.lower() == "utf-8"
    po = {str(m.id): str(m.string) for m in catalog if m.id}
    used = _labels_used()
    assert len(used) == 19
    missing = sorted(x for x in used if not po.get(x))
    assert not missing, missing
    assert not sorted(set(po) - used), "stale entries in signatures.po"
    for msgid in used:
        # Placeholders survive translation, and the app's t() returns the translation.
        assert set(re.findall(r"{(\w+)}", msgid)) == set(re.findall(r"{(\w+)}", po[msgid]))
        assert t(msgid, "ru", n=1, share="1%") == po[msgid].format(n=1, share="1%")
        assert re.search("[а-яё]", po[msgid], re.I), msgid
