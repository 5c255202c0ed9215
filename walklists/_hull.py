"""Convex hulls of many small groups of points at once, as padded rings (walklists._trim's candidates).

Trim scores thousands of candidate moves a round, each by two new hulls (the source turf without the
group, the destination with it). Building them as GEOS geometries meant a GEOS point per door
(600,000 a city cut with many rounds, most of trim's time); here Andrew's monotone chain runs per group
in a numba kernel (a numpy-free Python loop without numba) and returns the corners in the form
walklists._clip.shared takes, with each hull's area, perimeter and bounds. Orientation is a plain
cross product: where three points are collinear but for rounding, GEOS's exact predicate may keep a
corner these drop (or the reverse), within about 1e-9 of the coordinates (tests: test_walklists_hull).
"""

from __future__ import annotations

import numpy as np

from ._clip import _compiled, shared_at, shared_sums

# Groups larger than this are sorted by x first (then by insertion, for equal x).
_SORT_FROM = 64


@_compiled
def _walk(pts, idx, n, out):
    """Andrew's monotone chain over points idx[:n] of pts, in (x, y) order: the hull's corners
    anticlockwise into out (point numbers), and their count (a line's two ends; a place's one)."""
    m = 0
    for half in range(2 if n else 0):
        floor = m
        for t in range(n):
            p = idx[t] if half == 0 else idx[n - 1 - t]
            x, y = pts[p, 0], pts[p, 1]
            while m >= floor + 2:
                o, q = out[m - 2], out[m - 1]
                if (pts[q, 0] - pts[o, 0]) * (y - pts[o, 1]) - (pts[q, 1] - pts[o, 1]) * (x - pts[o, 0]) > 0:
                    break
                m -= 1
            out[m] = p
            m += 1
        m -= 1  # each chain's last point starts the other
    if m <= 0 and n > 0:  # one point (or one place): it is the hull's only corner
        out[0] = idx[0]
        m = 1
    return max(m, 0)


@_compiled
def _emit(pts, corner, m, g, buf, ring, cnt, area, perim, box):
    """Row g of group_hulls' answer from the m corners (point numbers) _walk found."""
    width = ring.shape[1]
    for i in range(m):
        buf[i, 0], buf[i, 1] = pts[corner[i], 0], pts[corner[i], 1]
    a, per = 0.0, 0.0
    lox, loy, hix, hiy = np.inf, np.inf, -np.inf, -np.inf
    for i in range(m):
        i2 = i + 1 if i + 1 < m else 0
        # from the first corner: coordinates tens of kilometres out would swamp a small hull's area
        a += (buf[i, 0] - buf[0, 0]) * (buf[i2, 1] - buf[0, 1]) - (buf[i2, 0] - buf[0, 0]) * (buf[i, 1] - buf[0, 1])
        per += np.hypot(buf[i2, 0] - buf[i, 0], buf[i2, 1] - buf[i, 1])
        lox, loy = min(lox, buf[i, 0]), min(loy, buf[i, 1])
        hix, hiy = max(hix, buf[i, 0]), max(hiy, buf[i, 1])
    ok = m >= 3 and a > 0
    cnt[g] = m  # a segment's two ends count, but clip to no area (walklists._clip needs three)
    area[g] = a / 2 if ok else 0.0
    perim[g] = per if ok else 0.0
    box[g, 0], box[g, 1], box[g, 2], box[g, 3] = lox, loy, hix, hiy
    for i in range(width):
        src = min(i, max(m - 1, 0))
        ring[g, i, 0], ring[g, i, 1] = buf[src, 0], buf[src, 1]


@_compiled
def _chain(pts, start, count, width, ring, cnt, area, perim, box):
    corner = np.empty(2 * width + 2, dtype=np.int64)
    buf = np.empty((2 * width + 2, 2))
    for g in range(start.size):
        s, n = start[g], count[g]
        # lexicographic order (x, then y): insertion sort, fast on small groups and presorted ones
        idx = np.arange(s, s + n) if n <= _SORT_FROM else s + np.argsort(pts[s : s + n, 0])
        for i in range(1, n):
            j, v = i, idx[i]
            while j > 0 and (pts[idx[j - 1], 0] > pts[v, 0] or (pts[idx[j - 1], 0] == pts[v, 0] and pts[idx[j - 1], 1] > pts[v, 1])):
                idx[j] = idx[j - 1]
                j -= 1
            idx[j] = v
        _emit(pts, corner, _walk(pts, idx, n, corner), g, buf, ring, cnt, area, perim, box)


def peel(pts: np.ndarray, key: np.ndarray, start: np.ndarray, count: np.ndarray, layers: int) -> np.ndarray:
    """Per point: is it on one of the outer ``layers`` hulls of its group (peeled one after the other:
    a layer's corners, and every point with the same key as one, leave before the next hull)?
    pts: grouped (groups start..start+count) and in (x, y) order within each group; key: an integer
    per point (walklists._trim's position to the centimetre)."""
    on = np.zeros(pts.shape[0], dtype=np.bool_)
    _peel(np.ascontiguousarray(pts, dtype=np.float64), key.astype(np.int64), start.astype(np.int64),
          count.astype(np.int64), int(layers), on)
    return on


@_compiled
def _peel(pts, key, start, count, layers, on):
    width = int(count.max()) if count.size else 0
    corner = np.empty(2 * width + 2, dtype=np.int64)
    for g in range(start.size):
        idx = np.arange(start[g], start[g] + count[g])
        n = idx.size
        for _ in range(layers):
            if n == 0:
                break
            m = _walk(pts, idx, n, corner)
            keep = 0
            for t in range(n):
                p = idx[t]
                hit = False
                for c in range(m):
                    if key[corner[c]] == key[p]:
                        hit = True
                        break
                if hit:
                    on[p] = True
                else:
                    idx[keep] = p
                    keep += 1
            n = keep


def hulls_without(pts: np.ndarray, gkey: np.ndarray, start: np.ndarray, count: np.ndarray, drop: np.ndarray):
    """group_hulls' answer for hull u of points start[u]..start[u]+count[u] of pts (in (x, y) order)
    leaving out those with drop[u] in a row of gkey ((rows, points): walklists._trim's outer doors of a
    turf without a building or a face piece), and how many points each keeps."""
    n = start.size
    width = max(1, int(count.max(initial=0)) + 1)
    ring, cnt = np.zeros((n, width, 2)), np.zeros(n, dtype=np.int64)
    area, perim, box, left = np.zeros(n), np.zeros(n), np.zeros((n, 4)), np.zeros(n, dtype=np.int64)
    _without(np.ascontiguousarray(pts, dtype=np.float64), np.ascontiguousarray(gkey, dtype=np.int64), start.astype(np.int64),
             count.astype(np.int64), drop.astype(np.int64), ring, cnt, area, perim, box, left)
    width = max(1, int(cnt.max(initial=1)))
    return ring[:, :width].copy(), cnt, area, perim, box, left


@_compiled
def _without(pts, gkey, start, count, drop, ring, cnt, area, perim, box, left):
    width = ring.shape[1]
    corner = np.empty(2 * width + 2, dtype=np.int64)
    buf = np.empty((2 * width + 2, 2))
    idx = np.empty(width, dtype=np.int64)
    for u in range(start.size):
        n = 0
        for p in range(start[u], start[u] + count[u]):
            out = False
            for r in range(gkey.shape[0]):
                out |= gkey[r, p] == drop[u]
            if not out:
                idx[n] = p
                n += 1
        left[u] = n
        _emit(pts, corner, _walk(pts, idx, n, corner), u, buf, ring, cnt, area, perim, box)


def hulls_with(h: np.ndarray, hn: np.ndarray, which: np.ndarray, xy: np.ndarray, doors: np.ndarray, first: np.ndarray,
               size: np.ndarray):
    """group_hulls' answer for hull h[which[c]] (corners as walklists._clip.rings gives them) with
    the points xy[doors[first[c]:first[c] + size[c]]] added, for each c (walklists._trim: the
    destination turf's hull with the group it would take)."""
    n = which.size
    width = max(1, int((hn[which] + size).max(initial=0)) + 1)
    ring, cnt = np.zeros((n, width, 2)), np.zeros(n, dtype=np.int64)
    area, perim, box = np.zeros(n), np.zeros(n), np.zeros((n, 4))
    _with(np.ascontiguousarray(h, dtype=np.float64), hn.astype(np.int64), which.astype(np.int64),
          np.ascontiguousarray(xy, dtype=np.float64), doors.astype(np.int64), first.astype(np.int64),
          size.astype(np.int64), ring, cnt, area, perim, box)
    width = max(1, int(cnt.max(initial=1)))
    return ring[:, :width].copy(), cnt, area, perim, box


@_compiled
def _with(h, hn, which, xy, doors, first, size, ring, cnt, area, perim, box):
    width = ring.shape[1]
    loc = np.empty((width, 2))
    corner = np.empty(2 * width + 2, dtype=np.int64)
    buf = np.empty((2 * width + 2, 2))
    idx = np.empty(width, dtype=np.int64)
    for c in range(which.size):
        w = which[c]
        n = 0
        for i in range(hn[w]):
            loc[n, 0], loc[n, 1] = h[w, i, 0], h[w, i, 1]
            n += 1
        for i in range(first[c], first[c] + size[c]):
            loc[n, 0], loc[n, 1] = xy[doors[i], 0], xy[doors[i], 1]
            n += 1
        for i in range(n):  # (x, y) order by insertion: a hull's corners and a building or two
            j = i
            while j > 0 and (loc[idx[j - 1], 0] > loc[i, 0] or (loc[idx[j - 1], 0] == loc[i, 0] and loc[idx[j - 1], 1] > loc[i, 1])):
                idx[j] = idx[j - 1]
                j -= 1
            idx[j] = i
        _emit(loc, corner, _walk(loc, idx, n, corner), c, buf, ring, cnt, area, perim, box)


def group_hulls(pts: np.ndarray, ind: np.ndarray, n: int):
    """Hull of each group (ind: group 0..n-1 per point) as (ring, count, area, perimeter, bounds):
    ring: (n, width, 2) anticlockwise corners padded with the last, count: the corners (a hull on one
    line has its two ends, which walklists._clip.shared clips to no area; its area is 0)."""
    count = np.bincount(ind, minlength=n).astype(np.int64)
    o = np.argsort(ind, kind="stable")
    p = np.ascontiguousarray(pts[o], dtype=np.float64)
    start = (np.cumsum(count) - count).astype(np.int64)
    width = max(1, int(count.max(initial=1)) + 1)
    ring, cnt = np.zeros((n, width, 2)), np.zeros(n, dtype=np.int64)
    area, perim, box = np.zeros(n), np.zeros(n), np.zeros((n, 4))
    _chain(p, start, count, width, ring, cnt, area, perim, box)
    width = max(1, int(cnt.max(initial=1)))
    return ring[:, :width].copy(), cnt, area, perim, box


def hulls_some(xy: np.ndarray, turf: np.ndarray, which: np.ndarray):
    """Hulls of the turfs ``which`` (sorted) from their doors, as geometries (see geos_hulls)."""
    m = np.flatnonzero(np.isin(turf, which))
    return geos_hulls(xy[m], np.searchsorted(which, turf[m]), which.size)


def geos_hulls(xy: np.ndarray, which: np.ndarray, count: int):
    """Convex hull of each group (which: 0..count-1 per point; None for an empty group) as the very
    geometry GEOS's convex_hull gives (same corners in the same order: clockwise from the lowest), built
    from group_hulls' corners without a GEOS point per door; GEOS's own where a hull has no area."""
    import shapely

    ring, cnt, area = group_hulls(xy, which, count)[:3]
    out = np.full(count, None, dtype=object)
    ok = area > 0
    if ok.any():
        geos = np.empty_like(ring)
        _geos_order(ring, cnt, geos)
        cm = (np.arange(ring.shape[1])[None, :] < cnt[:, None]) & ok[:, None]
        out[ok] = shapely.polygons(shapely.linearrings(geos[cm], indices=(np.cumsum(ok) - 1)[np.nonzero(cm)[0]]))
    flat = ~ok & (cnt > 0)
    if flat.any():
        pick = flat[which]
        sub = np.searchsorted(np.flatnonzero(flat), which[pick])
        o = np.argsort(sub, kind="stable")
        out[flat] = shapely.convex_hull(shapely.multipoints(xy[pick][o], indices=sub[o]))
    return out


@_compiled
def _geos_order(ring, cnt, out):
    """Each ring's corners clockwise from the lowest (then leftmost), as GEOS orders a hull's."""
    for g in range(cnt.size):
        c = cnt[g]
        s = 0
        for i in range(1, c):
            if ring[g, i, 1] < ring[g, s, 1] or (ring[g, i, 1] == ring[g, s, 1] and ring[g, i, 0] < ring[g, s, 0]):
                s = i
        for j in range(c):
            out[g, j, 0] = ring[g, (s - j) % c, 0]
            out[g, j, 1] = ring[g, (s - j) % c, 1]


def pp_of(area: np.ndarray, perim: np.ndarray) -> np.ndarray:
    """Polsby-Popper of hulls from their area and perimeter (0 for a hull without area)."""
    return np.where(perim > 0, 4 * np.pi * area / np.maximum(perim, 1e-9) ** 2, 0.0)


def boxes_meet(qbox: np.ndarray, hbox: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(i, j) of every query box i and box j that meet (closed), i ascending, then j (a box with
    nan never meets)."""
    q, h = np.ascontiguousarray(qbox, dtype=np.float64), np.ascontiguousarray(hbox, dtype=np.float64)
    n = _meet(q, h, np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
    qi, hj = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    _meet(q, h, qi, hj)
    return qi, hj


@_compiled
def _meet(q, h, qi, hj):
    """Count the meeting pairs, and write them when qi has room."""
    n = 0
    for i in range(q.shape[0]):
        for j in range(h.shape[0]):
            if q[i, 0] <= h[j, 2] and h[j, 0] <= q[i, 2] and q[i, 1] <= h[j, 3] and h[j, 1] <= q[i, 3]:
                if n < qi.size:
                    qi[n], hj[n] = i, j
                n += 1
    return n


def warm_up() -> None:
    """Load (or first compile) each compiled loop before a cut needs it (walklists._search.warm_up)."""
    xy = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [2.0, 0.5], [3.0, 0.0], [3.0, 1.0], [2.5, 2.0]])
    which, start, count = np.repeat([0, 1], 4), np.array([0, 4]), np.array([4, 4])
    ring, cnt, _, _, box = group_hulls(xy, which, 2)
    geos_hulls(xy, which, 2)
    peel(xy, np.arange(8), start, count, 1)
    hulls_without(xy, np.arange(8)[None, :], start, count, np.array([0, 4]))
    hulls_with(ring, cnt, np.array([0]), xy, np.array([4]), np.array([0]), np.array([1]))
    boxes_meet(box, box)
    pair = np.array([0, 1])
    shared_at(ring, cnt, pair, ring, cnt, pair[::-1])
    shared_sums(ring, cnt, box, ring, cnt, box, np.array([pair, pair]))
