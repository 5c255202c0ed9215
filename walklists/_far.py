"""Doors far from the rest: groups a canvasser could not walk to from the main body.

Doors are linked when they are at most ``FAR_GAP_M`` apart; the largest linked group is the main
body and every other group is "far" (a village across open country, or a mistyped coordinate
thousands of km away). Cutting gives far groups turfs of their own, flagged, and the caller shows
the organiser which doors they are.

Exact single linkage without an n x n matrix: doors fall in square cells of side gap / 2, whose
doors are always linked (the diagonal is below the gap); two cells up to two apart are linked when
their closest pair of doors is within the gap.
"""

from __future__ import annotations

import numpy as np

__all__ = ["FAR_GAP_M", "linked_groups", "linked_groups_by_part", "far_mask"]

#: Doors separated from every other door by more than this (metres) form a group of their own.
FAR_GAP_M = 5_000.0
_BRUTE_PAIRS = 2_000_000


def _find(parent: list[int], a: int) -> int:
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def _close(p: np.ndarray, q: np.ndarray, gap: float) -> bool:
    """Is some point of p within gap of some point of q?"""
    # cheap witness first: p's point nearest q's centre, and q's point nearest that one
    a = p[((p - q.mean(0)) ** 2).sum(1).argmin()]
    if ((q - a) ** 2).sum(1).min() <= gap * gap:
        return True
    qlo, qhi = q.min(0) - gap, q.max(0) + gap
    p = p[((p >= qlo) & (p <= qhi)).all(1)]
    if not p.size:
        return False
    plo, phi = p.min(0) - gap, p.max(0) + gap
    q = q[((q >= plo) & (q <= phi)).all(1)]
    if not q.size:
        return False
    if p.shape[0] * q.shape[0] <= _BRUTE_PAIRS:
        d = ((p[:, None, :] - q[None, :, :]) ** 2).sum(-1)
        return bool(d.min() <= gap * gap)
    import shapely  # local: only huge cells need a tree

    tree = shapely.STRtree(shapely.points(q))
    hit = tree.query_nearest(shapely.points(p), max_distance=gap, return_distance=False)
    return bool(hit.size)


def linked_groups(xy: np.ndarray, gap: float = FAR_GAP_M, part: np.ndarray | None = None) -> np.ndarray:
    """Group number per point (0..G-1, in order of each group's first point): points linked by
    steps of at most gap metres share a group. part: a number per point; points of different parts
    never link (so many small sets are grouped in one call)."""
    n = xy.shape[0]
    if n == 0:
        return np.empty(0, dtype=np.int64)
    cell_xy = np.floor(xy / (gap / 2.0)).astype(np.int64)
    keyed = np.column_stack([np.zeros(n, dtype=np.int64) if part is None else part.astype(np.int64), cell_xy])
    cells, cell_of = np.unique(keyed, axis=0, return_inverse=True)
    cell_of = cell_of.reshape(-1)
    by_cell = np.argsort(cell_of, kind="stable")
    bounds = np.searchsorted(cell_of[by_cell], np.arange(cells.shape[0] + 1))
    index = {(int(p), int(cx), int(cy)): i for i, (p, cx, cy) in enumerate(cells.tolist())}
    parent = list(range(cells.shape[0]))
    # half of the 5 x 5 neighbourhood, so each pair of cells is looked at once
    offsets = [(dx, dy) for dx in range(-2, 3) for dy in range(-2, 3) if (dx, dy) > (0, 0)]
    for a, (p, cx, cy) in enumerate(cells.tolist()):
        for dx, dy in offsets:
            b = index.get((p, cx + dx, cy + dy))
            if b is None:
                continue
            ra, rb = _find(parent, a), _find(parent, b)
            if ra == rb:
                continue
            pa = xy[by_cell[bounds[a]:bounds[a + 1]]]
            pb = xy[by_cell[bounds[b]:bounds[b + 1]]]
            if _close(pa, pb, gap):
                parent[max(ra, rb)] = min(ra, rb)
    root = np.array([_find(parent, c) for c in range(cells.shape[0])], dtype=np.int64)[cell_of]
    _, first, group = np.unique(root, return_index=True, return_inverse=True)
    # renumber by first point so the numbering follows the (sorted) input
    rank = np.empty(first.size, dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(first.size)
    return rank[group.reshape(-1)]


def linked_groups_by_part(xy: np.ndarray, parts: list[np.ndarray], gap: float = FAR_GAP_M) -> list[np.ndarray]:
    """linked_groups(xy[p], gap) for each p in parts, in one call (a cut's hundreds of turfs)."""
    sizes = [p.size for p in parts]
    if not sum(sizes):
        return [np.empty(0, dtype=np.int64) for _ in parts]
    group = linked_groups(xy[np.concatenate(parts)], gap, np.repeat(np.arange(len(parts)), sizes))
    # groups are numbered by first point, so a part's groups are numbered together, in its order
    out = np.split(group, np.cumsum(sizes)[:-1])
    return [g - g.min() if g.size else g for g in out]


def far_mask(xy: np.ndarray, gap: float = FAR_GAP_M) -> tuple[np.ndarray, np.ndarray]:
    """(group per point, far?): far points are those outside the largest group (ties: the group
    whose first point comes first)."""
    group = linked_groups(xy, gap)
    if group.size == 0:
        return group, np.zeros(0, dtype=bool)
    sizes = np.bincount(group)
    main = int(np.argmax(sizes))  # argmax takes the lowest group number on ties
    return group, group != main
