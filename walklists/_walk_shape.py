"""The shape side of the walk search (walklists._walk): which nodes each turf holds, and how much
each candidate plan changes the turfs' Polsby-Popper scores."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ._polish import hulls, pp_scores

if TYPE_CHECKING:
    from ._walk import Nodes, Plans


def turf_nodes(nturf: np.ndarray, turfs: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """All nodes of each of the given turfs: (node, position in turfs) pairs, turf by turf."""
    order = np.argsort(nturf, kind="stable")
    tstart = np.searchsorted(nturf[order], np.arange(k + 1))
    n = tstart[turfs + 1] - tstart[turfs]
    which = np.repeat(np.arange(turfs.size), n)
    at = np.arange(which.size) - np.repeat(np.cumsum(n) - n, n) + tstart[turfs][which]
    return order[at], which


def pp_change(plans: Plans, touched: np.ndarray, nodes: Nodes, nturf: np.ndarray, hull: np.ndarray,
               run_hull: np.ndarray) -> np.ndarray:
    """Change in the summed Polsby-Popper score of the turfs each plan touches (exact).

    touched: each plan's (source, destination) of its first and second move, -1 for none;
    hull, run_hull: the convex hull of each turf's and each run's points. A turf gains or loses at
    most one run per plan; its hull grows by the hull of the run joining, and is rebuilt from its
    points only when the run leaving holds one of its corners.
    """
    import shapely

    g1, g2, nrun = plans.g1, plans.g2, nodes.run
    k, ng = hull.size, run_hull.size
    pp = pp_scores(hull)
    # one slot per plan and distinct turf: the run leaving it and the run joining it (-1: none)
    first = np.column_stack([~(touched[:, :j] == touched[:, j : j + 1]).any(axis=1) for j in range(4)])
    plan, q = np.nonzero(first & (touched >= 0))
    t = touched[plan, q]
    runs = np.column_stack([g1, g2])[plan]
    leaves = touched[plan][:, [0, 2]] == t[:, None]
    joins = touched[plan][:, [1, 3]] == t[:, None]
    out_run = np.where(leaves.any(axis=1), runs[np.arange(t.size), np.argmax(leaves, axis=1)], -1)
    in_run = np.where(joins.any(axis=1), runs[np.arange(t.size), np.argmax(joins, axis=1)], -1)
    # hull corners are door coordinates exactly: match them to nodes as (place, turf) keys
    vxy, vt = shapely.get_coordinates(hull, return_index=True)
    vkey = np.searchsorted(nodes.places, vxy[:, 0] + 1j * vxy[:, 1]) * k + vt
    corner = np.zeros(ng + 1, dtype=bool)  # the last: the -1 of no run
    corner[nrun[np.isin(nodes.place * k + nturf, vkey)]] = True
    new = hull[t]
    grow = (in_run >= 0) & ~corner[out_run]
    new[grow] = shapely.convex_hull(shapely.union(hull[t[grow]], run_hull[in_run[grow]]))
    new_pp = pp_scores(new)
    redo = np.flatnonzero(corner[out_run])
    if redo.size:
        members, which = turf_nodes(nturf, t[redo], k)
        keep = nrun[members] != out_run[redo][which]
        members, which = members[keep], which[keep]
        add = np.flatnonzero(in_run[redo] >= 0)
        nstart = np.searchsorted(nrun, np.arange(ng + 1))
        r = in_run[redo][add]
        cnt = nstart[r + 1] - nstart[r]
        extra = np.repeat(nstart[r] - (np.cumsum(cnt) - cnt), cnt) + np.arange(cnt.sum())
        members = np.concatenate([members, extra])
        which = np.concatenate([which, np.repeat(add, cnt)])
        new_pp[redo] = pp_scores(hulls(nodes.xy[members], which, redo.size, nodes.points[members]))
    return np.bincount(plan, new_pp - pp[t], g1.size)
