"""The shipped map geometry: one shape per CIS state, borders following UN views."""

from components.attendance_map import geometry


def _inside(point, ring):
    x, y = point
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _owner(point):
    for f in geometry()["features"]:
        g = f["geometry"]
        polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
        if any(_inside(point, poly[0]) for poly in polys):
            return f["properties"]["a3"]
    return None


def test_twelve_states_with_codes():
    codes = sorted(f["properties"]["a3"] for f in geometry()["features"])
    assert codes == ["ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "MDA", "RUS", "TJK", "TKM", "UKR", "UZB"]


def test_crimea_is_drawn_as_part_of_ukraine():
    assert _owner((34.1, 44.95)) == "UKR"  # Simferopol
    assert _owner((33.52, 44.6)) == "UKR"  # Sevastopol
    assert _owner((37.6, 55.75)) == "RUS"  # Moscow
    assert _owner((76.9, 43.25)) == "KAZ"  # Almaty
