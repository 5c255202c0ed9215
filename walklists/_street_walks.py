"""Walking between points snapped to a street network: the matrix a route is ordered on, and the
shortest ways along the streets behind it (for the route's line on the map)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._geo import pairwise
from .network import _DETOUR, _MARGIN_M, Graph, Snaps

@dataclass
class Walks:
    """Walking between snapped points: metres, cost (metres + crossing_m per mid-block crossing)."""

    metres: np.ndarray
    cost: np.ndarray
    mid_block: np.ndarray  # the way i -> j crosses its block mid-block
    ends: np.ndarray  # (n, 2) first/last vertex of each point's block
    sources: np.ndarray  # vertices Dijkstra ran from (the ends), sorted
    dist: np.ndarray  # (len(sources), len(sources)) metres between them along the streets
    pred: list  # per source: {junction: (previous junction kept, the junctions passed between)}


def walk_matrix(g: Graph, s: Snaps, xy: np.ndarray, crossing_m: float, near: np.ndarray | None = None) -> Walks:
    """near: the pieces near the points; the walks between them stay on those pieces' blocks (a walk
    leaving that neighbourhood is a detour the estimate covers, and searching a whole island from
    every door would take seconds)."""
    n = len(xy)
    ends = np.array([[g.blocks[b][0], g.blocks[b][-1]] for b in s.block]).reshape(-1, 2)
    length = np.array([g.block_cum[b][-1] for b in s.block])
    off = np.stack([s.offset, length - s.offset], axis=1)  # metres to the block's first/last vertex
    sources, pos = np.unique(ends, return_inverse=True)
    pos = pos.reshape(n, 2)
    targets = set(sources.tolist())
    blocks = np.unique(g.seg_block[near]).tolist() if near is not None else range(len(g.blocks))
    allowed = {int(v) for b in blocks for v in (g.blocks[b][0], g.blocks[b][-1])}
    links = _contracted(g.links, _without_dead_ends(g.links, allowed, targets), targets)
    span = float(np.hypot(*(xy.max(axis=0) - xy.min(axis=0)))) if n else 0.0
    dist, pred = _searches(links, sources.tolist(), 2 * span + _MARGIN_M)
    d = dist[pos[:, :, None, None], pos[None, None, :, :]]  # d[i, e, j, f]: end e of i to end f of j
    via = (off[:, :, None, None] + d + off[None, None, :, :]).min(axis=(1, 3))
    same = s.block[:, None] == s.block[None, :]
    direct = np.where(same, np.abs(s.offset[:, None] - s.offset[None, :]), np.inf)
    cross = same & (s.side[:, None] * s.side[None, :] < 0)
    direct_cost = direct + crossing_m * cross
    mid_block = direct_cost < via
    # across the street without crossing mid-block means by a junction: the way via the block's ends
    along = np.where(mid_block, direct, np.where(cross, via, np.minimum(via, direct)))
    cost_along = np.where(mid_block, direct_cost, along)
    legs = s.leg[:, None] + s.leg[None, :]
    straight = pairwise(xy)
    lost = ~np.isfinite(along)
    metres = np.where(lost, _DETOUR * straight, along + legs)
    cost = np.where(lost, _DETOUR * straight, cost_along + legs)
    for m in (metres, cost):
        np.fill_diagonal(m, 0.0)
    return Walks(metres, cost, mid_block & ~lost, ends, sources, dist, pred)


class _Previous:
    """One search's way back: junction -> (previous junction kept, the junctions passed between)."""

    def __init__(self, row: np.ndarray, nodes: list, index: dict, inner: dict) -> None:
        self.row, self.nodes, self.index, self.inner = row, nodes, index, inner

    def __getitem__(self, junction: int) -> tuple[int, tuple]:
        prev = self.nodes[int(self.row[self.index[junction]])]
        return prev, self.inner[(prev, junction)]


def _searches(links: dict, sources: list, limit: float) -> tuple[np.ndarray, list[_Previous]]:
    """Metres between every two sources along the links (inf past limit: a detour estimate will
    do), and each search's way back. One C Dijkstra per source (scipy): a rural list's searches
    cross thousands of junctions, which took Python's heap 100-300 ms a route."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    nodes = sorted(set(links) | set(sources))
    index = {u: k for k, u in enumerate(nodes)}
    rows, cols, weights, inner = [], [], [], {}
    for u, out in links.items():
        for v, w, passed in out:
            rows.append(index[u])
            cols.append(index[v])
            weights.append(max(w, 1e-9))  # a zero weight would read as "no edge" in a sparse matrix
            inner[(u, v)] = passed
    graph = csr_matrix((weights, (rows, cols)), shape=(len(nodes), len(nodes)))
    at = [index[u] for u in sources]
    best, back = dijkstra(graph, directed=True, indices=at, limit=limit, return_predecessors=True)
    dist = best[:, at]
    return dist, [_Previous(back[k], nodes, index, inner) for k in range(len(sources))]


def _without_dead_ends(links: dict, allowed: set, keep: set) -> set:
    """allowed less the dead-end branches that lead to none of keep (no shortest way uses them:
    rural footpaths and farm tracks would otherwise make every search crawl through them)."""
    degree = {u: sum(1 for v, _ in links.get(u, ()) if v in allowed) for u in allowed}
    stack = [u for u, k in degree.items() if k <= 1 and u not in keep]
    out = set(allowed)
    while stack:
        u = stack.pop()
        if u not in out:
            continue
        out.discard(u)
        for v, _ in links.get(u, ()):
            if v in out:
                degree[v] -= 1
                if degree[v] <= 1 and v not in keep:
                    stack.append(v)
    return out


def _contracted(links: dict, allowed: set, keep: set) -> dict:
    """The allowed junctions' graph with the junctions where only two ways meet (once the dead ends
    are gone) passed through: {u: [(v, metres, junctions passed from u to v)]}."""
    adj = {u: [(v, w) for v, w in links.get(u, ()) if v in allowed] for u in allowed}
    kept = {u for u, ns in adj.items() if len(ns) != 2 or u in keep}
    out: dict[int, list] = {}
    for u in kept:
        best: dict[int, tuple[float, tuple]] = {}
        for v, w in adj[u]:
            prev, cur, total, inner = u, v, w, []
            while cur not in kept and len(inner) <= len(adj):
                (a, wa), (b, wb) = adj[cur]
                nxt, step = (b, wb) if a == prev else (a, wa)
                inner.append(cur)
                prev, cur, total = cur, nxt, total + step
            if cur != u and cur in kept and total < best.get(cur, (math.inf,))[0]:
                best[cur] = (total, tuple(inner))
        out[u] = [(v, w, inner) for v, (w, inner) in best.items()]
    return out
