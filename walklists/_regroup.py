"""Regrouping after a cut: turfs with a long jump are cut again, with their neighbours, along a tree.

In a sparse area a balanced cut leaves turfs whose doors lie in clusters far apart, and a canvasser
walks every gap between them. The walk search moves one or two runs at a time within the size
bounds, too little to reach these. Here a turf whose spanning tree has an edge over JUMP_M is cut
again together with its nearest neighbours: the minimum spanning tree of their face runs is split
at long edges whose removal leaves parts close to sizes whole turfs allow (a long edge left inside
a turf is walked; one between turfs is not), then runs move between the parts, cheapest first,
until every size is in bounds. The new turfs replace the old when their summed spanning trees less
PP_WEIGHT times their summed Polsby-Popper score (the walk search's objective) is lower, so a region
gives up shape only where that buys enough walk. Trees are taken over runs (nearest doors between
runs); each run's own tree is the same before and after, so it drops out of the comparison.

On Cambridge, with the walk search after it, ward 9 goes from 16.48 to 16.13 walking metres
per door at mean Polsby-Popper 0.757, the city from 13.84 to 13.76 at 0.756.
"""

from __future__ import annotations

from itertools import permutations

import numpy as np

from ._polish import hulls, pp_scores
from ._refine import flat_turfs, parts_by_turf
from ._trees import spanning_trees
from ._walk import PP_WEIGHT

# Turfs whose spanning tree has an edge longer than this (metres) are cut again with neighbours.
JUMP_M = 150.0
# Turfs cut again together: the one with the jump and its nearest neighbours (by hull distance,
# among the _SHORTLIST with the nearest centres). On Cambridge 3 and 5 gained less than 4.
REGION = 4
_SHORTLIST = 12
# Metres of tree edge worth one door of size out of bounds when choosing where to cut the tree:
# the parts are repaired afterwards, and each door moved costs some walk and shape.
BAL_M = 20.0
# A region may split block faces further only while the area keeps under this many splits per turf
# (the cutter promises at most 1).
SPLIT_CAP = 0.9


def _prim(dist: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Minimum spanning tree of a full distance matrix from node 0: (parent, edge length) per node
    (-1 and 0 at the root) and the nodes in the order they joined (each after its parent)."""
    n = dist.shape[0]
    parent = np.full(n, -1)
    length = np.zeros(n)
    order = np.zeros(n, dtype=np.int64)
    best = dist[0].copy()
    via = np.zeros(n, dtype=np.int64)
    free = np.ones(n, dtype=bool)
    free[0] = False
    best[0] = np.inf
    for s in range(1, n):
        j = int(np.argmin(best))
        parent[j], length[j], order[s] = via[j], best[j], j
        free[j] = False
        closer = (dist[j] < best) & free
        best[closer] = dist[j][closer]
        via[closer] = j
        best[j] = np.inf
    return parent, length, order


def _off(a, j: int, lo: int, hi: int):
    """Doors by which a part of size a misses what j whole turfs allow."""
    return np.maximum(j * lo - a, 0) + np.maximum(a - j * hi, 0)


def _split(nodes: np.ndarray, j: int, parent, length, size, lo: int, hi: int) -> list[np.ndarray]:
    """A subtree (nodes in tree order) cut into j connected parts: at the edge that best trades its
    length against how far the two sides miss sizes whole turfs allow, then each side again."""
    if j == 1 or nodes.size < 2:
        return [nodes] + [nodes[:0]] * (j - 1)
    inside = np.zeros(parent.size, dtype=bool)
    inside[nodes] = True
    below = np.zeros(parent.size)  # size of each node's subtree within this part
    below[nodes] = size[nodes]
    for v in nodes[:0:-1].tolist():  # children before parents; nodes[0] is the part's root
        below[parent[v]] += below[v]
    n = below[nodes[0]]
    v = nodes[1:]
    j1 = np.arange(1, j)[:, None]
    cost = BAL_M * (_off(below[v], j1, lo, hi) + _off(n - below[v], j - j1, lo, hi)) - length[v]
    cost += 1e-6 * np.abs(below[v] / n - j1 / j)  # ties: the more even split
    r, c = np.unravel_index(np.argmin(cost), cost.shape)
    cut, j1 = int(v[c]), int(r) + 1
    sub = np.zeros(parent.size, dtype=bool)
    sub[cut] = True
    for u in v.tolist():  # tree order: a parent comes before its children
        if u != cut and sub[parent[u]]:
            sub[u] = True
    side = sub[nodes]
    return _split(nodes[side], j1, parent, length, size, lo, hi) + _split(
        nodes[~side], j - j1, parent, length, size, lo, hi
    )


def _repair(part: np.ndarray, ud: np.ndarray, ui: np.ndarray, size: np.ndarray, lo: int, hi: int, m: int):
    """Move units between parts, the least walk first, while that brings sizes nearer their bounds.

    ud: metres from each unit to each node (a place of a unit); ui: unit per node. None when stuck.
    """
    nu = size.size
    parts = np.arange(m)
    # a unit's distance to its own doors does not count: it leaves with them
    ud_other = np.where(ui[None, :] == np.arange(nu)[:, None], np.inf, ud)
    for _ in range(nu):
        tsize = np.bincount(part, size, m)
        miss = _off(tsize, 1, lo, hi)
        if not miss.any():
            return part
        dpart = part[ui]
        cols = np.argsort(dpart, kind="stable")
        starts = np.searchsorted(dpart[cols], parts)
        empty = np.append(starts[1:], dpart.size) == starts  # a part left without doors
        pad = np.full((nu, 1), np.inf)  # so that a start past the last door is valid
        near = np.minimum.reduceat(np.hstack([ud[:, cols], pad]), starts, axis=1)
        near[:, empty] = np.inf
        # a unit leaving saves about its distance to the rest of its part
        own = np.minimum.reduceat(np.hstack([ud_other[:, cols], pad]), starts, axis=1)
        own[:, empty] = np.inf
        own = own[np.arange(nu), part]
        after = _off(tsize[part] - size, 1, lo, hi)[:, None] + _off(tsize[None, :] + size[:, None], 1, lo, hi)
        ok = (after < miss[part][:, None] + miss[None, :]) & (part[:, None] != parts[None, :])
        cost = np.where(ok, near - np.minimum(own, 1e6)[:, None], np.inf)
        u, q = np.unravel_index(np.argmin(cost), cost.shape)
        if not np.isfinite(cost[u, q]):
            return None
        part[u] = q
    return None


def _recut(region, turf, unit, place, pl, face, k, lo, hi, pp, splits):
    """The region's doors cut again: (gain, doors, new part per door, hulls, scores, faces split
    further), or None when no cut keeps sizes and the split-face budget."""
    import shapely

    m = region.size
    d = np.flatnonzero(np.isin(turf, region))
    nodes, dnode = np.unique(unit[d] * pl.size + place[d], return_inverse=True)
    uu, ui = np.unique(nodes // pl.size, return_inverse=True)  # unit per node
    nu = uu.size
    size = np.bincount(ui[dnode], minlength=nu).astype(float)
    npts = pl[nodes % pl.size]
    dist = np.abs(npts[:, None] - npts[None, :])
    order = np.argsort(ui, kind="stable")
    starts = np.searchsorted(ui[order], np.arange(nu))
    ud = np.minimum.reduceat(dist[order], starts, axis=0)  # unit -> node metres
    um = np.minimum.reduceat(ud[:, order], starts, axis=1)  # unit -> unit metres
    uparent, ulength, tree_order = _prim(um)
    pieces = _split(tree_order, m, uparent, ulength, size, lo, hi)
    part = np.empty(nu, dtype=np.int64)
    for r, pc in enumerate(pieces):
        part[pc] = r
    part = _repair(part, ud, ui, size, lo, hi, m)
    if part is None:
        return None
    old = np.searchsorted(region, turf[d])
    which = part[ui[dnode]]
    more = np.unique(face[d] * k + which).size - np.unique(face[d] * k + old).size
    if more > 0 and splits + more > SPLIT_CAP * k:
        return None
    uold = np.empty(nu, dtype=np.int64)
    uold[ui[dnode]] = old
    # each new turf takes the number of the old one it shares most doors with: turf order still
    # follows the cut, neighbours next to each other
    overlap = np.zeros((m, m), dtype=np.int64)
    np.add.at(overlap, (which, old), 1)
    ov = overlap.tolist()
    perm = np.array(max(permutations(range(m)), key=lambda q: sum(ov[r][q[r]] for r in range(m))))
    new_hull = np.empty(m, dtype=object)
    new_hull[perm] = hulls(np.column_stack([npts.real, npts.imag]), part[ui], m)
    new_pp = pp_scores(new_hull)
    trees = _tree_totals(um, np.stack([uold, perm[part]]))
    gain = trees[:m].sum() - trees[m:].sum() + PP_WEIGHT * (new_pp.sum() - pp[region].sum())
    return gain, d, perm[which], new_hull, new_pp, more


def _tree_totals(um: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Spanning tree length of each set of units over the unit distances um; labels: the set of
    each unit, one row per partition (sets numbered 0..m-1 in each), totals row by row."""
    m = int(labels.max()) + 1
    sets = [np.flatnonzero(row == r) for row in labels for r in range(m)]
    return np.array([_prim(um[np.ix_(s, s)])[1].sum() for s in sets])


def regroup(cutter, parts: list[np.ndarray], group: np.ndarray) -> list[np.ndarray]:
    """Cut again the regions around turfs with a long spanning-tree edge (see the module doc).

    Sizes stay within cutter.lo..cutter.hi, runs stay whole, block faces are split further only
    within SPLIT_CAP, and each region changed lowers its turfs' summed spanning tree (over runs)
    less PP_WEIGHT times their summed Polsby-Popper score.
    cutter: a walklists._bisect.Cutter (xy, face, lo, hi); group: run number per door.
    """
    import shapely

    k = len(parts)
    if k < 2:
        return parts
    lo, hi = cutter.lo, cutter.hi
    idx, turf = flat_turfs(parts)
    xy = cutter.xy[idx]
    # units: runs as they lie in turfs now (a run the cut split stays split); nodes: one per unit
    # and place, as flats of a building share a place
    _, unit = np.unique(group[idx].astype(np.int64) * k + turf, return_inverse=True)
    _, face = np.unique(cutter.face[idx], return_inverse=True)
    pl, place = np.unique(xy[:, 0] + 1j * xy[:, 1], return_inverse=True)
    tp = np.unique(turf * pl.size + place)  # one tree node per turf and place
    _, length = spanning_trees(np.column_stack([pl.real, pl.imag]), tp % pl.size, tp // pl.size, k)
    longest = np.zeros(k)
    np.maximum.at(longest, tp // pl.size, length)
    hull = hulls(xy, turf, k)
    pp = pp_scores(hull)
    cands = np.lexsort((np.arange(k), -longest))
    cands = cands[longest[cands] > JUMP_M]
    if cands.size == 0:
        return parts
    # regions: each turf and its nearest hulls before any change (near enough, and found at once),
    # looked for among the turfs with the nearest centres
    cen = np.column_stack([np.bincount(turf, xy[:, 0], k), np.bincount(turf, xy[:, 1], k)])
    cen /= np.bincount(turf, minlength=k)[:, None]
    far = ((cen[cands, None, :] - cen[None, :, :]) ** 2).sum(-1)
    far[np.arange(cands.size), cands] = -1.0
    near = np.argsort(far, axis=1, kind="stable")[:, : min(_SHORTLIST, k)]
    gap = shapely.distance(hull[cands][:, None], hull[near])
    gap[:, 0] = -1.0
    pick = np.argsort(gap, axis=1, kind="stable")[:, : min(REGION, k)]
    regions = np.take_along_axis(near, pick, axis=1)
    splits = np.unique(face * k + turf).size - face.max() - 1
    done = np.zeros(k, dtype=bool)
    for t, region in zip(cands.tolist(), regions):
        region = np.sort(region[~done[region]])  # each turf is cut again at most once
        if done[t] or region.size < 2:
            continue
        out = _recut(region, turf, unit, place, pl, face, k, lo, hi, pp, splits)
        if out is None or out[0] <= 1e-6:
            continue
        _, d, which, new_hull, new_pp, more = out
        splits += more
        turf[d] = region[which]
        hull[region], pp[region] = new_hull, new_pp
        done[region] = True
    return parts_by_turf(idx, turf, k)
