"""Walk search after a cut: face runs move to a neighbouring turf when that shortens the walks.

Polish rounds turfs off; what a canvasser walks is the route. A run of doors hanging off its turf by
one long link (across a park, a railway or a wide road) is walked out and back, and a balanced cut
makes many such runs. Routes on Cambridge turfs are 1.10-1.12 times their minimum spanning tree, so
the search works on spanning trees, which it can bound cheaply:

- a run that is a leaf of its turf's tree (its doors a subtree joined to the rest by one edge)
  leaves that tree exactly shorter by its own edges and that joining edge, since a connected
  subtree of a minimum spanning tree is the minimum spanning tree of its points;
- the run's own edges plus its nearest door in another turf span it onto that turf's tree, so
  joining costs at most that.

So moving a leaf run saves at least (joining edge - nearest distance to the other turf). A move is
made when that bound plus the Polsby-Popper score it gains (at PP_WEIGHT metres a unit) is positive:
walk bought with shape, or shape with walk, at the rate polish trades. When a size bound forbids a
move, it may go with a second move that makes room (one of the destination's runs moving on, or
another turf's run refilling the source). Trees are recomputed only for the turfs a round changed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._polish import REACH_M, WALK_WEIGHT, hulls
from ._refine import flat_turfs, parts_by_turf
from ._trees import spanning_trees
from ._walk_shape import pp_change, turf_nodes

# Metres of walk a unit of Polsby-Popper is worth: the rate polish trades at (WALK_WEIGHT per
# REACH_M), so that the two steps agree on which moves pay.
PP_WEIGHT = REACH_M / WALK_WEIGHT
# Moves whose bound is below this (metres) are not scored: the shape a move gains is rarely worth
# more than REACH_M of walk (0.1 of Polsby-Popper).
MIN_BOUND_M = -REACH_M
# Second moves considered per blocked move (the best few by their own bound).
_CHOICES = 2


@dataclass
class Runs:
    """The face runs being moved: the turf each is in now (updated as moves are made), the block
    face of its doors, and its size in doors; k turfs in all."""

    turf: np.ndarray
    face: np.ndarray
    size: np.ndarray
    k: int


@dataclass
class Nodes:
    """Spanning-tree nodes: one per run and place (flats of a building share a place), sorted by
    run. xy in metres; places: the distinct door positions as complex numbers (x + iy), and the
    place of each node; near: pairs of nodes of different runs within REACH_M (a, b, metres)."""

    xy: np.ndarray
    run: np.ndarray
    points: np.ndarray
    tree: object
    places: np.ndarray
    place: np.ndarray
    near: tuple[np.ndarray, np.ndarray, np.ndarray]


@dataclass
class Plans:
    """Moves worth scoring: a first move (run g1 to turf d1) and an optional second (g2 to d2; -1
    for none), with their spanning-tree saving bound in metres."""

    g1: np.ndarray
    d1: np.ndarray
    g2: np.ndarray
    d2: np.ndarray
    saving: np.ndarray

    def __getitem__(self, keep) -> Plans:
        return Plans(self.g1[keep], self.d1[keep], self.g2[keep], self.d2[keep], self.saving[keep])


def walk(cutter, parts: list[np.ndarray], group: np.ndarray, rounds: int) -> list[np.ndarray]:
    """Move leaf face runs between turfs while that shortens walks (see the module doc).

    Sizes stay within cutter.lo..cutter.hi, no block face is split further, and each round lowers
    the turfs' summed spanning tree less PP_WEIGHT times their summed Polsby-Popper score (or stops).
    cutter: a walklists._bisect.Cutter (xy, face, lo, hi); group: run number per door.
    """
    k = len(parts)
    if k < 2 or rounds <= 0:
        return parts
    idx, turf = flat_turfs(parts)
    ug, ginv = np.unique(group[idx].astype(np.int64) * k + turf, return_inverse=True)
    ng = ug.size
    gsize = np.bincount(ginv, minlength=ng)
    gturf = np.empty(ng, dtype=np.int64)
    gturf[ginv] = turf
    _, finv = np.unique(cutter.face[idx], return_inverse=True)
    gface = np.empty(ng, dtype=np.int64)
    gface[ginv[::-1]] = finv[::-1]
    pure = np.bincount(ginv, finv != gface[ginv], ng) == 0  # runs with doors of one face only
    runs = Runs(gturf, gface, gsize, k)
    nodes = _tree_nodes(cutter.xy[idx], ginv)
    nrun, nxy = nodes.run, nodes.xy
    nstart = np.searchsorted(nrun, np.arange(ng + 1))
    run_hull = hulls(nodes.xy, nrun, ng, nodes.points)

    hull = np.full(k, None, dtype=object)  # convex hull of each turf
    npar = np.full(nrun.size, -1)  # parent node in the turf's tree (-1: root)
    nlen = np.zeros(nrun.size)  # length of the edge to the parent
    # turfs changed last round: their trees and hulls are stale, and plans touching none of them
    # were scored last round already
    changed = np.ones(k, dtype=bool)
    for _ in range(rounds):
        nturf = gturf[nrun]
        redo = np.flatnonzero(changed[nturf])
        par, ln = spanning_trees(nxy, redo, nturf[redo], k)
        npar[redo] = np.where(par >= 0, redo[np.maximum(par, 0)], -1)
        nlen[redo] = ln
        turfs = np.flatnonzero(changed)
        members, which = turf_nodes(nturf, turfs, k)
        hull[turfs] = hulls(nodes.xy[members], which, turfs.size, nodes.points[members])
        # leaf runs: exactly one tree edge out of the run, and the run's own nodes a subtree
        u = np.flatnonzero(npar >= 0)
        ru, rp = nrun[u], nrun[npar[u]]
        cut = ru != rp
        inner = np.bincount(ru[~cut], minlength=ng)
        outs = np.bincount(ru[cut], minlength=ng) + np.bincount(rp[cut], minlength=ng)
        leaf = (outs == 1) & (inner == np.diff(nstart) - 1) & pure
        join = np.bincount(ru[cut], nlen[u[cut]], ng) + np.bincount(rp[cut], nlen[u[cut]], ng)
        cg, ct, bound, via = _candidates(leaf, join, nturf, nodes, runs)
        tsize = np.bincount(gturf, weights=gsize, minlength=k).astype(np.int64)
        plans = _plans(cg, ct, bound, via, runs, tsize, cutter.lo, cutter.hi)
        touched = np.column_stack([gturf[plans.g1], plans.d1, np.where(plans.g2 >= 0, gturf[plans.g2], -1), plans.d2])
        live = (changed[touched] & (touched >= 0)).any(axis=1)
        if not live.any():
            break
        plans, touched = plans[live], touched[live]
        gain = plans.saving + PP_WEIGHT * pp_change(plans, touched, nodes, nturf, hull, run_hull)
        # best plans first, each turf in one plan a round: the bounds hold for disjoint plans
        used = np.zeros(k, dtype=bool)
        for i in np.lexsort((plans.d2, plans.g2, plans.d1, plans.g1, -gain)).tolist():
            if gain[i] <= 1e-6:
                break
            t = touched[i][touched[i] >= 0]
            if used[t].any():
                continue
            used[t] = True
            gturf[plans.g1[i]] = plans.d1[i]
            if plans.g2[i] >= 0:
                gturf[plans.g2[i]] = plans.d2[i]
        if not used.any():
            break
        changed = used
    return parts_by_turf(idx, gturf[ginv], k)


def _tree_nodes(xy: np.ndarray, run_of_door: np.ndarray) -> Nodes:
    """The spanning-tree nodes of these doors (xy in metres) grouped in runs, and the node pairs
    of different runs within REACH_M, found once: positions do not change."""
    import shapely

    places, place = np.unique(xy[:, 0] + 1j * xy[:, 1], return_inverse=True)
    node = np.unique(run_of_door.astype(np.int64) * places.size + place)
    nrun, nplace = node // places.size, node % places.size
    nxy = np.column_stack([places.real[nplace], places.imag[nplace]])
    points = shapely.points(nxy)
    tree = shapely.STRtree(points)
    a, b = tree.query(points, predicate="dwithin", distance=REACH_M)
    a, b = a[nrun[a] != nrun[b]], b[nrun[a] != nrun[b]]
    return Nodes(nxy, nrun, points, tree, places, nplace, (a, b, np.hypot(*(nxy[a] - nxy[b]).T)))


def _candidates(leaf: np.ndarray, join: np.ndarray, nturf: np.ndarray, nodes: Nodes, runs: Runs):
    """Moves of leaf runs to their nearest other turfs: (run, turf, spanning-tree saving bound, run
    holding the nearest node there), for moves that split no block face further.
    leaf: which runs are leaves of their turf's tree; join: the length of each run's tree edges out
    of it (metres); nturf: each node's turf."""
    nrun, nxy, gturf, gface, gsize, k = nodes.run, nodes.xy, runs.turf, runs.face, runs.size, runs.k
    a, b, d = nodes.near
    m = leaf[nrun[a]] & (nturf[a] != nturf[b])
    a, b, d = a[m], b[m], d[m]
    # runs hanging farther out than REACH_M may be nearer another turf than their own still
    far = np.flatnonzero(leaf[nrun] & (join[nrun] > REACH_M))
    if far.size:
        fa, fb = nodes.tree.query(nodes.points[far], predicate="dwithin", distance=join[nrun[far]])
        fa = far[fa]
        keep = nturf[fa] != nturf[fb]
        fa, fb = fa[keep], fb[keep]
        a, b = np.concatenate([a, fa]), np.concatenate([b, fb])
        d = np.concatenate([d, np.hypot(*(nxy[fa] - nxy[fb]).T)])
    cg, ct = nrun[a], nturf[b]
    order = np.lexsort((b, d, ct, cg))  # nearest first per (run, turf); ties by node
    cg, ct, d, b = cg[order], ct[order], d[order], b[order]
    first = np.ones(cg.size, dtype=bool)
    first[1:] = (cg[1:] != cg[:-1]) | (ct[1:] != ct[:-1])
    cg, ct, d, b = cg[first], ct[first], d[first], b[first]
    bound = join[cg] - d
    # the run takes its whole face along, or joins a turf that holds the face already
    fk, fpos = np.unique(gface * k + gturf, return_inverse=True)
    fdoors = np.bincount(fpos, weights=gsize, minlength=fk.size)
    stays = (fdoors[fpos] - gsize > 0)[cg]
    dkey = gface[cg] * k + ct
    there = fk[np.minimum(np.searchsorted(fk, dkey), fk.size - 1)] == dkey
    ok = (bound > MIN_BOUND_M) & (~stays | there)
    return cg[ok], ct[ok], bound[ok], nrun[b[ok]]


def _plans(cg, ct, bound, via, runs: Runs, tsize: np.ndarray, lo: float, hi: float) -> Plans:
    """The candidate moves (run cg to turf ct, with their bound) worth scoring: one run moves
    alone, or with a second move when it alone breaks a size bound (lo..hi doors; tsize: each
    turf's size now). via: the run holding each candidate's nearest node in its destination."""
    gturf, gface = runs.turf, runs.face
    src, s = gturf[cg], runs.size[cg]
    alone = (tsize[src] - s >= lo) & (tsize[ct] + s <= hi)
    # for each turf, the best few moves out of it and into it (by their bound), -1 padded
    order = np.lexsort((ct, cg, -bound))
    best = []
    for key in (src, ct):
        o = order[np.argsort(key[order], kind="stable")]
        start = np.searchsorted(key[o], key[o])
        rank = np.arange(o.size) - start
        table = np.full((tsize.size, _CHOICES), -1)
        keep = rank < _CHOICES
        table[key[o][keep], rank[keep]] = o[keep]
        best.append(table)
    i = np.flatnonzero(~alone)
    # the room comes from the destination's moves out, or the source's moves in
    j = np.concatenate([best[0][ct[i]], best[1][src[i]]], axis=1)
    i = np.repeat(i, j.shape[1])
    j = j.ravel()
    i, j = i[j >= 0], j[j >= 0]
    g, h = cg[i], cg[j]
    # the two bounds add up only while neither run is the other's way in; a shared block face
    # could be split by the pair
    ok = (h != g) & (via[i] != h) & (via[j] != g) & (gface[g] != gface[h])
    ends = np.column_stack([src[i], ct[i], src[j], ct[j]])
    for t in ends.T:
        size = tsize[t] + s[i] * ((t == ct[i]) * 1 - (t == src[i]))
        size += s[j] * ((t == ct[j]) * 1 - (t == src[j]))
        ok &= (size >= lo) & (size <= hi)
    i, j = i[ok], j[ok]
    none = np.full(int(alone.sum()), -1)
    return Plans(
        np.concatenate([cg[alone], cg[i]]),
        np.concatenate([ct[alone], ct[i]]),
        np.concatenate([none, cg[j]]),
        np.concatenate([none, ct[j]]),
        np.concatenate([bound[alone], bound[i] + bound[j]]),
    )
