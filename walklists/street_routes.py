"""A route ordered on walking along streets, and the line it walks (for the map).

order_route(..., network=...) lands here: the doors and the start are snapped to the streets near
them (walklists.network), the walking matrix goes to the same solver as straight-line routes, and the
route's length is metres along the streets (legs to and from the doors included).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ._geo import equirectangular_fits, project, project_doors, reference_point
from .doors import Door, Pace, Route
from ._street_walks import Walks, walk_matrix
from .network import _NAME_REACH_M, Graph, Snaps, StreetNetwork, snap

__all__ = ["street_walks", "order_on_streets", "walked_line"]

# Kicks for the solver: street matrices have deeper local optima than straight lines; on 20 Cambridge
# lists the default 32 left a worst gap of 3.8% to OR-Tools on the same matrix, 40, 48 and 64 0.7%
# (48: a margin over the least that did, at a quarter less time than 64).
_BUDGET = 48


def street_walks(
    doors: Sequence[Door], network: StreetNetwork, crossing_m: float, start: tuple[float, float] | None = None
) -> tuple[Graph, Snaps, Walks] | None:
    """Snap doors (then the start, if any, last) to the network near them; walking between all.
    None when no piece of street is near them."""
    xy, sxy = project_doors(doors, [start] if start is not None else ())
    lon = np.fromiter((d.lon for d in doors), float, len(doors))
    lat = np.fromiter((d.lat for d in doors), float, len(doors))
    ref = reference_point(lon, lat)  # the projection project_doors chose
    flat = equirectangular_fits(lon, lat, ref)
    if start is not None:
        lon, lat = np.append(lon, start[0]), np.append(lat, start[1])
        xy = np.vstack([xy, sxy])
    idx = network.pieces_near(lon, lat)
    if idx.size == 0:
        return None
    g = network.graph
    names = [d.street for d in doors] + ([""] if start is not None else [])
    a = project(g.seg_a[idx, 0], g.seg_a[idx, 1], ref, flat)
    b = project(g.seg_b[idx, 0], g.seg_b[idx, 1], ref, flat)
    q, k = network.pieces_within(lon, lat, 1.25 * _NAME_REACH_M)  # a margin for the projection's scale
    pos = np.searchsorted(idx, k)
    ok = (pos < len(idx)) & (idx[np.minimum(pos, len(idx) - 1)] == k)
    s = snap(g, idx, a, b, xy, names, (q[ok], pos[ok]))
    w = walk_matrix(g, s, xy, crossing_m, idx)
    # doors of one building (or one point) are walked between directly, not out to the street and back
    key = [d.building if d.building is not None else (d.lon, d.lat) for d in doors] + [object()] * len(sxy)
    pairs = _pairs_together(key)
    if pairs:
        i, j = np.array(pairs).T
        w.metres[i, j] = w.cost[i, j] = np.hypot(*(xy[i] - xy[j]).T)
        w.mid_block[i, j] = False
    return g, s, w


def _pairs_together(key: list) -> list[tuple[int, int]]:
    groups: dict = {}
    for i, k in enumerate(key):
        groups.setdefault(k, []).append(i)
    return [(i, j) for g in groups.values() if len(g) > 1 for i in g for j in g if i != j]


def order_on_streets(
    ds: Sequence[Door], network: StreetNetwork, *, start, pace: Pace, crossing_m: float, solve
) -> Route | None:
    """The route along the network's streets; None when no street comes near the doors."""
    walks = street_walks(ds, network, crossing_m, start)
    if walks is None:
        return None
    g, s, w = walks
    n = len(ds)
    m = np.zeros((n + 1, n + 1))
    m[:n, :n] = w.cost[:n, :n]
    if start is not None:
        m[n, :n] = w.cost[n, :n]
    order = solve(m, seed=n, budget=_BUDGET)
    stops = ([n] if start is not None else []) + [int(i) for i in order]
    legs = tuple(float(w.metres[a, b]) for a, b in zip(stops[:-1], stops[1:]))
    crossings = sum(1 for a, b in zip(stops[:-1], stops[1:])
                    if s.block[a] == s.block[b] and s.side[a] * s.side[b] < 0)
    points = [(d.lon, d.lat) for d in ds] + ([tuple(start)] if start is not None else [])
    path, at = _walked(g, s, w, points, stops)
    return Route(doors=[ds[i] for i in order], length_m=float(sum(legs)), pace=pace,
                 start=(float(start[0]), float(start[1])) if start is not None else None,
                 crossings=crossings, path=path, legs_m=legs, path_stops=at)


def walked_line(g: Graph, s: Snaps, w: Walks, points: Sequence[tuple[float, float]],
                stops: Sequence[int]) -> tuple[tuple[float, float], ...]:
    """The line through points[stops[0]], points[stops[1]], ... along the streets between them."""
    return _walked(g, s, w, points, stops)[0]


def _walked(g: Graph, s: Snaps, w: Walks, points: Sequence[tuple[float, float]],
            stops: Sequence[int]) -> tuple[tuple[tuple[float, float], ...], tuple[int, ...]]:
    """walked_line, and where in it each stop is."""
    path: list[tuple[float, float]] = []
    at = [0]
    for a, b in zip(stops[:-1], stops[1:]):
        hop = [points[a]] + hop_path(g, s, w, a, b) + [points[b]]
        path.extend(hop if not path else hop[1:])
        at.append(len(path) - 1)
    if len(stops) == 1:
        path = [points[stops[0]]]
    return tuple((float(x), float(y)) for x, y in path), tuple(at[:len(stops)])


def _foot(g: Graph, s: Snaps, i: int) -> tuple[float, float]:
    chain = g.blocks[s.block[i]]
    p = g.seg_pos[s.seg[i]]
    a, b = g.node_ll[chain[p]], g.node_ll[chain[p + 1]]
    return tuple(a + s.t[i] * (b - a))


def _toward(g: Graph, s: Snaps, i: int, end: int) -> list[tuple[float, float]]:
    """From i's foot along its block to the block's first (end 0) or last (end 1) vertex."""
    chain = g.blocks[s.block[i]]
    p = int(g.seg_pos[s.seg[i]])
    idx = chain[p::-1] if end == 0 else chain[p + 1 :]
    return [_foot(g, s, i)] + [tuple(g.node_ll[v]) for v in idx]


def hop_path(g: Graph, s: Snaps, w: Walks, a: int, b: int) -> list[tuple[float, float]]:
    """The street line walked from point a's foot to point b's foot ([] for doors of one building)."""
    walked = w.metres[a, b]
    if walked < s.leg[a] + s.leg[b] - 1e-6 or (walked == 0.0 and s.leg[a] + s.leg[b] > 0):
        return []
    if s.block[a] == s.block[b]:
        direct = abs(s.offset[a] - s.offset[b]) + s.leg[a] + s.leg[b]
        if w.mid_block[a, b] or (abs(w.metres[a, b] - direct) < 1e-6 and not s.side[a] * s.side[b] < 0):
            lo, hi = (a, b) if s.offset[a] <= s.offset[b] else (b, a)
            chain = g.blocks[s.block[lo]]
            inner = [tuple(g.node_ll[v]) for v in chain[g.seg_pos[s.seg[lo]] + 1 : g.seg_pos[s.seg[hi]] + 1]]
            out = [_foot(g, s, lo)] + inner + [_foot(g, s, hi)]
            return out if lo == a else out[::-1]
    src = {int(v): k for k, v in enumerate(w.sources)}
    best, pick = np.inf, (0, 0)
    length = {i: g.block_cum[s.block[i]][-1] for i in (a, b)}
    for e in (0, 1):
        for f in (0, 1):
            row = src[int(w.ends[a, e])]
            d = w.dist[row, src[int(w.ends[b, f])]]
            total = (s.offset[a] if e == 0 else length[a] - s.offset[a]) + d + (
                s.offset[b] if f == 0 else length[b] - s.offset[b])
            if total < best:
                best, pick = total, (e, f)
    e, f = pick
    if not np.isfinite(best):
        return []
    u, v = int(w.ends[a, e]), int(w.ends[b, f])
    middle: list[tuple[float, float]] = []
    # the search from the end searched first holds the way (walks are the same both ways)
    first, last = (u, v) if src[u] <= src[v] else (v, u)
    node, pred, hops = last, w.pred[src[first]], []
    while node != first:
        prev, inner = pred[node]
        seq = (prev, *inner, node)
        hops.extend(reversed(list(zip(seq[:-1], seq[1:]))))
        node = prev
    hops = hops[::-1] if first == u else [(y, x) for x, y in hops]
    for x, y in hops:
        chain = g.blocks[g.link_block[(min(x, y), max(x, y))]]
        pts = [tuple(g.node_ll[k]) for k in (chain if chain[0] == x else chain[::-1])]
        middle.extend(pts[1:])
    return _toward(g, s, a, e) + middle + _toward(g, s, b, f)[::-1]

