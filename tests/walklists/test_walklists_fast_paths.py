"""The engine's fast paths give what the plain computations they replaced give (walklists._polish
hulls from possible corners only, walklists._street_faces' points along lines and noding)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import shapely
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walklists import StreetLine
from walklists._geo import _M_PER_DEG
from walklists._polish import hulls, maybe_corners
from walklists._street_faces import _along, node_lines

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# whole metres on a small grid: many duplicates, collinear runs and ties for the extremes
coord = st.integers(-20, 20).map(float)
groups = st.lists(st.tuples(st.integers(0, 4), coord, coord), min_size=1, max_size=60)


@SETTINGS
@given(groups)
def test_hulls_from_possible_corners_are_the_hulls_of_every_point(rows):
    which = np.unique([r[0] for r in rows], return_inverse=True)[1]  # callers number groups 0..m-1
    xy = np.array([[r[1], r[2]] for r in rows])
    count = int(which.max()) + 2  # and may ask for a trailing empty one
    every = shapely.convex_hull(shapely.multipoints(xy[np.argsort(which, kind="stable")],
                                                    indices=np.sort(which)))
    every = np.concatenate([every, np.full(count - every.size, None)])
    fast = hulls(xy, which, count)
    for a, b in zip(every, fast):
        assert (a is None and b is None) or shapely.equals_exact(shapely.normalize(a), shapely.normalize(b))
    # a dropped point is never a corner
    corners = {(g, x, y) for g, h in enumerate(every) if h is not None for x, y in shapely.get_coordinates(h)}
    dropped = ~maybe_corners(xy, which)
    assert not any((int(g), x, y) in corners for g, (x, y) in zip(which[dropped], xy[dropped]))


@SETTINGS
@given(st.lists(st.lists(st.tuples(coord, coord), min_size=2, max_size=6), min_size=1, max_size=5),
       st.lists(st.tuples(st.integers(0, 4), st.floats(-10, 200)), min_size=1, max_size=20))
def test_points_along_lines_are_where_geos_puts_them(lines, asks):
    counts = np.array([len(c) for c in lines])
    xy = np.array([p for c in lines for p in c], dtype=float)
    line = np.array([a[0] % len(lines) for a in asks])
    dist = np.array([a[1] for a in asks])
    geoms = shapely.linestrings(xy, indices=np.repeat(np.arange(len(lines)), counts))
    want = shapely.get_coordinates(shapely.line_interpolate_point(geoms[line], np.maximum(dist, 0.0)))
    assert np.allclose(_along(xy, counts, line, dist), want, atol=1e-9)


def _node_lines_reference(lines):
    """The first version: a Counter of rounded vertices, then a walk of each line."""
    def key(c):
        return (round(c[0], 7), round(c[1], 7))

    shared = Counter(k for s in lines for k in {key(c) for c in s.coords})
    out = []
    for s in lines:
        cuts = [i for i in range(1, len(s.coords) - 1) if shared[key(s.coords[i])] > 1]
        if not cuts:
            out.append(s)
            continue
        start = 0
        for part, end in enumerate(cuts + [len(s.coords) - 1]):
            out.append(StreetLine((s.id, part), s.name, s.coords[start:end + 1], s.kind))
            start = end
    return out


@SETTINGS
@given(st.lists(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=2, max_size=7, unique=True),
                min_size=0, max_size=8))
def test_noding_splits_lines_where_the_first_version_did(paths):
    lines = [StreetLine(f"l{i}", f"Street {i % 3}", tuple((-71.1 + x * 1e-4, 42.37 + y * 1e-4) for x, y in p))
             for i, p in enumerate(paths)]
    assert node_lines(lines) == _node_lines_reference(lines)


def _pieces_reference(g):
    """The first version's per-block loop: each block's pieces, their offsets and positions."""
    out = {"seg_a": [], "seg_b": [], "seg_len": [], "seg_block": [], "seg_off": [], "seg_pos": []}
    for bi, chain in enumerate(g.blocks):
        p = g.node_ll[chain]
        d = p[1:] - p[:-1]
        step = _M_PER_DEG * np.hypot(d[:, 0] * np.cos(np.radians((p[1:, 1] + p[:-1, 1]) / 2)), d[:, 1])
        cum = np.concatenate(([0.0], np.cumsum(step)))
        for key, value in (("seg_a", p[:-1]), ("seg_b", p[1:]), ("seg_len", step), ("seg_block", np.full(len(step), bi)),
                           ("seg_off", cum[:-1]), ("seg_pos", np.arange(len(step)))):
            out[key].append(value)
    return {k: np.concatenate(v) if v else None for k, v in out.items()}


@SETTINGS
@given(st.lists(st.lists(st.tuples(st.integers(0, 6), st.integers(0, 6)), min_size=2, max_size=7, unique=True),
                min_size=1, max_size=8))
def test_the_graphs_pieces_are_measured_block_by_block_as_before(paths):
    from walklists.network import build_graph

    g = build_graph([StreetLine(f"l{i}", f"Street {i % 3}", tuple((-4.5 + x * 1e-4, 54.2 + y * 1e-4) for x, y in p))
                     for i, p in enumerate(paths)])
    want = _pieces_reference(g)
    for key, value in want.items():
        got = getattr(g, key)
        assert (value is None and got.size == 0) or (got.shape == value.shape and np.array_equal(got, value)), key
    assert all(np.array_equal(c, np.concatenate(([0.0], np.cumsum(want["seg_len"][want["seg_block"] == b]))))
               for b, c in enumerate(g.block_cum))
