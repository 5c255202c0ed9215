"""Untangling of a cut: buildings lying inside a neighbour's hull move to it (see walklists.cutting).

Moving a building (or a group of them: the cut also moves a turf's buildings on one block face
together) whose doors all lie in turf B's convex hull from turf A to B leaves B's hull as
it is and can only shrink A's, so no two hulls share more area afterwards (the overlap's share of
the summed hull area can still rise a little, as the hulls it divides by shrink). A move is made only when it
adds little walk: the building is no farther from its nearest door in B than from its nearest
other door in A, give or take walk_slack_m. Only buildings holding a corner of A's hull move (so A's hull does shrink and the
rounds end), and in one round a turf only gives or only receives (a hull that gives shrinks and
might no longer hold what it was given). Sizes stay in bounds, and a move may not split a block
face once the cut has used its budget of split faces: moves that join a face's other doors come
first, then those that leave face counts as they are.

On Cambridge, by buildings alone and with no slack, this removes about a tenth of the hull overlap
(BENCHMARKS.md); by buildings and face pieces in turn, with 120 m of slack, about half (see cutting).
"""

from __future__ import annotations

import numpy as np

from ._hull import geos_hulls
from ._polish import maybe_corners
from ._refine import flat_turfs, parts_by_turf

# Rounds of moves; on Cambridge (ward 9 and the city) moves stop coming after 3-4.
_ROUNDS = 4
# Split block faces allowed per turf (the cut's bar is 1: splits are counted on the faces the cut
# is given, as the bar counts them). Below 1, so that trim (walklists._trim, budget 1) has some of
# the budget left: on the city on its centre-lines with trim's 30 rounds over every pair, 1.0 leaves
# 1.36% hull overlap, 0.9 1.18%, 0.8 1.14% (ward 9: 1.90, 1.52, 1.40%).
SPLIT_BUDGET = 0.8
# A move may add this much to the distance from the building to its nearest turf-mate (metres).
# On Cambridge, 0 lowers walking (city 13.71 -> 13.58 m/door) and overlap (13.1% -> 12.1%); 10 m
# lowers overlap a little more (11.8%) but gives back the walk.
WALK_SLACK_M = 0.0


def _corners(xy: np.ndarray, dturf: np.ndarray, hulls) -> np.ndarray:
    """Per door: is it a corner of its turf's hull? Matched on turf and position to the centimetre
    (24 bits a coordinate: 167 km; beyond, a rare false corner only lets a move leave a hull as is)."""
    import shapely

    c, which = shapely.get_coordinates(hulls, return_index=True)
    low = xy.min(0)

    def key(turf, pts):
        cm = np.round((pts - low) * 100).astype(np.int64)
        return (turf.astype(np.int64) << 48) | ((cm[:, 0] & 0xFFFFFF) << 24) | (cm[:, 1] & 0xFFFFFF)

    return np.isin(key(dturf, xy), key(which, c))


def _hulls(xy: np.ndarray, dturf: np.ndarray, which: np.ndarray) -> np.ndarray:
    """Convex hulls of the turfs ``which`` (sorted), from doors' positions and turf numbers."""
    mine = np.flatnonzero(np.isin(dturf, which))
    mine = mine[maybe_corners(xy[mine], dturf[mine])]
    return geos_hulls(xy[mine], np.searchsorted(which, dturf[mine]), which.size)


def _padded(xy: np.ndarray, dturf: np.ndarray, inv: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each turf's door positions in one (k, largest, 2) array, padded far away; and the doors' groups."""
    o = np.argsort(dturf, kind="stable")
    count = np.bincount(dturf, minlength=k)
    slot = np.arange(o.size) - np.repeat(np.cumsum(count) - count, count)
    pad = np.full((k, int(count.max()), 2), 1e12)
    pad_a = np.full((k, int(count.max())), -1, dtype=np.int64)
    pad[dturf[o], slot] = xy[o]
    pad_a[dturf[o], slot] = inv[o]
    return pad, pad_a


def untangle(cutter, parts: list[np.ndarray], group: np.ndarray, walk_slack_m: float = WALK_SLACK_M) -> list[np.ndarray]:
    """Move groups (``group`` per door: buildings, or a face's buildings) into a neighbour whose hull
    holds them. walk_slack_m: how much farther a group may be from its new turf than from its old."""
    import shapely

    k = len(parts)
    if k < 2:
        return parts
    lo, hi = cutter.lo, cutter.hi
    idx, turf = flat_turfs(parts)
    _, inv = np.unique(group[idx].astype(np.int64) * k + turf, return_inverse=True)
    na = int(inv.max()) + 1
    size = np.bincount(inv, minlength=na)
    aturf = np.empty(na, dtype=np.int64)
    aturf[inv] = turf
    xy = cutter.xy[idx]
    order = np.argsort(inv, kind="stable")
    _, face = np.unique(cutter.face[idx], return_inverse=True)
    nf = int(face.max()) + 1
    aface = np.empty(na, dtype=np.int64)
    aface[inv] = face  # one of the building's faces, to order the moves
    start = np.concatenate([[0], np.cumsum(size)])
    fdoors = np.zeros((nf, k), dtype=np.int64)
    np.add.at(fdoors, (face, turf), 1)
    splits = int((fdoors > 0).sum()) - nf
    budget = max(splits, int(SPLIT_BUDGET * k))
    state = {"splits": splits, "moved": 0}

    def _move(r: int, s_: int, d: int) -> bool:
        """Move building r from turf s_ to d unless that splits a face past the budget."""
        fs, fc = np.unique(face[order[start[r] : start[r + 1]]], return_counts=True)
        dl = int((fdoors[fs, d] == 0).sum() - (fdoors[fs, s_] == fc).sum())
        if dl > 0 and state["splits"] + dl > budget:
            return False
        aturf[r] = d
        tsize[s_] -= size[r]
        tsize[d] += size[r]
        fdoors[fs, s_] -= fc
        fdoors[fs, d] += fc
        state["splits"] += dl
        state["moved"] += 1
        return True

    tsize = np.bincount(aturf, size, k).astype(np.int64)
    hulls = _hulls(xy, turf, np.arange(k))
    for _ in range(_ROUNDS):
        dturf = aturf[inv]
        corner = np.zeros(na, dtype=bool)
        corner[inv[_corners(xy, dturf, hulls)]] = True
        cand = np.flatnonzero(corner)
        mine = corner[inv[order]]
        geom = shapely.multipoints(xy[order][mine], indices=np.searchsorted(cand, inv[order][mine]))
        a, t = shapely.STRtree(hulls).query(geom, predicate="covered_by")
        a = cand[a]
        keep = aturf[a] != t
        a, t = a[keep], t[keep]
        if a.size == 0:
            break
        src = aturf[a]
        # the walk a move adds: the building's distance to the nearest door of its new turf, less
        # that to the nearest other door of its old one (a move inside the hull may still be a detour)
        pad, pad_a = _padded(xy, dturf, inv, k)
        axy = np.stack([np.bincount(inv, xy[:, 0], na), np.bincount(inv, xy[:, 1], na)], 1) / size[:, None]
        d_new = np.sqrt(((pad[t] - axy[a, None, :]) ** 2).sum(-1)).min(1)
        d_old = np.where(pad_a[src] == a[:, None], np.inf, np.sqrt(((pad[src] - axy[a, None, :]) ** 2).sum(-1))).min(1)
        fine = d_new <= d_old + walk_slack_m
        a, t, src = a[fine], t[fine], src[fine]
        f = aface[a]
        # change in split faces: the destination may gain the face, the source may lose it
        delta = (fdoors[f, t] == 0).astype(np.int64) - (fdoors[f, src] == size[a]).astype(np.int64)
        role = np.zeros(k, dtype=np.int8)  # 1 gives, 2 receives
        state["moved"] = 0
        # farthest from their turf's centre first: they shrink its hull the most
        cen = np.stack([np.bincount(dturf, xy[:, 0], k), np.bincount(dturf, xy[:, 1], k)], 1)
        cen /= np.maximum(np.bincount(dturf, minlength=k), 1)[:, None]
        reach = np.hypot(*(axy[a] - cen[src]).T)
        for j in np.lexsort((t, a, -reach, delta)).tolist():
            r, d, s_ = int(a[j]), int(t[j]), int(src[j])
            if role[s_] == 2 or role[d] == 1 or aturf[r] != s_:
                continue
            if lo <= tsize[s_] - size[r] and tsize[d] + size[r] <= hi and _move(r, s_, d):
                role[s_], role[d] = 1, 2
        if state["moved"] == 0:
            break
        gave = np.flatnonzero(role == 1)  # receivers' hulls are as they were
        hulls[gave] = _hulls(xy, aturf[inv], gave)
    return parts_by_turf(idx, aturf[inv], k)
