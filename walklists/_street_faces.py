"""Block faces from a street network: each door on one side of one street line (see cutting).

Without a network, faces are inferred from the doors (walklists._faces), which finds about two
thirds of the cross streets; a face that runs on across a missed junction is kept whole by the cut
and straddles the turf boundaries there, so turfs overlap. With centre-lines, a face is the doors
on one side of one line, and lines end at junctions (Cambridge's centre-lines run from node to
node; an OpenStreetMap extract should be noded first). A door belongs to the nearest line bearing
its street's name within ``SNAP_M``, else to the nearest line.
"""

from __future__ import annotations

from collections import Counter
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
    def key(c: tuple[float, float]) -> tuple[float, float]:
        return (round(c[0], 7), round(c[1], 7))

    shared = Counter(k for s in lines for k in {key(c) for c in s.coords})
    out: list[StreetLine] = []
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
    g = geoms[line]
    t = shapely.line_locate_point(g, pts)
    # the side: the sign of the cross product of the line's local direction and the door
    a = shapely.get_coordinates(shapely.line_interpolate_point(g, np.maximum(t - 1.0, 0.0)))
    b = shapely.get_coordinates(shapely.line_interpolate_point(g, t + 1.0))
    side = ((b[:, 0] - a[:, 0]) * (xy[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (xy[:, 0] - a[:, 0])) > 0
    face = np.unique(line * 2 + side, return_inverse=True)[1].astype(np.int64)
    # along each line by where the door meets it, then by id
    ids = np.unique(np.array([d.id for d in doors]), return_inverse=True)[1]
    pos = np.empty(n, dtype=np.int64)
    pos[np.lexsort((ids, t, face))] = np.arange(n)
    return face, pos
