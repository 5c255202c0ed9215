"""Area two convex polygons share, for many pairs at once, in numpy (walklists._trim's hull overlaps).

Sutherland-Hodgman: each pair's first polygon is clipped by the half-planes of the second's edges,
one edge of every pair per step, on padded (pairs, corners, 2) arrays. Convex hulls are what the cut
compares, and for two convex polygons the clipped polygon is their intersection, so its shoelace area
is the area GEOS's intersection has (tests/walklists/test_clip.py: within 1e-6 relative), without
building a geometry per pair.
"""

from __future__ import annotations

import numpy as np

try:  # the pair loop compiled; without numba, the numpy passes
    from numba import njit as _njit
except ImportError:  # pragma: no cover
    _njit = None


def _compiled(f):
    return _njit(cache=True, nogil=True)(f) if _njit is not None else f


def rings(geoms) -> tuple[np.ndarray, np.ndarray]:
    """Shapely convex hulls as (n, corners, 2) anticlockwise corners, each row padded with its last
    corner, and the number of corners per row (0 for a hull with no area: a point, a line, None)."""
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    n = geoms.size
    poly = shapely.get_type_id(geoms) == 3
    c, w = shapely.get_coordinates(geoms[poly], return_index=True)
    cnt = np.zeros(n, dtype=np.int64)
    if c.shape[0] == 0:
        return np.zeros((n, 1, 2)), cnt
    rows = np.flatnonzero(poly)
    per = np.bincount(w, minlength=rows.size) - 1  # rings repeat their first corner last
    cnt[rows] = per
    start = np.cumsum(per + 1) - (per + 1)
    width = max(1, int(per.max()))
    j = np.arange(width)
    pick = start[:, None] + np.minimum(j[None, :], per[:, None] - 1)
    pts = c[pick]
    x, y = pts[..., 0], pts[..., 1]
    signed = (x * np.roll(y, -1, 1) - np.roll(x, -1, 1) * y).sum(1)  # padding adds nothing
    cw = signed < 0
    if cw.any():  # reverse the real corners, keep the padding after them
        last = per[cw, None] - 1
        back = np.where(j[None, :] <= last, last - j[None, :], last)
        pts[cw] = np.take_along_axis(pts[cw], back[..., None], 1)
    out = np.zeros((n, width, 2))
    out[rows] = pts
    # a hull of zero area (GEOS gives a polygon only for three points not on one line) counts none
    cnt[rows[np.abs(signed) <= 0]] = 0
    return out, cnt


def shared(p: np.ndarray, pn: np.ndarray, q: np.ndarray, qn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Area of each pair's intersection, and its bounds (minx, miny, maxx, maxy; nan when empty).
    p, q: padded anticlockwise corners as from rings; pn, qn: their counts. Compiled when numba is
    installed (one pair at a time, ~1 us each), else numpy passes over all pairs at once."""
    if _njit is None:
        return shared_np(p, pn, q, qn)
    area, box = np.empty(pn.size), np.empty((pn.size, 4))
    _shared_loop(np.ascontiguousarray(p, dtype=np.float64), pn.astype(np.int64), np.ascontiguousarray(q, dtype=np.float64),
                 qn.astype(np.int64), area, box)
    return area, box


def shared_at(p: np.ndarray, pn: np.ndarray, pi: np.ndarray, q: np.ndarray, qn: np.ndarray, qi: np.ndarray) -> np.ndarray:
    """Area shared by p[pi[r]] and q[qi[r]] for each r, as shared's, without copying the rows out
    (walklists._trim clips tens of thousands of pairs of a few hundred hulls a round)."""
    if _njit is None:
        return shared_np(p[pi], pn[pi], q[qi], qn[qi])[0]
    area = np.empty(pi.size)
    _shared_at_loop(np.ascontiguousarray(p, dtype=np.float64), pn.astype(np.int64), pi.astype(np.int64),
                    np.ascontiguousarray(q, dtype=np.float64), qn.astype(np.int64), qi.astype(np.int64), area)
    return area


def shared_sums(g: np.ndarray, gn: np.ndarray, gbox: np.ndarray, h: np.ndarray, hn: np.ndarray, hbox: np.ndarray,
                skip: np.ndarray) -> np.ndarray:
    """Per row i of g: the area it shares with every hull of h whose bounds meet gbox[i], but for the
    hulls skip[:, i] (walklists._trim: a new hull against every other turf's). The same sums, added in
    the same order, as shared_at over the pairs walklists._hull.boxes_meet finds."""
    if _njit is None:
        from ._hull import boxes_meet

        qi, qc = boxes_meet(gbox, hbox)
        m = (qc != skip[0][qi]) & (qc != skip[1][qi]) & (hn[qc] >= 3)
        return np.bincount(qi[m], shared_at(g, gn, qi[m], h, hn, qc[m]), gn.size)
    out = np.zeros(gn.size)
    _sums_loop(np.ascontiguousarray(g, dtype=np.float64), gn.astype(np.int64), np.ascontiguousarray(gbox, dtype=np.float64),
               np.ascontiguousarray(h, dtype=np.float64), hn.astype(np.int64), np.ascontiguousarray(hbox, dtype=np.float64),
               np.ascontiguousarray(skip, dtype=np.int64), out)
    return out


def shared_np(p: np.ndarray, pn: np.ndarray, q: np.ndarray, qn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Area of each pair's intersection, and its bounds (minx, miny, maxx, maxy; nan when empty).
    p, q: padded anticlockwise corners as from rings; pn, qn: their counts."""
    n = pn.size
    if n == 0:
        return np.zeros(0), np.zeros((0, 4))
    # clip by the polygon with fewer corners: fewer steps
    swap = qn > pn
    p, q = np.where(swap[:, None, None], _widen(q, p.shape[1]), _widen(p, q.shape[1])), np.where(
        swap[:, None, None], _widen(p, q.shape[1]), _widen(q, p.shape[1]))
    pn, qn = np.where(swap, qn, pn), np.where(swap, pn, qn)
    live = (pn >= 3) & (qn >= 3)
    # coordinates from one corner of each pair: small numbers keep the products exact enough
    ref = q[:, :1, :].copy()
    p, q = p - ref, q - ref
    width = p.shape[1] + q.shape[1] + 2
    cur = np.zeros((n, width, 2))
    cur[:, : p.shape[1]] = p
    cnt = np.where(live, pn, 0)
    for j in range(int(qn[live].max()) if live.any() else 0):
        act = np.flatnonzero((qn > j) & (cnt > 0))
        if act.size == 0:
            break
        a = q[act, j]
        b = q[act, np.where(j + 1 < qn[act], j + 1, 0)]
        c = int(cnt[act].max())
        pts = cur[act, :c]
        ca = cnt[act]
        i = np.arange(c)
        valid = i[None, :] < ca[:, None]
        nxt = np.where(i[None, :] + 1 < ca[:, None], i[None, :] + 1, 0)
        e = b - a
        d = e[:, None, 0] * (pts[..., 1] - a[:, None, 1]) - e[:, None, 1] * (pts[..., 0] - a[:, None, 0])
        dn = np.take_along_axis(d, nxt, 1)
        pn_ = np.take_along_axis(pts, nxt[..., None], 1)
        ins, insn = d >= 0, dn >= 0
        cross = valid & (ins != insn)
        keepn = valid & insn
        t = np.where(cross, d / np.where(cross, d - dn, 1.0), 0.0)
        xpt = pts + t[..., None] * (pn_ - pts)
        emit = cross.astype(np.int64) + keepn
        pos = np.cumsum(emit, 1) - emit
        new = np.zeros((act.size, width, 2))
        r = np.broadcast_to(np.arange(act.size)[:, None], pos.shape)
        new[r[cross], np.minimum(pos[cross], width - 1)] = xpt[cross]
        at = np.minimum(pos + cross, width - 1)
        new[r[keepn], at[keepn]] = pn_[keepn]
        cur[act] = new
        cnt[act] = emit.sum(1)
    c = max(1, int(cnt.max()))
    pts = cur[:, :c]
    i = np.arange(c)
    valid = i[None, :] < cnt[:, None]
    nxt = np.where(i[None, :] + 1 < cnt[:, None], i[None, :] + 1, 0)
    pn_ = np.take_along_axis(pts, nxt[..., None], 1)
    area = np.where(valid, pts[..., 0] * pn_[..., 1] - pn_[..., 0] * pts[..., 1], 0.0).sum(1) / 2
    area = np.where(cnt >= 3, np.maximum(area, 0.0), 0.0)
    big = np.where(valid[..., None], pts, np.inf).min(1)
    top = np.where(valid[..., None], pts, -np.inf).max(1)
    box = np.concatenate([big, top], 1) + np.concatenate([ref[:, 0], ref[:, 0]], 1)
    box[cnt == 0] = np.nan
    return area, box


def overlaps(hull, which: np.ndarray | None = None):
    """(a, b, shared area, its bounds) of the pairs of hulls that share area, a < b, sorted; only
    the pairs holding one of the hulls ``which`` when given."""
    import shapely

    k = hull.size
    which = np.arange(k) if which is None else which
    qi, b = shapely.STRtree(hull).query(hull[which], predicate="intersects")
    a = which[qi]
    m = a != b
    key = np.unique(np.minimum(a[m], b[m]) * k + np.maximum(a[m], b[m]))
    a, b = key // k, key % k
    p, pn = rings(hull)
    ar, box = shared(p[a], pn[a], p[b], pn[b])
    m = ar > 0
    return a[m], b[m], ar[m], box[m].reshape(-1, 4)


def _widen(x: np.ndarray, w: int) -> np.ndarray:
    """Pad rows of corners to width max(w, own) by repeating the last column."""
    if x.shape[1] >= w:
        return x
    return np.concatenate([x, np.repeat(x[:, -1:], w - x.shape[1], 1)], 1)


@_compiled
def _shared_one(p, pn, q, qn, buf_a, buf_b):
    """One pair's clipped polygon (Sutherland-Hodgman) into buf_a; returns its corner count."""
    # start from p, translated to q's first corner as the numpy passes do
    rx, ry = q[0, 0], q[0, 1]
    for i in range(pn):
        buf_a[i, 0] = p[i, 0] - rx
        buf_a[i, 1] = p[i, 1] - ry
    cnt = pn
    cur, nxt_buf = buf_a, buf_b
    for j in range(qn):
        if cnt == 0:
            break
        j2 = j + 1 if j + 1 < qn else 0
        ax, ay = q[j, 0] - rx, q[j, 1] - ry
        ex, ey = q[j2, 0] - rx - ax, q[j2, 1] - ry - ay
        out = 0
        for i in range(cnt):
            i2 = i + 1 if i + 1 < cnt else 0
            px, py = cur[i, 0], cur[i, 1]
            nx, ny = cur[i2, 0], cur[i2, 1]
            d = ex * (py - ay) - ey * (px - ax)
            dn = ex * (ny - ay) - ey * (nx - ax)
            if (d >= 0) != (dn >= 0):
                t = d / (d - dn)
                nxt_buf[out, 0] = px + t * (nx - px)
                nxt_buf[out, 1] = py + t * (ny - py)
                out += 1
            if dn >= 0:
                nxt_buf[out, 0] = nx
                nxt_buf[out, 1] = ny
                out += 1
        cur, nxt_buf = nxt_buf, cur
        cnt = out
    if cur is not buf_a:
        for i in range(cnt):
            buf_a[i, 0] = cur[i, 0]
            buf_a[i, 1] = cur[i, 1]
    return cnt


@_compiled
def _shared_loop(p, pn, q, qn, area, box):
    n = pn.size
    width = p.shape[1] + q.shape[1] + 2
    buf_a = np.empty((width, 2))
    buf_b = np.empty((width, 2))
    for r in range(n):
        a, b, an, bn = p[r], q[r], pn[r], qn[r]
        if bn > an:
            a, b, an, bn = q[r], p[r], qn[r], pn[r]
        cnt = 0
        if an >= 3 and bn >= 3:
            cnt = _shared_one(a, an, b, bn, buf_a, buf_b)
        s = 0.0
        lox, loy, hix, hiy = np.inf, np.inf, -np.inf, -np.inf
        for i in range(cnt):
            i2 = i + 1 if i + 1 < cnt else 0
            s += buf_a[i, 0] * buf_a[i2, 1] - buf_a[i2, 0] * buf_a[i, 1]
            lox, loy = min(lox, buf_a[i, 0]), min(loy, buf_a[i, 1])
            hix, hiy = max(hix, buf_a[i, 0]), max(hiy, buf_a[i, 1])
        area[r] = max(s / 2, 0.0) if cnt >= 3 else 0.0
        if cnt == 0:
            box[r, 0] = box[r, 1] = box[r, 2] = box[r, 3] = np.nan
        else:
            box[r, 0], box[r, 1], box[r, 2], box[r, 3] = lox + b[0, 0], loy + b[0, 1], hix + b[0, 0], hiy + b[0, 1]


@_compiled
def _pair_area(a, an, b, bn, buf_a, buf_b):
    """The area two hulls share (corners a[:an], b[:bn]), clipped by the one with fewer corners, as
    _shared_loop clips."""
    if bn > an:
        a, b, an, bn = b, a, bn, an
    cnt = 0
    if an >= 3 and bn >= 3:
        cnt = _shared_one(a, an, b, bn, buf_a, buf_b)
    s = 0.0
    for i in range(cnt):
        i2 = i + 1 if i + 1 < cnt else 0
        s += buf_a[i, 0] * buf_a[i2, 1] - buf_a[i2, 0] * buf_a[i, 1]
    return max(s / 2, 0.0) if cnt >= 3 else 0.0


@_compiled
def _shared_at_loop(p, pn, pi, q, qn, qi, area):
    width = p.shape[1] + q.shape[1] + 2
    buf_a = np.empty((width, 2))
    buf_b = np.empty((width, 2))
    for r in range(pi.size):
        area[r] = _pair_area(p[pi[r]], pn[pi[r]], q[qi[r]], qn[qi[r]], buf_a, buf_b)


@_compiled
def _sums_loop(g, gn, gbox, h, hn, hbox, skip, out):
    width = g.shape[1] + h.shape[1] + 2
    buf_a = np.empty((width, 2))
    buf_b = np.empty((width, 2))
    for r in range(gn.size):
        for j in range(hn.size):
            if j == skip[0, r] or j == skip[1, r] or hn[j] < 3:
                continue
            if not (gbox[r, 0] <= hbox[j, 2] and hbox[j, 0] <= gbox[r, 2] and gbox[r, 1] <= hbox[j, 3] and hbox[j, 1] <= gbox[r, 3]):
                continue
            out[r] += _pair_area(g[r], gn[r], h[j], hn[j], buf_a, buf_b)


def warm_up() -> None:
    """Clip one pair, so the compiled loop is loaded (or, on a first run, compiled) before a cut needs it."""
    sq = np.array([[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]])
    shared(sq, np.array([4]), sq + 0.5, np.array([4]))
