"""Quality measures for turfs and routes, shared by the tests and the benchmark.

Definitions:
- balance: each turf's size divided by the target; share_within = share of turfs within tolerance.
- Polsby-Popper of a turf: 4*pi*area / perimeter**2 of the convex hull of its doors, in local metres
  (1 for a circle, 0.785 for a square); turfs whose doors do not span an area (< 3 distinct,
  non-collinear points) are left out of the mean.
- split block faces: a block face (see walklists._faces) whose doors fall in p > 1 turfs counts p - 1
  splits; reported in total and per turf.
- walking metres per door: sum of route lengths / number of doors.
- route gap: length / reference length - 1 (0.02 = 2% longer than the reference).
- hull overlap: area shared by two turfs' convex hulls, summed over pairs of turfs, /
  summed hull area, in local metres: 0 when no two turfs' hulls overlap.
- long hops: turfs whose doors cannot all be linked by steps of at most 1 km (a canvasser walks
  over 1 km between two of its doors whatever the route).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Hashable, Sequence

import numpy as np
import shapely

from ._faces import block_faces
from ._far import linked_groups
from ._geo import project_doors
from .cutting import size_bounds
from .doors import Door, Turf

__all__ = [
    "Balance",
    "balance",
    "polsby_popper",
    "mean_polsby_popper",
    "split_block_faces",
    "metres_per_door",
    "route_gap",
    "hull_overlap",
    "long_hop_turfs",
    "summary",
]


def _members(turf: Turf | Sequence[Door]) -> Sequence[Door]:
    return turf.members if isinstance(turf, Turf) else turf


@dataclass(frozen=True)
class Balance:
    min_ratio: float  # smallest turf size / target
    max_ratio: float  # largest turf size / target
    share_within: float  # share of turfs whose size is within the tolerance (0..1)
    turfs: int


def balance(turfs: Sequence[Turf | Sequence[Door]], target_size: int, tolerance: float = 0.10) -> Balance:
    sizes = np.array([len(_members(t)) for t in turfs], dtype=float)
    lo, hi = size_bounds(target_size, tolerance)
    return Balance(
        min_ratio=float(sizes.min() / target_size),
        max_ratio=float(sizes.max() / target_size),
        share_within=float(((sizes >= lo) & (sizes <= hi)).mean()),
        turfs=len(sizes),
    )


def polsby_popper(doors: Sequence[Door]) -> float | None:
    """Polsby-Popper score of the convex hull of the doors (None if they span no area)."""
    if len(doors) < 3:
        return None
    xy, _ = project_doors(doors)
    hull = shapely.convex_hull(shapely.multipoints(xy))
    area, length = hull.area, hull.length
    if area <= 1e-6 or length <= 0:
        return None
    return 4 * math.pi * area / (length * length)


def mean_polsby_popper(turfs: Sequence[Turf | Sequence[Door]]) -> float:
    scores = [s for s in (polsby_popper(_members(t)) for t in turfs) if s is not None]
    return float(np.mean(scores)) if scores else float("nan")


def split_block_faces(
    turfs: Sequence[Turf | Sequence[Door]],
    face_of: Callable[[Door], Hashable] | None = None,
) -> tuple[int, float]:
    """(total splits, splits per turf). face_of: optional door -> block-face key (default: _faces)."""
    doors = [d for t in turfs for d in _members(t)]
    which = np.repeat(np.arange(len(turfs)), [len(_members(t)) for t in turfs])
    if face_of is None:
        xy, _ = project_doors(doors)
        face = block_faces(doors, xy)
    else:
        keys: dict[Hashable, int] = {}
        face = np.array([keys.setdefault(face_of(d), len(keys)) for d in doors], dtype=np.int64)
    pairs = np.unique(np.stack([face, which], axis=1), axis=0)
    per_face = np.bincount(pairs[:, 0])
    total = int((per_face[per_face > 0] - 1).sum())
    return total, total / max(1, len(turfs))


def metres_per_door(turfs: Sequence[Turf]) -> float:
    doors = sum(len(t) for t in turfs)
    return sum(t.route.length_m for t in turfs) / max(1, doors)


def route_gap(length: float, reference: float) -> float:
    return length / reference - 1.0 if reference > 0 else 0.0


def _hulls(turfs: Sequence[Turf | Sequence[Door]]) -> list:
    doors = [d for t in turfs for d in _members(t)]
    xy, _ = project_doors(doors)
    cuts = np.cumsum([len(_members(t)) for t in turfs])[:-1]
    return [shapely.convex_hull(shapely.multipoints(p)) for p in np.split(xy, cuts)]


def hull_overlap(turfs: Sequence[Turf | Sequence[Door]]) -> float:
    """Share of the turfs' summed hull area that lies under another turf's hull too (0..1)."""
    if not turfs:
        return 0.0
    hulls = _hulls(turfs)
    total = float(sum(h.area for h in hulls))
    tree = shapely.STRtree(hulls)
    a, b = tree.query(hulls, predicate="intersects")
    keep = a < b
    shared = float(shapely.area(shapely.intersection(np.take(hulls, a[keep]), np.take(hulls, b[keep]))).sum())
    return shared / total if total > 0 else 0.0


def long_hop_turfs(turfs: Sequence[Turf | Sequence[Door]], hop_m: float = 1000.0) -> int:
    """Turfs with a gap over hop_m metres between two parts of their doors."""
    count = 0
    for t in turfs:
        xy, _ = project_doors(_members(t))
        count += bool(xy.shape[0] and linked_groups(xy, hop_m).max() > 0)
    return count


def summary(turfs: Sequence[Turf], target_size: int, tolerance: float = 0.10) -> dict[str, float]:
    """All cutting metrics in one dict (routes every turf; used by the benchmark)."""
    b = balance(turfs, target_size, tolerance)
    total, per = split_block_faces(turfs)
    return {
        "turfs": b.turfs,
        "min_ratio": b.min_ratio,
        "max_ratio": b.max_ratio,
        "share_within": b.share_within,
        "mean_pp": mean_polsby_popper(turfs),
        "split_faces": total,
        "split_faces_per_turf": per,
        "metres_per_door": metres_per_door(turfs),
        "hull_overlap": hull_overlap(turfs),
        "long_hop_turfs": long_hop_turfs(turfs),
    }
