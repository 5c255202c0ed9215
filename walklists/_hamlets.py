"""Hamlets: doors over HOP_M from the rest of their turf move to a turf that walks such a gap anyway.

A balanced cut of a rural area must put some small clusters of doors (a farm, a hamlet) in a turf
with a gap over HOP_M; the fewer turfs that carry such a gap the better (the canvasser of every
other turf walks from door to door). After the other steps, the doors of a turf that are not in the
turf's largest cluster (clusters: doors linked by steps of at most HOP_M) move, as a whole, to the
nearest turf that has such a gap already, when sizes stay in bounds and that turf is not much
farther from them than their own turf's main cluster. Moving whole clusters splits no block face
(faces break at gaps of 60 m) and no building.
"""

from __future__ import annotations

import numpy as np

from ._far import linked_groups_by_part

__all__ = ["HOP_M", "gather_hamlets"]

#: A gap between two doors of one turf that a canvasser should not have to walk (metres).
HOP_M = 1_000.0
# A hamlet may move to a turf this much farther from it (metres) than its own turf's main cluster.
DETOUR_M = 1_000.0


def _nearest(a: np.ndarray, b: np.ndarray) -> float:
    d = ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)
    return float(np.sqrt(d.min()))


def gather_hamlets(cutter, parts: list[np.ndarray]) -> list[np.ndarray]:
    """parts with hamlets moved as the module doc says; cutter: a walklists._bisect.Cutter."""
    if len(parts) < 2:
        return parts
    xy, lo, hi = cutter.xy, cutter.lo, cutter.hi
    parts = [p.copy() for p in parts]
    minor = [g != int(np.argmax(np.bincount(g))) if g.size else np.zeros(0, dtype=bool)
             for g in linked_groups_by_part(xy, parts, HOP_M)]
    hoppy = [bool(m.any()) for m in minor]
    # turfs whose hamlets are fewest first: they are the likeliest to lose their gap
    for t in sorted(range(len(parts)), key=lambda t: (int(minor[t].sum()), t)):
        if not minor[t].any():  # no gap, or it has taken others' hamlets: it keeps them
            continue
        move = parts[t][minor[t]]
        if parts[t].size - move.size < lo:
            continue
        home = _nearest(xy[move], xy[parts[t][~minor[t]]])
        best, best_d = -1, home + DETOUR_M
        for u in range(len(parts)):
            if u == t or not hoppy[u] or parts[u].size + move.size > hi:
                continue
            d = _nearest(xy[move], xy[parts[u]])
            if d < best_d:
                best, best_d = u, d
        if best < 0:
            continue
        parts[best] = np.sort(np.concatenate([parts[best], move]))
        minor[best] = np.zeros(parts[best].size, dtype=bool)  # still has a gap: it may take more
        parts[t] = parts[t][~minor[t]]
        minor[t] = np.zeros(parts[t].size, dtype=bool)
        hoppy[t] = False
    return parts
