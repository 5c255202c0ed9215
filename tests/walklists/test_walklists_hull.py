"""walklists._hull: many groups' convex hulls at once are GEOS's (same corners, area, length, bounds)."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import HealthCheck, given, settings, strategies as st

import walklists._hull as H
from walklists._clip import rings, shared


@st.composite
def groups(draw):
    n = draw(st.integers(1, 8))
    # coarse grids give duplicates (flats at one place) and points on one line; offsets as the cut sees them
    step = draw(st.sampled_from([1.0, 7.5, 0.001]))
    off = draw(st.sampled_from([0.0, 30_000.0]))
    cell = st.integers(-6, 6)
    pts = draw(st.lists(st.tuples(cell, cell), min_size=n, max_size=60))
    ind = np.r_[np.arange(n), draw(st.lists(st.integers(0, n - 1), min_size=len(pts) - n, max_size=len(pts) - n))]
    if draw(st.booleans()):  # one group all on one line
        pts = [(x, 2 * x + 1) if i == 0 else (x, y) for (x, y), i in zip(pts, ind)]
    return np.asarray(pts, dtype=float) * step + off, ind.astype(np.int64), n


def _geos(pts, ind, n):
    o = np.argsort(ind, kind="stable")
    return shapely.convex_hull(shapely.multipoints(pts[o], indices=ind[o]))


def _tolerance(pts) -> float:
    """How far off a line a corner may be and still be on it for the kernels' plain cross product:
    GEOS decides orientation exactly, so where three points are collinear but for rounding it may
    keep a corner that the kernels drop (or drop one they keep), adding no area to speak of."""
    return 1e-9 * max(1.0, float(np.abs(pts).max(initial=0.0)))


def _same_hull(a, b, tol: float) -> bool:
    """Two hulls (sets of corners) are the same, or differ only by corners within tol of the other's edge."""
    if a == b:
        return True
    ha, hb = (shapely.convex_hull(shapely.multipoints(list(x))) for x in (a, b))
    return shapely.hausdorff_distance(ha, hb) <= tol and abs(shapely.area(ha) - shapely.area(hb)) <= tol


def _check(pts, ind, n):
    ring, cnt, area, perim, box = H.group_hulls(pts, ind, n)
    geos = _geos(pts, ind, n)
    c, w = shapely.get_coordinates(geos, return_index=True)
    tol = _tolerance(pts)
    for g in range(n):
        mine = {tuple(p) for p in ring[g, : cnt[g]]}
        assert _same_hull(mine, {tuple(p) for p in c[w == g]}, tol)  # the same corners (GEOS closes its rings)
    assert np.allclose(area, shapely.area(geos), rtol=1e-9, atol=1e-9)
    poly = (shapely.get_type_id(geos) == 3) & (area > tol)  # a polygon with area (see _tolerance)
    assert np.allclose(perim[poly], shapely.length(geos[poly]), rtol=1e-9)
    assert np.all(perim[cnt < 3] == 0) and np.all(area[cnt < 3] == 0) and np.all(area[~poly] <= tol)
    assert np.allclose(box, shapely.bounds(geos))
    # in the form walklists._clip takes: a hull clipped by itself is its area, as for GEOS's rings
    q, qn = rings(geos)
    assert np.allclose(shared(ring, cnt, ring, cnt)[0], shared(q, qn, q, qn)[0], rtol=1e-9, atol=1e-9)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_group_hulls_are_geos_convex_hulls(case):
    _check(*case)


def test_large_groups_are_sorted_before_the_chain():
    # above _SORT_FROM points a group is sorted by x first; equal x (a grid) still sorted by y
    rng = np.random.default_rng(7)
    pts = np.round(rng.random((2000, 2)) * 30)
    _check(pts, np.r_[0, 1, rng.integers(0, 2, 1998)], 2)


def test_without_numba_the_python_loop_gives_the_same(monkeypatch):
    if not hasattr(H._chain, "py_func"):  # numba absent: the loop above already ran in Python
        return
    monkeypatch.setattr(H, "_chain", H._chain.py_func)
    rng = np.random.default_rng(3)
    pts = np.round(rng.random((400, 2)) * 20)
    _check(pts, np.r_[np.arange(3), rng.integers(0, 3, 397)], 3)  # groups over _SORT_FROM too


def test_polsby_popper_of_a_square_and_of_no_area():
    assert np.allclose(H.pp_of(np.array([4.0, 0.0]), np.array([8.0, 0.0])), [np.pi / 4, 0.0])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups())
def test_geos_hulls_are_geos_own_geometries_corner_for_corner(case):
    # the cut's steps compare areas and shapes of these hulls: the same coordinates in the same order
    # keep every cut door for door what it was when GEOS built them
    pts, ind, n = case
    mine, want = H.geos_hulls(pts, ind, n), _geos(pts, ind, n)
    tol = _tolerance(pts)
    exact = [a.geom_type == b.geom_type and shapely.equals_exact(a, b, 0) for a, b in zip(mine, want)]
    # only where GEOS's exact orientation and the kernels' rounding part (see _tolerance)
    assert all(same or (shapely.hausdorff_distance(a, b) <= tol and abs(a.area - b.area) <= tol)
               for same, a, b in zip(exact, mine, want))
    if _tolerance(pts) == 1e-9 and np.all(pts == np.round(pts)):  # whole coordinates: the cross product is exact
        assert all(exact)


def _sorted_groups(pts, ind):
    o = np.lexsort((pts[:, 1], pts[:, 0], ind))
    count = np.bincount(ind)
    return pts[o], ind[o], np.cumsum(count) - count, count


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups(), st.integers(1, 4))
def test_peeling_takes_geos_hulls_corners_layer_by_layer(case, layers):
    pts, ind, n = case
    pts, ind, start, count = _sorted_groups(pts, ind)
    key = np.round(pts * 100).astype(np.int64) @ np.array([1 << 24, 1])
    on = H.peel(pts, key, start, count, layers)
    want = np.zeros(pts.shape[0], dtype=bool)
    for g in range(n):
        left = np.flatnonzero(ind == g)
        for _ in range(layers):
            if left.size == 0:
                break
            hull = shapely.convex_hull(shapely.multipoints(pts[left]))
            corners = np.round(shapely.get_coordinates(hull) * 100).astype(np.int64) @ np.array([1 << 24, 1])
            hit = np.isin(key[left], corners)
            want[left[hit]] = True
            left = left[~hit]
    assert np.array_equal(on, want)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups(), st.data())
def test_hulls_without_a_group_are_the_hulls_of_the_rest(case, data):
    pts, ind, n = case
    pts, ind, start, count = _sorted_groups(pts, ind)
    tag = np.asarray(data.draw(st.lists(st.integers(0, 3), min_size=pts.shape[0], max_size=pts.shape[0])))
    gkey = np.stack([tag * 2, tag * 2 + 1])  # two kinds of group, as trim's buildings and face pieces
    drop = np.asarray(data.draw(st.lists(st.integers(0, 7), min_size=n, max_size=n)))
    ring, cnt, area, perim, box, left = H.hulls_without(pts, gkey, start, count, drop)
    keep = (gkey != drop[ind]).all(0)
    assert np.array_equal(left, np.bincount(ind[keep], minlength=n))
    rest = H.group_hulls(pts[keep], ind[keep], n)
    assert np.array_equal(cnt, rest[1]) and np.allclose(area, rest[2]) and np.allclose(perim, rest[3])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(groups(), st.data())
def test_hulls_with_more_points_are_the_hulls_of_corners_and_points(case, data):
    pts, ind, n = case
    h, hn = H.group_hulls(pts, ind, n)[:2]
    m = data.draw(st.integers(1, 12))
    which = np.asarray(data.draw(st.lists(st.integers(0, n - 1), min_size=m, max_size=m)))
    size = np.asarray(data.draw(st.lists(st.integers(0, 5), min_size=m, max_size=m)))
    doors = np.asarray(data.draw(st.lists(st.integers(0, pts.shape[0] - 1), min_size=int(size.sum()), max_size=int(size.sum()))), dtype=np.int64)
    first = np.cumsum(size) - size
    got = H.hulls_with(h, hn, which, pts, doors, first, size)
    own = [h[w, : hn[w]] for w in which]
    more = np.concatenate(own + [pts[doors]]) if doors.size else np.concatenate(own)
    tag = np.concatenate([np.repeat(np.arange(m), hn[which]), np.repeat(np.arange(m), size)])
    want = H.group_hulls(more, tag, m)
    assert np.array_equal(got[1], want[1]) and np.array_equal(got[0], want[0]) and np.allclose(got[2], want[2])


def test_a_workers_warm_up_loads_every_compiled_hull_loop():
    """app/gunicorn_conf.py warms each worker with walklists._search.warm_up: afterwards no compiled
    loop of the cut's hulls is left to load (or compile: seconds) in a request. A fresh process, as
    a worker is: in this one the other tests have run them already."""
    import subprocess
    import sys

    pytest.importorskip("numba")
    # loops only other compiled loops call get no entry of their own: count what a cut adds after warming
    code = ("import numpy as np, walklists\n"
            "from walklists import _clip, _hull, _search\n"
            "def loaded(): return {n: len(v.signatures) for m in (_clip, _hull) for n, v in vars(m).items() if hasattr(v, 'signatures')}\n"
            "_search.warm_up(); warm = loaded()\n"
            "xy = np.random.default_rng(5).random((900, 2)) * 800.0\n"
            "doors = [walklists.Door(id=str(i), lon=-71.12 + x * 1e-5, lat=42.37 + y * 1e-5, street=f'S{int(y // 80)}',\n"
            "                        house_number=str(i)) for i, (x, y) in enumerate(xy)]\n"
            "walklists.cut_turf(doors, 60)\n"
            "print(sorted(n for n, k in loaded().items() if k != warm[n]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]", out.stdout
