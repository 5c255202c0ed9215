"""Walking along streets: a graph from street centre-lines, doors snapped to it, door-to-door metres.

Nodes are the lines' vertices (lines meet where they share a vertex, to 1e-6 degrees, ~0.1 m);
vertices where exactly two pieces of line meet are shape points, the rest are junctions (or dead
ends). Between two junctions runs a *block*: a chain of line pieces, along which a door has an
offset in metres. Each door is snapped to the nearest piece of line, preferring a line named like the
door's street (its front door faces that street even when another is closer), and gets a side of
the line from the cross product.

Door to door = leg from the door to its street + the shortest way along the streets + leg to the
other door. Two doors of one block on opposite sides: either cross mid-block (crossing_m extra
metres of cost) or walk to a junction and cross there, whichever is cheaper; doors on different
blocks always pass a junction, where the crossing is taken. Doors the nearby streets do not connect
get a detour estimate (_DETOUR x straight line) so a route still comes out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Iterable, Sequence

import numpy as np

from ._geo import _M_PER_DEG
from .errors import InvalidStreetError
from .streets import StreetLine

__all__ = ["StreetNetwork", "street_name_key"]

# A line named like the door's street is preferred over a nearer one up to this far away.
_NAME_REACH_M = 150.0
# Streets this far around the doors' box are enough to connect them (a detour beyond is rare).
_MARGIN_M = 300.0
# Doors closer than this to a centre-line are on it (no side): a footpath, a square.
_ON_LINE_M = 0.5
# Doors the nearby streets do not connect: straight line times this.
_DETOUR = 3.0

_ABBREV = {"STREET": "ST", "AVENUE": "AVE", "ROAD": "RD", "PLACE": "PL", "TERRACE": "TER", "SQUARE": "SQ",
           "DRIVE": "DR", "LANE": "LN", "COURT": "CT", "PARK": "PK", "BOULEVARD": "BLVD", "CRESCENT": "CRES",
           "PARKWAY": "PKWY", "HIGHWAY": "HWY", "CLOSE": "CL", "GARDENS": "GDNS", "MOUNT": "MT",
           "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W", "SAINT": "ST"}


def street_name_key(name: str) -> str:
    """'Cambridge Street' and 'cambridge st.' give one key; '' for no name."""
    words = re.sub(r"[^0-9A-Z ]+", " ", str(name or "").upper()).split()
    return " ".join(_ABBREV.get(w, w) for w in words)


# Snapping keys every door's street for every route: a cut's lists repeat a few hundred names.
_cached_key = lru_cache(maxsize=16_384)(street_name_key)


class StreetNetwork:
    """Street lines prepared for routing: the graph is built once (on first use) and every route
    snaps its doors to the pieces of line near them."""

    def __init__(self, lines: Iterable[StreetLine]) -> None:
        self.lines: tuple[StreetLine, ...] = tuple(lines)
        for line in self.lines:
            if not isinstance(line, StreetLine):
                raise InvalidStreetError(f"a street network takes StreetLine values, got {type(line).__name__}")
        if not self.lines:
            raise InvalidStreetError("a street network needs at least one street line")

    @cached_property
    def graph(self) -> "Graph":
        return build_graph(self.lines)

    def pieces_near(self, lon: np.ndarray, lat: np.ndarray, margin_m: float = _MARGIN_M) -> np.ndarray:
        """Indices of the pieces of line within about margin_m of the box of these points."""
        g = self.graph
        dlat = margin_m / _M_PER_DEG
        dlon = dlat / max(math.cos(math.radians(float(np.median(lat)))), 0.05)
        lo = np.minimum(g.seg_a, g.seg_b)
        hi = np.maximum(g.seg_a, g.seg_b)
        keep = ((hi[:, 0] >= lon.min() - dlon) & (lo[:, 0] <= lon.max() + dlon)
                & (hi[:, 1] >= lat.min() - dlat) & (lo[:, 1] <= lat.max() + dlat))
        return np.flatnonzero(keep)

    @cached_property
    def _boxes(self):
        import shapely

        g = self.graph
        lo, hi = np.minimum(g.seg_a, g.seg_b), np.maximum(g.seg_a, g.seg_b)
        return shapely.STRtree(shapely.box(lo[:, 0], lo[:, 1], hi[:, 0], hi[:, 1]))

    def pieces_within(self, lon: np.ndarray, lat: np.ndarray, reach_m: float = _NAME_REACH_M) -> tuple[np.ndarray, np.ndarray]:
        """(point, piece) pairs whose box comes within about reach_m of the point: every piece
        within reach_m is among them (a superset, measured exactly by snap)."""
        import shapely

        dlat = reach_m / _M_PER_DEG
        dlon = dlat / np.maximum(np.cos(np.radians(lat)), 0.05)
        q, k = self._boxes.query(shapely.box(lon - dlon, lat - dlat, lon + dlon, lat + dlat), predicate="intersects")
        return q, k

    def __len__(self) -> int:
        return len(self.lines)


@dataclass
class Graph:
    """Blocks between junctions of a set of lines; lengths in metres, positions in degrees."""

    node_ll: np.ndarray  # (k, 2) lon, lat of every vertex
    blocks: list[np.ndarray]  # vertex ids along each block, junction to junction
    block_cum: list[np.ndarray]  # metres from the block's first vertex to each of its vertices
    seg_a: np.ndarray  # (S, 2) lon, lat of each piece of line's ends
    seg_b: np.ndarray
    seg_len: np.ndarray  # (S,) metres
    seg_block: np.ndarray  # (S,) block of each piece
    seg_off: np.ndarray  # (S,) metres along the block at the piece's start
    seg_name: np.ndarray  # (S,) street_name_key of the piece's line (object)
    seg_pos: np.ndarray  # (S,) index of the piece's first vertex within its block
    link_block: dict  # (u, v), u < v: the shortest block between two junctions
    links: dict  # junction -> [(junction, metres)]: each block as one edge between its ends

    @cached_property
    def name_codes(self) -> tuple[np.ndarray, dict[str, int]]:
        """(a number per piece for its street's key, key -> number): snapping compares numbers, not
        strings (object arrays compared one Python string at a time)."""
        code: dict[str, int] = {}
        return np.fromiter((code.setdefault(k, len(code)) for k in self.seg_name), np.int64, len(self.seg_name)), code


def build_graph(lines: Sequence[StreetLine]) -> Graph:
    """Pieces measured where they are (metres per degree of longitude at their own latitude), so one
    graph serves a town or a whole island without stretching."""
    ids: dict[tuple[float, float], int] = {}
    lls: list[tuple[float, float]] = []
    edges: dict[tuple[int, int], str] = {}
    keys: dict[str, str] = {}  # a street's many lines share its name: one regex per name
    for line in lines:
        prev = None
        name = keys.get(line.name)
        if name is None:
            name = keys[line.name] = street_name_key(line.name)
        for lon, lat in line.coords:
            key = (round(lon, 6), round(lat, 6))
            node = ids.get(key)
            if node is None:
                node = ids[key] = len(lls)
                lls.append((lon, lat))
            if prev is not None and prev != node:
                edges.setdefault((min(prev, node), max(prev, node)), name)
            prev = node
    ll = np.asarray(lls, dtype=float).reshape(-1, 2)
    adj: list[list[int]] = [[] for _ in lls]
    for a, b in edges:
        adj[a].append(b)
        adj[b].append(a)
    junction = np.array([len(n) != 2 for n in adj], dtype=bool)
    blocks = _blocks(adj, junction, edges)
    # every block's pieces in one pass (numpy calls per block cost more than the arithmetic)
    nb = len(blocks)
    verts = np.concatenate(blocks) if blocks else np.empty(0, dtype=int)
    first = np.concatenate(([0], np.cumsum([len(c) for c in blocks])))
    inner = np.ones(max(verts.size - 1, 0), dtype=bool)
    inner[first[1:-1] - 1] = False  # no piece from one block's last vertex to the next one's first
    p = ll[verts]
    d = p[1:] - p[:-1]
    step_all = (_M_PER_DEG * np.hypot(d[:, 0] * np.cos(np.radians((p[1:, 1] + p[:-1, 1]) / 2)), d[:, 1]))[inner]
    count = np.diff(first) - 1  # pieces per block
    seg_len = np.split(step_all, np.cumsum(count)[:-1]) if nb else []
    cums = [np.concatenate(([0.0], np.cumsum(step))) for step in seg_len]
    seg_a, seg_b = [p[:-1][inner]], [p[1:][inner]]
    seg_block = [np.repeat(np.arange(nb), count)]
    seg_off = [cum[:-1] for cum in cums]
    seg_pos = [np.arange(count.sum()) - np.repeat(first[:-1] - np.arange(nb), count)] if nb else []
    u, v = verts[:-1][inner].tolist(), verts[1:][inner].tolist()
    seg_name = [edges[(a, b) if a < b else (b, a)] for a, b in zip(u, v)]
    rows = [int(c[0]) if c[0] != c[-1] else -1 for c in blocks]
    cols = [int(c[-1]) if c[0] != c[-1] else -1 for c in blocks]
    vals = [float(cum[-1]) if c[0] != c[-1] else math.inf for c, cum in zip(blocks, cums)]
    k = len(lls)
    best: dict[tuple[int, int], float] = {}
    link_block: dict[tuple[int, int], int] = {}
    for bi, (r, c, v) in enumerate(zip(rows, cols, vals)):  # parallel blocks: the shorter (coo adds)
        key = (min(r, c), max(r, c))
        if r >= 0 and max(v, 1e-9) < best.get(key, math.inf):
            best[key] = max(v, 1e-9)
            link_block[key] = bi
    links: dict[int, list[tuple[int, float]]] = {}
    for (r, c), v in best.items():
        links.setdefault(r, []).append((c, v))
        links.setdefault(c, []).append((r, v))
    cat = (lambda parts, width: np.concatenate(parts) if parts else np.empty((0,) + width))
    return Graph(ll, blocks, cums, cat(seg_a, (2,)), cat(seg_b, (2,)), cat(seg_len, ()), cat(seg_block, ()).astype(int),
                 cat(seg_off, ()), np.array(seg_name, dtype=object),
                 cat(seg_pos, ()).astype(int), link_block, links)


def _blocks(adj: list[list[int]], junction: np.ndarray, edges) -> list[np.ndarray]:
    """Chains of vertices from junction to junction (a loop with no junction: from any vertex)."""
    seen: set[tuple[int, int]] = set()
    out: list[np.ndarray] = []

    def walk(start: int, nxt: int) -> None:
        chain = [start]
        prev, cur = start, nxt
        seen.add((min(prev, cur), max(prev, cur)))
        while True:
            chain.append(cur)
            if junction[cur] or cur == start:
                break
            step = adj[cur][0] if adj[cur][0] != prev else adj[cur][1]
            seen.add((min(cur, step), max(cur, step)))
            prev, cur = cur, step
        out.append(np.array(chain))

    for node in np.flatnonzero(junction).tolist():
        for nb in adj[node]:
            if (min(node, nb), max(node, nb)) not in seen:
                walk(node, nb)
    for a, b in edges:  # loops made only of shape points
        if (a, b) not in seen:
            junction[a] = True
            walk(a, b)
    return out


@dataclass
class Snaps:
    """Where each point meets its street."""

    seg: np.ndarray  # piece of line
    t: np.ndarray  # 0..1 along the piece
    leg: np.ndarray  # metres from the point to its street
    side: np.ndarray  # +1 left, -1 right of the line's drawing direction, 0 on it
    block: np.ndarray
    offset: np.ndarray  # metres along the block


def snap(g: Graph, idx: np.ndarray, a: np.ndarray, b: np.ndarray, xy: np.ndarray, names: Sequence[str],
         pairs: tuple[np.ndarray, np.ndarray] | None = None) -> Snaps:
    """Snap points xy (metres) to the pieces idx of g, whose ends are a, b in the same metres.
    pairs: (point, position in idx) candidates holding every piece within _NAME_REACH_M of each
    point (StreetNetwork.pieces_within); points without one are measured against every piece."""
    n = len(xy)
    codes, code_of = g.name_codes
    own = np.fromiter((code_of.get(key, -1) if key else -1 for key in map(_cached_key, names)), np.int64, n)
    q, k = pairs if pairs is not None else (np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64))
    t, d, ab, ap = _measure(a, b, xy, q, k)
    near = np.zeros(n, dtype=bool)
    near[q[d <= _NAME_REACH_M]] = True
    alone = np.flatnonzero(~near)
    if alone.size:  # no street within reach: the nearest piece of all, which may lie outside the pairs
        keep = near[q]
        q = np.concatenate([q[keep], np.repeat(alone, len(idx))])
        k = np.concatenate([k[keep], np.tile(np.arange(len(idx)), alone.size)])
        t, d, ab, ap = _measure(a, b, xy, q, k)
    named = (own[q] >= 0) & (own[q] == codes[idx[k]]) & (d <= _NAME_REACH_M)  # the same street, named
    # per point: a piece of its own street within reach, nearest first; else the nearest piece
    o = np.lexsort((k, d, ~named, q))
    first = np.ones(o.size, dtype=bool)
    first[1:] = q[o][1:] != q[o][:-1]
    pick = o[first]
    pick = pick[np.argsort(q[pick])]
    seg, tt, leg = k[pick], t[pick], d[pick]
    cross = ab[pick, 0] * ap[pick, 1] - ab[pick, 1] * ap[pick, 0]
    side = np.where(leg < _ON_LINE_M, 0, np.sign(cross)).astype(int)
    seg = idx[seg]
    return Snaps(seg, tt, leg, side, g.seg_block[seg], g.seg_off[seg] + tt * g.seg_len[seg])


def _measure(a: np.ndarray, b: np.ndarray, xy: np.ndarray, q: np.ndarray, k: np.ndarray):
    """For each (point q, piece k): where along the piece the point's foot is (0..1), how far."""
    ab = b[k] - a[k]
    ab2 = np.maximum(np.einsum("ij,ij->i", ab, ab), 1e-12)
    ap = xy[q] - a[k]
    t = np.clip(np.einsum("ij,ij->i", ap, ab) / ab2, 0.0, 1.0)
    return t, np.hypot(*(ap - t[:, None] * ab).T), ab, ap
