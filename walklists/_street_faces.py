"""Block faces from a street network: each door on one side of one street line (see cutting).

Without a network, faces are inferred from the doors (walklists._faces), which finds about two
thirds of the cross streets; a face that runs on across a missed junction is kept whole by the cut
and straddles the turf boundaries there, so turfs overlap. With centre-lines, a face is the doors
on one side of one line, and lines end at junctions (Cambridge's centre-lines run from node to
node; an OpenStreetMap extract should be noded first). A door belongs to the nearest line bearing
its street's name within ``SNAP_M``, else to the nearest line.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ._faces import face_positions
from .doors import Door
from .streets import StreetLine

SNAP_M = 80.0


def node_lines(lines: Sequence[StreetLine]) -> list[StreetLine]:
    """The lines split at every vertex another line shares, so that each piece ends at junctions.
    OpenStreetMap ways run on through junctions (a face along one would straddle a cross street);
    Cambridge's centre-lines already end at them and come back unchanged."""
    if not lines:
        return []
    counts = np.array([len(s.coords) for s in lines])
    # vertices to 1e-7 degrees (about 1 cm), and how many lines pass through each
    grid = np.rint(np.array([c for s in lines for c in s.coords], dtype=float).reshape(-1, 2) * 1e7)
    _, vertex = np.unique(grid[:, 0] + 1j * grid[:, 1], return_inverse=True)
    line_of = np.repeat(np.arange(len(lines)), counts)
    passing = np.unique(line_of * (int(vertex.max()) + 1) + vertex) % (int(vertex.max()) + 1)
    shared = np.bincount(passing)[vertex] > 1
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    out: list[StreetLine] = []
    for s, first in zip(lines, start.tolist()):
        cuts = (np.flatnonzero(shared[first + 1:first + len(s.coords) - 1]) + 1).tolist()
        if not cuts:
            out.append(s)
            continue
        start = 0
        for part, end in enumerate(cuts + [len(s.coords) - 1]):
            out.append(StreetLine((s.id, part), s.name, s.coords[start:end + 1], s.kind))
            start = end
    return out


def _along(xy: np.ndarray, counts: np.ndarray, line: np.ndarray, dist: np.ndarray) -> np.ndarray:
    """The point dist metres along each given line (clamped to its ends), as GEOS's
    line_interpolate_point finds it: in the first piece whose end lies beyond dist. xy holds every
    line's vertices in turn (counts per line). One numpy pass instead of a GEOS call per door."""
    seg = np.sqrt(((xy[1:] - xy[:-1]) ** 2).sum(axis=1))
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    seg[start[1:] - 1] = 0.0  # no piece from one line's last vertex to the next line's first
    cum = np.concatenate([[0.0], np.cumsum(seg)])  # metres from the first line's start
    base, total = cum[start], cum[start + counts - 1] - cum[start]
    d = np.clip(dist, 0.0, total[line])
    # the vertex that ends the piece: the first one past base + d (ties go on, as in GEOS)
    end = np.searchsorted(cum, base[line] + d, side="right")
    end = np.clip(end, start[line] + 1, start[line] + counts[line] - 1)
    p, q = xy[end - 1], xy[end]
    frac = np.divide(base[line] + d - cum[end - 1], seg[end - 1], out=np.zeros(d.size), where=seg[end - 1] > 0)
    frac = np.clip(frac, 0.0, 1.0)
    return p + frac[:, None] * (q - p)


def _norm(name: str) -> str:
    return " ".join(name.upper().split())


def street_face_positions(
    doors: Sequence[Door], xy: np.ndarray, streets: Sequence[StreetLine], extra_xy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(face, position) per door as face_positions gives them, with faces taken from the lines.

    extra_xy: the lines' points, projected as the doors are (project_doors(doors, extra=...)).
    """
    import shapely

    n = len(doors)
    if n == 0 or not streets:
        return face_positions(doors, xy)
    counts = np.array([len(s.coords) for s in streets])
    geoms = np.array(shapely.linestrings(extra_xy, indices=np.repeat(np.arange(len(streets)), counts)))
    code: dict[str, int] = {}
    names = np.array([code.setdefault(_norm(s.name), len(code)) for s in streets])
    by_street = {name: code.get(_norm(name), -1) for name in {d.street or "" for d in doors}}
    own = np.array([by_street[d.street or ""] for d in doors])
    pts = shapely.points(xy)
    tree = shapely.STRtree(geoms)
    q, li = tree.query(pts, predicate="dwithin", distance=SNAP_M)
    same = names[li] == own[q]  # lines bearing the door's street name; else the nearest line
    q, li = q[same], li[same]
    d = shapely.distance(pts[q], geoms[li])
    o = np.lexsort((li, d, q))  # per door: nearest, then lowest line number
    first = np.ones(o.size, dtype=bool)
    first[1:] = q[o][1:] != q[o][:-1]
    line = np.full(n, -1, dtype=np.int64)
    line[q[o][first]] = li[o][first]
    far = np.flatnonzero(line < 0)
    if far.size:  # no line within reach: the nearest one
        fq, fl = tree.query_nearest(pts[far], all_matches=False)  # ties: the lowest line number
        line[far[fq]] = fl
    t = shapely.line_locate_point(geoms[line], pts)
    # the side: the sign of the cross product of the line's local direction and the door
    a = _along(extra_xy, counts, line, np.maximum(t - 1.0, 0.0))
    b = _along(extra_xy, counts, line, t + 1.0)
    side = ((b[:, 0] - a[:, 0]) * (xy[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (xy[:, 0] - a[:, 0])) > 0
    face = np.unique(line * 2 + side, return_inverse=True)[1].astype(np.int64)
    # along each line by where the door meets it, then by id (cut_turf gives doors sorted by id)
    id_list = [d.id for d in doors]
    ids = np.arange(n) if id_list == sorted(set(id_list)) else np.unique(np.array(id_list), return_inverse=True)[1]
    pos = np.empty(n, dtype=np.int64)
    pos[np.lexsort((ids, t, face))] = np.arange(n)
    return face, pos
