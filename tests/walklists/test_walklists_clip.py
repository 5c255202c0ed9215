"""walklists._clip: the area two convex hulls share, in numpy, is GEOS's (within 1e-6 relative)."""

from __future__ import annotations

import numpy as np
import shapely
from hypothesis import HealthCheck, given, settings, strategies as st

from walklists._clip import rings, shared, shared_np

# metres, as the cut sees doors: hulls a few hundred metres across, far from the origin at times
_coord = st.floats(-400, 400, allow_nan=False, allow_infinity=False)
_points = st.lists(st.tuples(_coord, _coord), min_size=1, max_size=24)


def _hull(points, dx: float, dy: float, scale: float):
    return shapely.convex_hull(shapely.multipoints(np.asarray(points) * scale + [dx, dy]))


@st.composite
def hull_pairs(draw):
    n = draw(st.integers(1, 12))
    dx, dy = draw(st.sampled_from([0.0, 5_000.0, -30_000.0])), draw(st.sampled_from([0.0, 12_000.0]))
    pairs = []
    for _ in range(n):
        a, b = draw(_points), draw(_points)
        # a second hull near the first: shifted, scaled, or sharing some of its corners. Shifts are whole
        # micrometres: the clip's inside test is a plain cross product, so an edge that coincides with
        # another but for an offset of 1e-17 m may fall either side (found by random search: two copies
        # of a sliver sharing 0 of 0.5 m2); doors never give that, as a door's coordinates are the same
        # floats in every hull that holds it, and edges that coincide exactly are clipped exactly.
        shift = draw(st.tuples(*[st.floats(-300, 300).map(lambda v: round(v, 6))] * 2))
        if draw(st.booleans()):
            b = b + a[: draw(st.integers(0, len(a)))]
        pairs.append((_hull(a, dx, dy, 1.0), _hull(b, dx + shift[0], dy + shift[1], draw(st.sampled_from([0.01, 0.3, 1.0])))))
    return np.array([p[0] for p in pairs], dtype=object), np.array([p[1] for p in pairs], dtype=object)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hull_pairs(), st.sampled_from([shared, shared_np]))
def test_the_shared_area_and_its_bounds_are_geos_intersections(pair, clip):
    # shared: compiled (numba); shared_np: the numpy passes used without numba
    a, b = pair
    (p, pn), (q, qn) = rings(a), rings(b)
    area, box = clip(p, pn, q, qn)
    inter = shapely.intersection(a, b)
    want = shapely.area(inter)
    scale = np.maximum(np.minimum(shapely.area(a), shapely.area(b)), 1.0)
    # exact to 1e-6 of the shared area, and where GEOS finds slivers, to 1e-9 of the smaller hull
    assert np.all(np.abs(area - want) <= 1e-6 * want + 1e-9 * scale)
    some = want > 1e-6 * scale  # slivers thinner than a micrometre may end a little short
    assert np.allclose(box[some], shapely.bounds(inter[some]), rtol=0, atol=1e-6)


def test_hulls_without_area_share_none():
    line = shapely.convex_hull(shapely.multipoints([[0, 0], [10, 10]]))
    point = shapely.Point(1, 1)
    square = shapely.box(-5, -5, 5, 5)
    p, pn = rings(np.array([line, point, None, square], dtype=object))
    q, qn = rings(np.array([square, square, square, square], dtype=object))
    assert list(pn) == [0, 0, 0, 4]
    for clip in (shared, shared_np):
        assert np.allclose(clip(p, pn, q, qn)[0], [0, 0, 0, 100])


def test_either_orientation_gives_the_same_area():
    ccw = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)])
    cw = shapely.Polygon([(1, 1), (1, 6), (6, 6), (6, 1)])
    p, pn = rings(np.array([ccw, cw], dtype=object))
    q, qn = rings(np.array([cw, ccw], dtype=object))
    assert np.allclose(shared(p, pn, q, qn)[0], [9, 9])
    assert np.allclose(shared_np(p, pn, q, qn)[0], [9, 9])


def test_shared_sums_are_the_pairs_areas_summed_but_the_skipped():
    from walklists._clip import shared_at, shared_sums
    from walklists._hull import boxes_meet

    rng = np.random.default_rng(11)
    centres = rng.random((40, 2)) * 300
    hulls = np.array([shapely.convex_hull(shapely.multipoints(c + rng.normal(0, 30, (12, 2)))) for c in centres])
    hulls[5] = shapely.Point(10, 10)  # no area: never counted
    g, gn = rings(hulls[:15])
    h, hn = rings(hulls)
    skip = np.stack([np.arange(15), rng.integers(0, 40, 15)])
    got = shared_sums(g, gn, shapely.bounds(hulls[:15]), h, hn, shapely.bounds(hulls), skip)
    qi, qc = boxes_meet(shapely.bounds(hulls[:15]), shapely.bounds(hulls))
    m = (qc != skip[0][qi]) & (qc != skip[1][qi]) & (hn[qc] >= 3)
    want = np.bincount(qi[m], shared_at(g, gn, qi[m], h, hn, qc[m]), 15)
    assert np.array_equal(got, want) and want.sum() > 0
    by_geos = [sum(shapely.area(shapely.intersection(hulls[i], hulls[j])) for j in range(40) if j not in skip[:, i])
               for i in range(15)]
    assert np.allclose(got, by_geos, rtol=1e-6)
