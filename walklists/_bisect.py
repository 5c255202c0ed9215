"""Recursive balanced bisection, step 1 of cutting (see walklists.cutting): a set of doors that must
become k turfs is cut by a straight line between units (face runs or buildings) into parts for k//2
and k - k//2 turfs, trading the balance of the two parts against their shape."""
from __future__ import annotations

import math

import numpy as np

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
def size_bounds(target_size: int, tolerance: float) -> tuple[int, int]:
    """Smallest and largest allowed turf size (door counts) for a target and a relative tolerance."""
    lo = max(1, math.ceil(target_size * (1 - tolerance) - 1e-9))
    hi = max(lo, math.floor(target_size * (1 + tolerance) + 1e-9))
    return lo, hi


class Cutter:
    def __init__(self, xy: np.ndarray, face: np.ndarray, pos: np.ndarray, atom: np.ndarray, target: int, tol: float,
                 unit: np.ndarray | None = None):
        self.xy = xy
        self.face = face
        self.pos = pos    # each door's position along its block face (face_positions)
        self.atom = atom
        self.unit = atom if unit is None else unit  # what a cut moves whole: atoms, or an area's face runs
        self.target = target
        self.tol = tol
        self.lo, self.hi = size_bounds(target, tol)  # final turf sizes, in doors

    def for_units(self, unit: np.ndarray) -> Cutter:
        """The same cutter, moving ``unit`` groups whole instead of its own."""
        return Cutter(self.xy, self.face, self.pos, self.atom, self.target, self.tol, unit)

    def bounds(self, k: int, mean: float) -> tuple[float, float]:
        """Allowed door counts for a part that will become k turfs (never excluding the mean)."""
        rel = self.tol if k == 1 else self.tol * _INNER_SLACK
        lo, hi = size_bounds(self.target, rel) if k == 1 else (self.target * (1 - rel), self.target * (1 + rel))
        return k * min(lo, mean), k * max(hi, mean)

    def _line(self, idx, group, tries, n_first, lo, hi, ideal, k, k1, k2, best):
        """Best cut between groups (units or atoms) of idx along the given (direction, pull) tries."""
        ua, inv = np.unique(group[idx], return_inverse=True)
        na = ua.size
        if na == 1:
            return best
        size = np.bincount(inv, minlength=na).astype(float)
        x = self.xy[idx, 0]
        y = self.xy[idx, 1]
        cx = np.bincount(inv, x, na) / size
        cy = np.bincount(inv, y, na) / size
        uf, finv = np.unique(self.face[idx], return_inverse=True)
        fsize = np.bincount(finv, minlength=uf.size).astype(float)
        fx = np.bincount(finv, x, uf.size) / fsize
        fy = np.bincount(finv, y, uf.size) / fsize
        # each group follows the block face of its first door, so faces stay together in the order
        gface = np.empty(na, dtype=np.int64)
        gface[inv[::-1]] = finv[::-1]
        c, s = np.cos(_ANGLES), np.sin(_ANGLES)
        for attempt, (j, pull, shape_cost) in enumerate(tries):
            if attempt >= n_first and best is not None and best[0] < 1e6:
                break
            proj = (1 - pull) * (cx * c[j] + cy * s[j]) + pull * (fx[gface] * c[j] + fy[gface] * s[j])
            order = np.lexsort((ua, proj))  # ties broken by group id: deterministic
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
            split = np.cumsum(diff)[: na - 1]  # faces cut by a line after group rank r
            cum = np.cumsum(size[order])[: na - 1]
            outside = np.maximum(lo - cum, 0) + np.maximum(cum - hi, 0)
            cost = (
                split
                + _BALANCE_WEIGHT * np.abs(cum - ideal) / self.target
                + np.where(outside > 0, 1e6 + outside, 0.0)
                + shape_cost
            )
            r = int(np.argmin(cost))
            if best is None or cost[r] < best[0] - 1e-9:
                left = np.zeros(na, dtype=bool)
                left[order[: r + 1]] = True
                best = (float(cost[r]), left[inv])
        return best

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
        if math.ceil(lo - 1e-9) > math.floor(hi + 1e-9):
            # the preferred counts leave no whole number (175 doors into 2 + 2 turfs of 43-51 must
            # not ask for exactly 87.5 each): fall back to any split the final sizes allow
            lo = max(k1 * self.lo, n - k2 * self.hi)
            hi = min(k1 * self.hi, n - k2 * self.lo)
        ideal = n * k1 / k

        x = self.xy[idx, 0]
        y = self.xy[idx, 1]
        dx = x - x.mean()
        dy = y - y.mean()
        sxx, syy, sxy = float(dx @ dx) / n, float(dy @ dy) / n, float(dx @ dy) / n
        c, s = np.cos(_ANGLES), np.sin(_ANGLES)
        along = np.sqrt(np.maximum(c * c * sxx + 2 * c * s * sxy + s * s * syy, 1e-9))
        perp = np.sqrt(np.maximum(s * s * sxx - 2 * c * s * sxy + c * c * syy, 1e-9))
        shape = np.abs(np.log(along * (k1 / k) / perp)) + np.abs(np.log(along * (k2 / k) / perp))
        shape_cost = _SHAPE_WEIGHT * math.sqrt(k) * shape
        dirs = [int(j) for j in np.argsort(shape_cost, kind="stable")]
        # whole face runs first (no face split but the runs of long faces); when no line between
        # runs hits the allowed counts, lines between buildings pulled toward face centres, then
        # straight lines stepping one building at a time
        best = self._line(idx, self.unit, [(j, 0.0, shape_cost[j]) for j in dirs],
                          _DIRECTIONS_SEARCHED, lo, hi, ideal, k, k1, k2, None)
        if best is None or best[0] >= 1e6:
            tries = [(j, _FACE_PULL, shape_cost[j]) for j in dirs[:_DIRECTIONS_SEARCHED]]
            tries += [(j, 0.0, shape_cost[j]) for j in dirs] + [(j, _FACE_PULL, shape_cost[j]) for j in dirs[_DIRECTIONS_SEARCHED:]]
            best = self._line(idx, self.atom, tries, _DIRECTIONS_SEARCHED, lo, hi, ideal, k, k1, k2, best)
        if best is None:
            return [idx]
        mask = best[1]
        return self.cut(idx[mask], k1) + self.cut(idx[~mask], k2)
