"""Cutting doors into balanced, compact turfs.

Method: recursive balanced bisection over face runs, then four refinements.

1. Units: each block face (see walklists._faces) is one unit, or, when longer than a third of the
   target size, a few runs of nearly equal size in walking order; a building goes with the face of its
   first door. A set of doors that must become k turfs is cut by a straight line into parts for k//2
   and k - k//2 turfs; the line falls between units, so it splits no block face (only the runs of long
   faces), and the door counts on each side must leave every final turf within tolerance. Among those
   lines we trade balance against the shape of the two parts (parts whose width and height match give
   turfs with a high Polsby-Popper score). When no line between units hits the allowed counts, lines
   between buildings are used (doors pulled toward their face's centre, then straight).
2. Refinement: straight cuts leave wedges; face runs move (or swap) to a neighbouring turf whose centre
   is nearer, keeping sizes in bounds (a size-constrained k-means step on whole runs).
   (walklists._refine)
3. Polish: runs holding a hull corner of a turf move to a neighbour when that raises the two turfs'
   summed Polsby-Popper score net of the walk it adds, keeps sizes in bounds and splits no further
   face (walklists._polish).
4. Regroup: a turf whose spanning tree has a long edge (a gap the canvasser walks) is cut again with
   its nearest neighbours along their spanning tree, kept when the walk saved beats the shape lost at
   the walk search's rate (walklists._regroup).
5. Walk search: runs hanging off their turf's spanning tree move to a neighbour when the walk saved
   plus the Polsby-Popper score gained (at polish's rate) is positive, as in 3 (walklists._walk).
6. Untangle: a building (then a turf's buildings on one block face) lying inside a
   neighbour's convex hull and holding a corner of its own turf's hull moves to that neighbour when
   sizes, the split-face budget and its walk allow; such a move never makes two hulls share more
   area (walklists._untangle).
7. Trim: buildings and face pieces holding a hull corner of a turf whose hull overlaps a
   neighbour's by much move where the area the hulls share drops most, net of shape
   (walklists._trim).
8. Mend: the rest of a split block face joins the turf holding most of it, which frees split-face
   budget; then trim again, kept only if the hulls then share less area (walklists._mend).

Everything runs on numpy arrays over doors sorted by id, so the result does not depend on input order.
"""

from __future__ import annotations

import gc
import math
from typing import Hashable, Iterable, Mapping, Sequence

import numpy as np

from ._faces import atoms, face_positions
from ._far import FAR_GAP_M, far_mask
from ._hamlets import gather_hamlets
from ._geo import project_doors
from ._polish import polish
from ._refine import refine
from ._regroup import regroup
from ._mend import mend_and_trim
from ._trim import PP_FLOOR, trim
from ._untangle import untangle
from ._walk import walk
from .doors import DEFAULT_CROSSING_M, DEFAULT_PACE, Door, Pace, Turf
from .errors import InvalidStreetError, InvalidTargetSizeError, InvalidToleranceError
from .streets import StreetLine
from ._street_faces import node_lines, street_face_positions
from ._bisect import Cutter, size_bounds
from .routing import check_doors

__all__ = ["cut_turf", "far_doors", "size_bounds", "choose_count"]

# Refinement: rounds of moves, and the weight of keeping a block face together relative to moving a
# building one typical turf radius (squared) nearer a centre. Higher keeps faces, lower rounds turfs.
_REFINE_ROUNDS = 6
_FACE_AFFINITY = 5.0
# Longest run of one block face kept whole, as a share of the target size.
_RUN_SHARE = 1 / 3
# Rounds of polish, then walk search, which also makes the moves that pay in shape. On Cambridge a 2nd
# polish round adds 0.003-0.009 mean Polsby-Popper for 0.03-0.13 m/door; a 4th walk round, < 0.04 m/door.
_POLISH_ROUNDS = 1
_WALK_ROUNDS = 3
# Untangle by buildings, then by face pieces, each move adding at most this much walk (metres).
# On Cambridge's city on its centre-lines, hull overlap: buildings alone with no slack 5.79%; then
# face pieces, 120 m: 3.92%. Both again: 2.71% (60 m: 3.05%; no limit: 2.73%), but the city cut
# then takes about a third more CPU; trim's rounds over every pair reach 1.14% for less (walklists._trim).
_UNTANGLE_SLACK_M = 120.0


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


def _units(face: np.ndarray, pos: np.ndarray, atom: np.ndarray, idx: np.ndarray, cap: float) -> np.ndarray:
    """Unit number per door of idx: its block face, cut into runs of at most ~cap doors.

    Each building goes with the face of its first door in walking order. A long face is cut into the
    fewest runs of at most cap doors, of nearly equal size, between buildings in walking order.
    """
    ua, inv = np.unique(atom[idx], return_inverse=True)
    na = ua.size
    asize = np.bincount(inv, minlength=na)
    first = np.full(na, np.iinfo(np.int64).max)
    np.minimum.at(first, inv, pos[idx])  # first door of each atom along its face
    door_at = np.empty(pos.max() + 1 if pos.size else 0, dtype=np.int64)
    door_at[pos] = np.arange(pos.size)
    aface = face[door_at[first]]
    order = np.lexsort((first, aface))
    f_o = aface[order]
    s_o = asize[order]
    start = np.ones(na, dtype=bool)
    start[1:] = f_o[1:] != f_o[:-1]
    fid = np.cumsum(start) - 1
    ftot = np.bincount(fid, s_o)
    cum = np.cumsum(s_o) - s_o
    before = cum - cum[np.flatnonzero(start)][fid]  # doors of the face before this atom
    runs = np.ceil(ftot / cap)
    chunk = np.floor((before + s_o / 2.0) * runs[fid] / ftot[fid]).astype(np.int64)
    ukey = fid * (int(runs.max()) + 1) + chunk
    aunit = np.empty(na, dtype=np.int64)
    aunit[order] = np.unique(ukey, return_inverse=True)[1]
    return aunit[inv]


def _face_pieces(cutter: Cutter) -> np.ndarray:
    """Per door, the block face of its building's first door: buildings on one face move together,
    and a building on a corner goes whole with one of its faces."""
    _, first, inv = np.unique(cutter.atom, return_index=True, return_inverse=True)
    return cutter.face[first][inv]


def _cut_area(cutter: Cutter, idx: np.ndarray) -> list[np.ndarray]:
    """Turfs for one area: buildings too big for one turf stand alone, the rest is bisected."""
    _, hi = size_bounds(cutter.target, cutter.tol)
    ua, inv, counts = np.unique(cutter.atom[idx], return_inverse=True, return_counts=True)
    giant = counts[inv] > hi
    parts = giants = [idx[inv == a] for a in np.flatnonzero(counts > hi)]
    rest = idx[~giant]
    if rest.size:
        k = min(choose_count(rest.size, cutter.target, cutter.tol), int((counts <= hi).sum()))
        unit = np.zeros(cutter.atom.size, dtype=np.int64)
        unit[rest] = _units(cutter.face, cutter.pos, cutter.atom, rest, max(1.0, cutter.target * _RUN_SHARE))
        cutter = cutter.for_units(unit)
        parts = refine(cutter, cutter.cut(rest, k), unit, int(_REFINE_ROUNDS), _FACE_AFFINITY)
        parts = polish(cutter, parts, unit, int(_POLISH_ROUNDS))
        parts = regroup(cutter, parts, unit)
        parts = walk(cutter, parts, unit, int(_WALK_ROUNDS))
        pieces = _face_pieces(cutter)
        for group in (cutter.atom, pieces):
            parts = untangle(cutter, parts, group, _UNTANGLE_SLACK_M)
        parts = mend_and_trim(cutter, parts, cutter.atom, lambda p, c, r, n: trim(cutter, p, cutter.atom, pieces, c, r, n), PP_FLOOR)
        parts = gather_hamlets(cutter, parts)
        parts = parts + giants
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
    streets: Sequence[StreetLine] | None = None,
) -> list[Turf]:
    """Cut doors into turfs of about target_size doors each.

    tolerance: allowed relative deviation of a turf's size from target_size (0.10 = ±10%). Every turf
    is within it unless one building alone is larger (that building is then a turf of its own) or
    the doors of an area cannot be shared out that evenly (e.g. 15 doors with target 10).
    within: optional {door_id: area_code}; turfs never span two areas; doors missing from the mapping
    form an area of their own. The number of turfs per area is about its door count / target_size.
    pace, crossing_m: used for each turf's route (see order_route); routes are computed lazily.
    Doors far from the rest (see far_doors: a group more than FAR_GAP_M from the main body, such as
    a mistyped coordinate) never share a turf with the main body: each far group is cut on its own
    and its turfs have ``far=True`` (they may be smaller than the tolerance allows).
    streets: optional street centre-lines (split where they share a vertex with another line, so each
    piece ends at junctions); block faces are then the doors on one side of one piece (walklists._street_faces) instead of being inferred from the doors, so
    turfs split where the streets meet.
    Turfs come grouped by area, neighbours next to each other. Same doors (and streets) in any
    order, same turfs.
    """
    # The cut makes no reference cycles, but so many short-lived objects that the cyclic collector
    # makes 3-4 full passes over everything the process holds during a city cut: 0.27-0.36 s of a
    # 2.6 s cut in a process holding two copies of the city's doors; the cut took 0-10% less CPU
    # without them in one holding one copy (BENCHMARKS.md, session 15).
    was_on = gc.isenabled()
    gc.disable()
    try:
        return _cut(doors, target_size, tolerance, within, pace, crossing_m, streets)
    finally:
        if was_on:
            gc.enable()


def _cut(doors, target_size, tolerance, within, pace, crossing_m, streets) -> list[Turf]:
    ds = check_doors(doors)
    _check_target(target_size, tolerance)
    if streets:
        lines = list(streets)
        bad = next((s for s in lines if not isinstance(s, StreetLine)), None)
        if bad is not None:
            raise InvalidStreetError(f"streets must be StreetLine values, got {type(bad).__name__}")
        lines = node_lines(sorted(lines, key=lambda s: (str(s.id), s.coords)))
        xy, lxy = project_doors(ds, [c for s in lines for c in s.coords])
        face, pos = street_face_positions(ds, xy, lines, lxy)
    else:
        xy, _ = project_doors(ds)
        face, pos = face_positions(ds, xy)
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
    group, far = far_mask(xy)
    cutter = Cutter(xy, face, pos, atom, target_size, float(tolerance))
    turfs: list[Turf] = []
    for area in sorted(areas, key=_area_sort_key):
        idx = np.asarray(areas[area], dtype=np.int64)
        # the main body first, then each far group on its own, so none shares a turf with another
        pieces = [(False, idx[~far[idx]])] + [(True, idx[group[idx] == g]) for g in np.unique(group[idx[far[idx]]])]
        for is_far, piece in pieces:
            if piece.size:
                for part in _cut_area(cutter, piece):
                    turfs.append(Turf([ds[i] for i in part], area=area, pace=pace, crossing_m=crossing_m, far=is_far))
    return turfs


def far_doors(doors: Iterable[Door]) -> list[Door]:
    """Doors far from the rest (sorted by id): those not linked to the main body by steps of at most
    FAR_GAP_M metres (see walklists._far). cut_turf gives them turfs of their own, flagged ``far``."""
    ds = check_doors(doors)
    xy, _ = project_doors(ds)
    return [d for d, f in zip(ds, far_mask(xy, FAR_GAP_M)[1]) if f]
