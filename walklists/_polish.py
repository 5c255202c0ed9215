"""Polish of a cut: face runs move between turfs to round them off (see walklists.cutting).

A move is worth its gain in the two turfs' Polsby-Popper scores, less the walk it adds: a run whose
nearest doors stay behind is a detour for the canvasser of the turf it joins. The walk is estimated
from the run's nearest door in each turf (within REACH_M), which tracks the turf's spanning tree and so
its route (routes on Cambridge turfs are about 1.12 times their spanning tree).
"""

from __future__ import annotations

import numpy as np

from ._refine import flat_turfs, parts_by_turf

# How far a run's nearest door in a turf is looked for (metres); farther counts as REACH_M.
REACH_M = 60.0
# Polsby-Popper given up per REACH_M of added walk. Measured on Cambridge (ward 9 and the city): 0
# polishes for shape alone and costs ~0.7 walking metres per door over no polish; 0.1 costs ~0.2 and
# keeps mean Polsby-Popper above 0.75 (ward 9: 0.756, the binding case); 0.2 drops ward 9 to 0.746.
WALK_WEIGHT = 0.1
# Polish only turfs scoring below this.
POLISH_BELOW = 1.0
# hulls: drop points inside their group's extremes first only when groups average more points than
# this (on Cambridge, turfs of 72 doors: 20-30% quicker; face runs of a few doors: slower)
_FILTER_FROM = 12


class _Near:
    """Nearest-door distances between face runs (groups), looked up only for the runs that may move."""

    def __init__(self, xy: np.ndarray, ginv: np.ndarray):
        import shapely

        # one point per group and place: flats of a building would otherwise pair up by the thousand
        rows = np.unique(np.column_stack([ginv.astype(float), xy]), axis=0)
        self.g_of, self.xy = rows[:, 0].astype(np.int64), rows[:, 1:]
        self.P = shapely.points(self.xy)
        self.tree = shapely.STRtree(self.P)

    def attach(self, groups: np.ndarray, turfs: np.ndarray, gturf: np.ndarray, k: int) -> np.ndarray:
        """Metres from each group to the nearest door of the paired turf(s), not its own (<= REACH_M).

        turfs: one turf per group, or (len(groups), m) turfs per group.
        """
        mine = np.flatnonzero(np.isin(self.g_of, groups))
        a, b = self.tree.query(self.P[mine], predicate="dwithin", distance=REACH_M)
        a = mine[a]
        ga, gb = self.g_of[a], self.g_of[b]
        keep = ga != gb
        a, b, ga, gb = a[keep], b[keep], ga[keep], gb[keep]
        d = np.hypot(self.xy[a, 0] - self.xy[b, 0], self.xy[a, 1] - self.xy[b, 1])
        key, pos = np.unique(ga * k + gturf[gb], return_inverse=True)
        best = np.full(key.size, np.inf)
        np.minimum.at(best, pos, d)
        want = (groups.reshape(-1, 1) * k + turfs.reshape(len(groups), -1)).reshape(np.shape(turfs))
        if key.size == 0:
            return np.full(np.shape(want), REACH_M)  # no neighbour within reach: the same shape as asked for
        at = np.minimum(np.searchsorted(key, want), key.size - 1)
        return np.where(key[at] == want, np.minimum(best[at], REACH_M), REACH_M)


def maybe_corners(xy: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Mask of the points that may be corners of their group's convex hull: all but those strictly
    inside the quadrilateral of the group's leftmost, lowest, rightmost and highest points (its
    corners are points of the group, so such a point is strictly inside the hull, and dropping it
    leaves the hull as it was)."""
    n = xy.shape[0]
    if n == 0:
        return np.zeros(0, dtype=bool)
    x, y = xy[:, 0], xy[:, 1]
    size = int(which.max()) + 1
    ends = []
    for a, b in ((x, y), (y, x)):
        o = np.lexsort((b, a, which))  # by group, then along a
        w = which[o]
        first = np.flatnonzero(np.r_[True, w[1:] != w[:-1]])
        last = np.r_[first[1:] - 1, n - 1]
        lo, hi = np.zeros(size, dtype=np.int64), np.zeros(size, dtype=np.int64)
        lo[w[first]], hi[w[first]] = o[first], o[last]
        ends.append((lo[which], hi[which]))
    (left, right), (low, high) = ends
    inside = np.ones(n, dtype=bool)
    for a, b in ((left, low), (low, right), (right, high), (high, left)):  # anticlockwise
        inside &= (x[b] - x[a]) * (y - y[a]) - (y[b] - y[a]) * (x - x[a]) > 0
    return ~inside


def hulls(xy: np.ndarray, which: np.ndarray, count: int, points: np.ndarray | None = None):
    """Convex hull of each group of points (xy: (n, 2) metres); which: group per point, 0..count-1.
    points: unused (the same points as shapely geometries: GEOS built the hulls from them once).
    The hulls are GEOS's to the coordinate, built by walklists._hull without a GEOS point per door.
    """
    from ._hull import geos_hulls

    # small groups (face runs) are mostly corners anyway
    if xy.shape[0] > _FILTER_FROM * count:
        keep = maybe_corners(xy, which)
        xy, which = xy[keep], which[keep]
    return geos_hulls(xy, which, count)


def pp_scores(hull) -> np.ndarray:
    import shapely

    area = np.nan_to_num(shapely.area(hull))
    length = np.nan_to_num(shapely.length(hull))
    return np.where(length > 0, 4 * np.pi * area / np.maximum(length, 1e-9) ** 2, 0.0)


def polish(cutter, parts: list[np.ndarray], group: np.ndarray, rounds: int) -> list[np.ndarray]:
    """Raise Polsby-Popper directly: move a whole face run that holds a corner of a poorly shaped
    turf's hull into a neighbouring turf when that raises the two turfs' summed score, net of the
    walk it adds (see _Near), keeps sizes in bounds and splits no further block face. Candidates
    are scored in one batch per round. cutter: a walklists._bisect.Cutter (xy, face, lo, hi)."""
    import shapely

    k = len(parts)
    if k < 2 or rounds <= 0:
        return parts
    lo, hi = cutter.lo, cutter.hi
    idx, turf = flat_turfs(parts)
    # groups split by the cut between turfs move as their parts
    ug, ginv = np.unique(group[idx].astype(np.int64) * k + turf, return_inverse=True)
    ng = ug.size
    gsize = np.bincount(ginv, minlength=ng)
    xy = cutter.xy[idx]
    gxy = np.stack([np.bincount(ginv, xy[:, 0], ng), np.bincount(ginv, xy[:, 1], ng)], 1) / gsize[:, None]
    gturf = np.empty(ng, dtype=np.int64)
    gturf[ginv] = turf
    uf, finv = np.unique(cutter.face[idx], return_inverse=True)
    gface = np.empty(ng, dtype=np.int64)
    gface[ginv[::-1]] = finv[::-1]
    fmax = np.full(ng, -1, dtype=np.int64)
    np.maximum.at(fmax, ginv, finv)
    fmin = np.full(ng, uf.size, dtype=np.int64)
    np.minimum.at(fmin, ginv, finv)
    pure = fmin == fmax  # only groups with doors of one block face move here
    dorder = np.argsort(ginv, kind="stable")  # doors by group: a group's doors are one slice
    gstart = np.concatenate([[0], np.cumsum(gsize)])
    nb = min(k - 1, 3)
    P = shapely.points(xy)  # once: the hulls below take subsets of them
    places, place = np.unique(xy[:, 0] + 1j * xy[:, 1], return_inverse=True)  # complex: sorts by x, then y
    near = _Near(xy, ginv)
    for _ in range(rounds):
        dturf = gturf[ginv]
        hull = hulls(xy, dturf, k, P)
        pp = pp_scores(hull)
        tsize = np.bincount(gturf, weights=gsize, minlength=k).astype(np.int64)
        # groups holding a hull corner of a poorly shaped turf: only they change its hull
        corner = np.zeros(ng, dtype=bool)
        bad_t = np.flatnonzero(pp < POLISH_BELOW)
        if bad_t.size == 0:
            break
        bad = np.zeros(k, dtype=bool)
        bad[bad_t] = True
        on = np.flatnonzero(bad[dturf])
        # hull vertices are door coordinates exactly: match them as (place, turf) integer keys
        vxy, vi = shapely.get_coordinates(hull[bad_t], return_index=True)
        vplace = np.searchsorted(places, vxy[:, 0] + 1j * vxy[:, 1])
        touch = np.isin(place[on] * k + dturf[on], vplace * k + bad_t[vi])
        corner[ginv[on[touch]]] = True
        cg = np.flatnonzero(corner & pure & (tsize[gturf] - gsize >= lo))
        if cg.size == 0:
            break
        cen = np.stack([np.bincount(gturf, gxy[:, 0] * gsize, k), np.bincount(gturf, gxy[:, 1] * gsize, k)], 1)
        cen /= np.maximum(tsize, 1)[:, None]
        d2 = ((gxy[cg, None, :] - cen[None, :, :]) ** 2).sum(-1)
        d2[np.arange(cg.size), gturf[cg]] = np.inf
        dst = np.argsort(d2, axis=1, kind="stable")[:, :nb].ravel()
        cgs = np.repeat(cg, nb)
        src = gturf[cgs]
        ok = tsize[dst] + gsize[cgs] <= hi
        # no move may split a block face further
        key = gface * k + gturf
        fk, fpos = np.unique(key, return_inverse=True)
        fdoors = np.bincount(fpos, weights=gsize, minlength=fk.size)
        stays = fdoors[fpos[cgs]] - gsize[cgs] > 0
        dkey = gface[cgs] * k + dst
        there = fk[np.minimum(np.searchsorted(fk, dkey), fk.size - 1)] == dkey
        ok &= stays <= there
        cgs, dst, src = cgs[ok], dst[ok], src[ok]
        if cgs.size == 0:
            break
        # the source without the group (once per group), the destination's hull plus the group
        ug_c, c_of = np.unique(cgs, return_inverse=True)
        sel_src = []
        sel_id = []
        dturf_order = np.argsort(dturf, kind="stable")
        starts = np.searchsorted(dturf[dturf_order], np.arange(k + 1))
        for c, g in enumerate(ug_c.tolist()):
            t_ = int(gturf[g])
            mine = dturf_order[starts[t_] : starts[t_ + 1]]
            mine = mine[ginv[mine] != g]
            sel_src.append(mine)
            sel_id.append(np.full(mine.size, c))
        src_pp = pp_scores(hulls(xy[np.concatenate(sel_src)], np.concatenate(sel_id), ug_c.size, P[np.concatenate(sel_src)]))[c_of]
        sel = np.concatenate([dorder[gstart[g] : gstart[g + 1]] for g in ug_c.tolist()])
        add_hull = hulls(xy[sel], np.repeat(np.arange(ug_c.size), gsize[ug_c]), ug_c.size, P[sel])[c_of]
        dst_pp = pp_scores(shapely.convex_hull(shapely.union(hull[dst], add_hull)))
        gain = src_pp + dst_pp - pp[src] - pp[dst]
        # a run that leaves doors it was walked with for a turf it is far from costs walking
        both = near.attach(cgs, np.stack([dst, src], 1), gturf, k)
        extra = both[:, 0] - both[:, 1]
        gain -= WALK_WEIGHT * extra / REACH_M
        moved = 0
        used = np.zeros(k, dtype=bool)
        for c in np.lexsort((dst, ug[cgs], -gain)).tolist():
            if gain[c] <= 1e-6:
                break
            s_, d_ = int(src[c]), int(dst[c])
            if used[s_] or used[d_]:
                continue
            used[s_] = used[d_] = True
            gturf[cgs[c]] = d_
            moved += 1
        if moved == 0:
            break
    return parts_by_turf(idx, gturf[ginv], k)
