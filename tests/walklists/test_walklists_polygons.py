"""Hand-drawn turfs: polygon checks (one error type, naming the problem) and point in polygon,
against shapely as an independent oracle (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from walklists import Door, InvalidPolygonError, TurfPolygon, WalklistsError, doors_inside, parse_polygon

SQUARE = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]


def poly(ring):
    return {"type": "Polygon", "coordinates": [ring]}


def star(n: int, cx: float, cy: float, radii: list[float]) -> list[list[float]]:
    """A star-shaped (so simple) ring around (cx, cy): corners at even angles, radii given."""
    return [[cx + r * math.cos(2 * math.pi * i / n), cy + r * math.sin(2 * math.pi * i / n)]
            for i, r in enumerate(radii)]


stars = st.integers(3, 40).flatmap(lambda n: st.tuples(
    st.just(n), st.floats(-170, 170), st.floats(-80, 80),
    st.lists(st.floats(0.0005, 0.05), min_size=n, max_size=n)))
points = st.lists(st.tuples(st.floats(-0.06, 0.06), st.floats(-0.06, 0.06)), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(stars, points)
def test_inside_matches_shapely_away_from_the_outline(shape, offsets):
    n, cx, cy, radii = shape
    ring = star(n, cx, cy, radii)
    polygon = parse_polygon(poly(ring))
    xs = np.array([cx + dx for dx, _ in offsets])
    ys = np.array([cy + dy for _, dy in offsets])
    mine = polygon.contains(xs, ys)
    shape_ = shapely.Polygon(ring)
    oracle = shapely.contains_xy(shape_, xs, ys)
    near = shapely.distance(shape_.exterior, shapely.points(xs, ys)) < 1e-9
    assert (mine[~near] == oracle[~near]).all()


@settings(max_examples=100, deadline=None)
@given(stars, points, st.integers(0, 39), st.booleans())
def test_same_answer_whatever_corner_starts_or_which_way_round(shape, offsets, start, backwards):
    n, cx, cy, radii = shape
    ring = star(n, cx, cy, radii)
    turned = ring[start % n:] + ring[:start % n]
    if backwards:
        turned = turned[::-1]
    xs, ys = [cx + dx for dx, _ in offsets], [cy + dy for _, dy in offsets]
    assert (parse_polygon(poly(ring)).contains(xs, ys) == parse_polygon(poly(turned)).contains(xs, ys)).all()


@settings(max_examples=60, deadline=None)
@given(stars, points)
def test_doors_inside_keeps_order_and_only_inside_doors(shape, offsets):
    n, cx, cy, radii = shape
    polygon = parse_polygon(poly(star(n, cx, cy, radii)))
    doors = [Door(f"d{i}", cx + dx, cy + dy, "High St", str(i)) for i, (dx, dy) in enumerate(offsets)]
    inside = doors_inside(polygon, doors)
    mask = polygon.contains([d.lon for d in doors], [d.lat for d in doors])
    assert inside == [d for d, m in zip(doors, mask) if m]


def test_parse_drops_the_closing_and_repeated_corners_and_round_trips():
    polygon = parse_polygon({"type": "Feature", "geometry": poly([[0, 0], [1, 0], [1, 0], [1, 1], [0, 1], [0, 0]])})
    assert polygon == TurfPolygon(((0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)))
    assert parse_polygon(polygon.as_geojson()) == polygon
    assert doors_inside(polygon, []) == []


@pytest.mark.parametrize("geometry, message", [
    (None, "must be a GeoJSON Polygon, got 'NoneType'"),
    ("POLYGON((0 0, 1 0, 1 1))", "must be a GeoJSON Polygon, got 'str'"),
    ({"type": "LineString", "coordinates": SQUARE}, "got 'LineString'"),
    ({"type": "MultiPolygon", "coordinates": [[SQUARE]]}, "got 'MultiPolygon'"),
    ({"type": "Polygon"}, "has no coordinates"),
    ({"type": "Polygon", "coordinates": []}, "has no coordinates"),
    ({"type": "Polygon", "coordinates": [SQUARE, SQUARE]}, "without holes"),
    ({"type": "Polygon", "coordinates": ["abc"]}, "must be a list of [longitude, latitude]"),
    (poly([[0, 0], [1, 0], [0, 0]]), "at least 3 corners, got 2"),
    (poly([[0, 0], [1, 0]]), "at least 3 corners, got 2"),
    (poly([[0, 0], [1, 0], [1, 1], "x"]), "Point 4 must be [longitude, latitude]"),
    (poly([[0, 0], [1, 0], [1, 1, 2, 3]]), "Point 3 must be"),
    (poly([[0, 0], [181, 0], [1, 1]]), "Point 2's longitude must be between -180 and 180, got 181"),
    (poly([[0, 0], [1, -91], [1, 1]]), "Point 2's latitude must be between -90 and 90"),
    (poly([[0, 0], [1, 10 ** 400], [1, 1]]), "Point 2's latitude must be between"),
    (poly([[0, 0], [float("nan"), 0], [1, 1]]), "Point 2's longitude must be a number, got nan"),
    (poly([[0, 0], [True, 0], [1, 1]]), "Point 2's longitude must be a number, got True"),
    (poly([[0, 0], ["1", 0], [1, 1]]), "must be a number, got '1'"),
    (poly([[0, 0], [1, 1], [1, 0], [0, 1]]), "crosses itself"),
    (poly([[0, 0], [1, 1], [2, 2]]), "no area"),
    (poly([[0, 0]] + [[math.cos(i / 100), math.sin(i / 100)] for i in range(1, 600)]), "at most 500 are allowed"),
])
def test_bad_polygons_name_the_problem(geometry, message):
    with pytest.raises(InvalidPolygonError) as caught:
        parse_polygon(geometry)
    assert message in str(caught.value)
    assert isinstance(caught.value, WalklistsError)


def test_the_corner_cap_counts_distinct_corners_and_can_be_set():
    ring = star(6, 0, 0, [0.01] * 6)
    assert len(parse_polygon(poly(ring), max_vertices=6).ring) == 6
    with pytest.raises(InvalidPolygonError, match="at most 5"):
        parse_polygon(poly(ring), max_vertices=5)
