"""Cutting doors into balanced, compact turfs.

Method: recursive balanced bisection. A set of doors that must become k turfs is cut by a straight
line into parts for k//2 and k - k//2 turfs. The line may only fall between atoms (a building's doors
are one atom, so buildings are never split), the door counts on each side must leave every final turf
within tolerance, and among the lines that do, we take the one that splits the fewest block faces,
trading that against the shape of the two parts (parts whose width and height match give turfs with a
high Polsby-Popper score). Eight directions are scored from the covariance of the doors; the three
best-shaped are searched for a cut position; doors are ordered by a key pulled toward their block
face's centre, so a cut tends to pass between faces rather than through one. Straight cuts leave
wedges, so a refinement then moves buildings to a neighbouring turf whose centre is nearer (keeping
sizes in bounds and favouring the turf that holds more of the building's face).

Everything runs on numpy arrays over doors sorted by id, so the result does not depend on input order.
"""

from __future__ import annotations

import math
from typing import Hashable, Iterable, Mapping

import numpy as np

from ._faces import atoms, block_faces
from ._geo import project_doors
from .doors import DEFAULT_CROSSING_M, DEFAULT_PACE, Door, Pace, Turf
from .errors import InvalidTargetSizeError, InvalidToleranceError
from .routing import _check_doors

__all__ = ["cut_turf", "size_bounds", "choose_count"]

_ANGLES = np.arange(8) * (np.pi / 8)
_DIRECTIONS_SEARCHED = 3
# Shape weight, in split block faces per unit of |log aspect ratio| per sqrt(turf count): bigger parts
# have longer boundaries, so their shape matters more than a face or two.
_SHAPE_WEIGHT = 1.5
# Tie-break toward the exact proportional count (split faces per target-size of imbalance), which keeps
# slack for the cuts further down.
_BALANCE_WEIGHT = 2.0
# Parts still to be cut again must be within this share of the tolerance, for the same reason.
_INNER_SLACK = 0.5
# How far each door's sort key is pulled toward its block face's centre: 0 cuts with straight lines,
# 1 keeps faces whole wherever the counts allow, at some cost in straightness.
_FACE_PULL = 0.5
# Refinement: rounds of moves, and the weight of keeping a block face together relative to moving a
# building one typical turf radius (squared) nearer a centre. Higher keeps faces, lower rounds turfs.
_REFINE_ROUNDS = 6
_FACE_AFFINITY = 5.0


def size_bounds(target_size: int, tolerance: float) -> tuple[int, int]:
    """Smallest and largest allowed turf size (door counts) for a target and a relative tolerance."""
    lo = max(1, math.ceil(target_size * (1 - tolerance) - 1e-9))
    hi = max(lo, math.floor(target_size * (1 + tolerance) + 1e-9))
    return lo, hi


def choose_count(n: int, target_size: int, tolerance: float) -> int:
    """Number of turfs for n doors: near n / target_size, with every turf's mean size in tolerance."""
    lo, hi = size_bounds(target_size, tolerance)
    ideal = n / target_size
    cands = sorted({max(1, math.floor(ideal)), max(1, math.ceil(ideal))}, key=lambda k: (abs(k - ideal), k))
    for k in cands:
        if lo <= n / k <= hi:
            return k
    return min(cands, key=lambda k: (abs(n / k - target_size), k))


def _check_target(target_size: object, tolerance: object) -> None:
    if isinstance(target_size, bool) or not isinstance(target_size, int) or target_size < 1:
        raise InvalidTargetSizeError(f"target_size must be an integer >= 1, got {target_size!r}")
    if (
        isinstance(tolerance, bool)
        or not isinstance(tolerance, (int, float))
        or not math.isfinite(tolerance)
        or not 0 <= tolerance < 1
    ):
        raise InvalidToleranceError(f"tolerance must be a number in [0, 1), got {tolerance!r}")


class _Cutter:
    def __init__(self, xy: np.ndarray, face: np.ndarray, atom: np.ndarray, target: int, tol: float):
        self.xy = xy
        self.face = face
        self.atom = atom
        self.target = target
        self.tol = tol

    def bounds(self, k: int, mean: float) -> tuple[float, float]:
        """Allowed door counts for a part that will become k turfs (never excluding the mean)."""
        rel = self.tol if k == 1 else self.tol * _INNER_SLACK
        lo, hi = size_bounds(self.target, rel) if k == 1 else (self.target * (1 - rel), self.target * (1 + rel))
        return k * min(lo, mean), k * max(hi, mean)

    def cut(self, idx: np.ndarray, k: int) -> list[np.ndarray]:
        if k <= 1 or idx.size <= 1:
            return [idx]
        k1 = k // 2
        k2 = k - k1
        n = idx.size
        mean = n / k
        lo1, hi1 = self.bounds(k1, mean)
        lo2, hi2 = self.bounds(k2, mean)
        lo, hi = max(lo1, n - hi2), min(hi1, n - lo2)
        ideal = n * k1 / k

        ua, inv = np.unique(self.atom[idx], return_inverse=True)
        na = ua.size
        if na == 1:
            return [idx]
        size = np.bincount(inv, minlength=na).astype(float)
        x = self.xy[idx, 0]
        y = self.xy[idx, 1]
        cx = np.bincount(inv, x, na) / size
        cy = np.bincount(inv, y, na) / size
        dx = x - x.mean()
        dy = y - y.mean()
        sxx, syy, sxy = float(dx @ dx) / n, float(dy @ dy) / n, float(dx @ dy) / n
        c, s = np.cos(_ANGLES), np.sin(_ANGLES)
        along = np.sqrt(np.maximum(c * c * sxx + 2 * c * s * sxy + s * s * syy, 1e-9))
        perp = np.sqrt(np.maximum(s * s * sxx - 2 * c * s * sxy + c * c * syy, 1e-9))
        shape = np.abs(np.log(along * (k1 / k) / perp)) + np.abs(np.log(along * (k2 / k) / perp))
        shape_cost = _SHAPE_WEIGHT * math.sqrt(k) * shape

        uf, finv = np.unique(self.face[idx], return_inverse=True)
        fsize = np.bincount(finv, minlength=uf.size).astype(float)
        fx = np.bincount(finv, x, uf.size) / fsize
        fy = np.bincount(finv, y, uf.size) / fsize
        # each atom follows the block face of its first door, so faces stay together in the order
        atom_face = np.empty(na, dtype=np.int64)
        atom_face[inv[::-1]] = finv[::-1]
        best = None
        tries = [(int(j), _FACE_PULL) for j in np.argsort(shape_cost, kind="stable")]
        # straight lines (pull 0) step through the doors one building at a time: the fallback
        # whenever whole faces cannot hit the allowed counts
        tries = tries[:_DIRECTIONS_SEARCHED] + [(j, 0.0) for j, _ in tries] + tries[_DIRECTIONS_SEARCHED:]
        for attempt, (j, pull) in enumerate(tries):
            if attempt >= _DIRECTIONS_SEARCHED and best[0] < 1e6:
                break
            proj = (1 - pull) * (cx * c[j] + cy * s[j]) + pull * (fx[atom_face] * c[j] + fy[atom_face] * s[j])
            order = np.lexsort((ua, proj))  # ties broken by atom id: deterministic
            rank = np.empty(na, dtype=np.int64)
            rank[order] = np.arange(na)
            drank = rank[inv]
            fmin = np.full(uf.size, na, dtype=np.int64)
            fmax = np.full(uf.size, -1, dtype=np.int64)
            np.minimum.at(fmin, finv, drank)
            np.maximum.at(fmax, finv, drank)
            diff = np.zeros(na + 1)
            np.add.at(diff, fmin, 1.0)
            np.add.at(diff, fmax, -1.0)
            split = np.cumsum(diff)[: na - 1]  # faces cut by a line after atom rank r
            cum = np.cumsum(size[order])[: na - 1]
            outside = np.maximum(lo - cum, 0) + np.maximum(cum - hi, 0)
            cost = (
                split
                + _BALANCE_WEIGHT * np.abs(cum - ideal) / self.target
                + np.where(outside > 0, 1e6 + outside, 0.0)
                + shape_cost[j]
            )
            r = int(np.argmin(cost))
            if best is None or cost[r] < best[0] - 1e-9:
                best = (float(cost[r]), order, r)
        _, order, r = best
        left_atoms = np.zeros(na, dtype=bool)
        left_atoms[order[: r + 1]] = True
        mask = left_atoms[inv]
        return self.cut(idx[mask], k1) + self.cut(idx[~mask], k2)


def _refine(cutter: _Cutter, parts: list[np.ndarray], rounds: int = _REFINE_ROUNDS) -> list[np.ndarray]:
    """Move buildings to a neighbouring turf whose centre is nearer, keeping every size in bounds.

    Straight cuts leave wedge-shaped turfs; pulling each building toward the nearest turf centre
    (a size-constrained k-means step) rounds them off, which is what Polsby-Popper rewards. A bonus
    for joining the turf that holds more of the building's block face keeps faces whole.
    """
    k = len(parts)
    if k < 2:
        return parts
    lo, hi = size_bounds(cutter.target, cutter.tol)
    idx = np.concatenate(parts)
    turf = np.repeat(np.arange(k), [p.size for p in parts])
    ua, inv = np.unique(cutter.atom[idx], return_inverse=True)
    na = ua.size
    asize = np.bincount(inv, minlength=na)
    xy = cutter.xy[idx]
    axy = np.stack([np.bincount(inv, xy[:, 0], na), np.bincount(inv, xy[:, 1], na)], axis=1) / asize[:, None]
    aturf = np.empty(na, dtype=np.int64)
    aturf[inv] = turf
    uf, finv = np.unique(cutter.face[idx], return_inverse=True)
    aface = np.empty(na, dtype=np.int64)
    aface[inv[::-1]] = finv[::-1]
    nb = min(k - 1, 6)
    for _ in range(rounds):
        tsize = np.bincount(aturf, weights=asize, minlength=k)
        cen = np.stack([np.bincount(aturf, axy[:, 0] * asize, k), np.bincount(aturf, axy[:, 1] * asize, k)], 1)
        cen /= np.maximum(tsize, 1)[:, None]
        spread = np.bincount(aturf, ((axy - cen[aturf]) ** 2).sum(1) * asize, k) / np.maximum(tsize, 1)
        radius2 = float(np.median(spread))  # typical squared distance from a turf's centre
        dcc = ((cen[:, None, :] - cen[None, :, :]) ** 2).sum(-1)
        np.fill_diagonal(dcc, np.inf)
        neigh = np.argsort(dcc, axis=1, kind="stable")[:, :nb]  # candidate turfs per turf
        cand = neigh[aturf]  # (na, nb)
        d_own = ((axy - cen[aturf]) ** 2).sum(1)
        d_c = ((axy[:, None, :] - cen[cand]) ** 2).sum(-1)
        # doors of the same block face already in each turf
        key = aface * k + aturf
        fk, pos = np.unique(key, return_inverse=True)
        fdoors = np.bincount(pos, weights=asize, minlength=fk.size)
        own_face = fdoors[pos] - asize
        ckey = aface[:, None] * k + cand
        cpos = np.minimum(np.searchsorted(fk, ckey), fk.size - 1)
        cand_face = np.where(fk[cpos] == ckey, fdoors[cpos], 0.0)
        gain = (d_own[:, None] - d_c) / max(radius2, 1.0) + _FACE_AFFINITY * (cand_face - own_face[:, None]) / cutter.target
        bj = np.argmax(gain, axis=1)
        bg = gain[np.arange(na), bj]
        movers = np.flatnonzero(bg > 1e-9)
        if movers.size == 0:
            break
        movers = movers[np.lexsort((ua[movers], -bg[movers]))]
        sizes = tsize.astype(np.int64).tolist()
        moved = 0
        for a in movers.tolist():
            src, dst, s_ = int(aturf[a]), int(cand[a, bj[a]]), int(asize[a])
            if sizes[src] - s_ >= lo and sizes[dst] + s_ <= hi:
                sizes[src] -= s_
                sizes[dst] += s_
                aturf[a] = dst
                moved += 1
        if moved == 0:
            break
    dturf = aturf[inv]
    order = np.argsort(dturf, kind="stable")
    bounds = np.searchsorted(dturf[order], np.arange(k + 1))
    return [np.sort(idx[order[bounds[j] : bounds[j + 1]]]) for j in range(k) if bounds[j + 1] > bounds[j]]


def _cut_area(cutter: _Cutter, idx: np.ndarray) -> list[np.ndarray]:
    """Turfs for one area: buildings too big for one turf stand alone, the rest is bisected."""
    _, hi = size_bounds(cutter.target, cutter.tol)
    ua, inv, counts = np.unique(cutter.atom[idx], return_inverse=True, return_counts=True)
    giant = counts[inv] > hi
    parts = [idx[inv == a] for a in np.flatnonzero(counts > hi)]
    rest = idx[~giant]
    if rest.size:
        k = min(choose_count(rest.size, cutter.target, cutter.tol), int((counts <= hi).sum()))
        parts = _refine(cutter, cutter.cut(rest, k)) + parts
    return parts


def _area_sort_key(area: Hashable | None) -> tuple[bool, str, str]:
    return (area is None, type(area).__name__, str(area))


def cut_turf(
    doors: Iterable[Door],
    target_size: int,
    *,
    tolerance: float = 0.10,
    within: Mapping[str, Hashable] | None = None,
    pace: Pace = DEFAULT_PACE,
    crossing_m: float = DEFAULT_CROSSING_M,
) -> list[Turf]:
    """Cut doors into turfs of about target_size doors each.

    tolerance: allowed relative deviation of a turf's size from target_size (0.10 = ±10%). Every turf
    is within it unless one building alone is larger (that building is then a turf of its own) or
    the doors of an area cannot be shared out that evenly (e.g. 15 doors with target 10).
    within: optional {door_id: area_code}; turfs never span two areas; doors missing from the mapping
    form an area of their own. The number of turfs per area is about its door count / target_size.
    pace, crossing_m: used for each turf's route (see order_route); routes are computed lazily.
    Turfs come grouped by area, neighbours next to each other. Same doors in any order, same turfs.
    """
    ds = _check_doors(doors)
    _check_target(target_size, tolerance)
    xy, _ = project_doors(ds)
    face = block_faces(ds, xy)
    atom = atoms(ds)
    areas: dict[Hashable | None, list[int]] = {}
    if within is None:
        areas[None] = list(range(len(ds)))
    else:
        for i, d in enumerate(ds):
            areas.setdefault(within.get(d.id), []).append(i)
        # a building straddling two areas is cut by the area boundary, not by us
        codes = {a: j for j, a in enumerate(sorted(areas, key=_area_sort_key))}
        area_of = np.empty(len(ds), dtype=np.int64)
        for a, members in areas.items():
            area_of[members] = codes[a]
        atom = atom * len(codes) + area_of
    cutter = _Cutter(xy, face, atom, target_size, float(tolerance))
    turfs: list[Turf] = []
    for area in sorted(areas, key=_area_sort_key):
        for part in _cut_area(cutter, np.asarray(areas[area], dtype=np.int64)):
            turfs.append(Turf([ds[i] for i in part], area=area, pace=pace, crossing_m=crossing_m))
    return turfs
