#!/usr/bin/env python
"""EXPERIMENT (not used by walklists): how few walking metres balanced turfs can have, at what shape.

    python scripts/exp_cut_frontier.py [--data DIR] [--case ward9|city] diagnose
    python scripts/exp_cut_frontier.py [--case ward9] anneal --pp-weight 250 --iters 1000000

diagnose: spanning-tree totals (Euclidean, over door places) of Legwork's and plain k-means' turfs,
against the tree of all doors. anneal: simulated annealing from Legwork's cut, moving or swapping
face runs between neighbouring turfs (sizes kept within ±10%) to lower the summed exact spanning
trees less pp_weight metres per unit of summed Polsby-Popper; the best state is routed and scored
with walklists.metrics. Slow (about 0.5 ms a step); for finding what is reachable, not for use.
Needs scipy (installed with the bench extras' scikit-learn).

Findings on ward 9 (3,623 doors, 60 turfs), issue #3:
- Routes are 1.106 times the turfs' summed spanning trees, for Legwork (16.13 / 14.58 m/door) and
  k-means (15.70 / 14.19 in the benchmark; 15.63 / 14.18 here, as sklearn's k-means depends on the
  input order) alike. The tree of all doors is 14.14 m/door: k-means' turfs add only 0.05
  to it, Legwork's 0.44. (Splitting it at its 59 longest edges gives 12.57, with no balance.)
- Annealing, balanced turfs, walk m/door at mean Polsby-Popper (split faces/turf), from a first
  version of this search (trees over a full distance matrix rather than Delaunay edges; annealing is
  chaotic, so such details and the step count move results by ~0.2 m/door):
  pp-weight 0 (200k steps): 15.53 at 0.620 (0.43); 200 (100k): 15.78 at 0.736 (0.75);
  250 (1M): 15.79 at 0.750 (0.72); 300 (300k): 15.87 at 0.763 (0.75); 600 (100k): 16.51 at 0.806.
  This script: 200 (100k): 15.97 at 0.747 (0.73); 250 (400k): 15.90 at 0.741 (0.65).
  So balanced turfs can walk less than k-means' 15.70, but only by giving up shape: even minutes of
  annealing stop near 15.8 at Polsby-Popper 0.75, so the issue's walk bar and shape bar together
  look out of reach at ±10% balance (Legwork's 0.2 s cut gets 16.13 at 0.757).
The search's own split-face count is approximate (each run counted on its first door's face), and
caps it at 0.95 per turf; the figures above are walklists.metrics'.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import bench_walklists as bench  # noqa: E402
from walklists import Turf, cut_turf, cutting, metrics  # noqa: E402
from walklists._faces import atoms, face_positions  # noqa: E402
from walklists._geo import project_doors  # noqa: E402
from walklists.routing import _check_doors  # noqa: E402


def tree_length(p: np.ndarray) -> float:
    """Euclidean minimum spanning tree length (metres) of points p, co-located points merged."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import minimum_spanning_tree
    from scipy.spatial import Delaunay

    p = np.unique(p, axis=0)
    if len(p) < 2:
        return 0.0
    if len(p) < 4:
        d = np.sqrt(((p[:, None] - p[None]) ** 2).sum(-1))
        return float(minimum_spanning_tree(d).sum())
    tri = Delaunay(p, qhull_options="QJ")
    e = np.unique(np.sort(np.vstack([tri.simplices[:, [0, 1]], tri.simplices[:, [1, 2]], tri.simplices[:, [0, 2]]]), 1), axis=0)
    w = np.hypot(*(p[e[:, 0]] - p[e[:, 1]]).T)
    return float(minimum_spanning_tree(coo_matrix((w, (e[:, 0], e[:, 1])), shape=(len(p), len(p)))).sum())


def diagnose(doors, target) -> None:
    ds = _check_doors(doors)
    xy, _ = project_doors(ds)
    pos = {d.id: i for i, d in enumerate(ds)}
    n = len(ds)
    turfs = cut_turf(ds, target)
    print(f"all doors: tree {tree_length(xy) / n:.2f} m/door")
    for label, cut in (("Legwork", turfs), ("k-means", bench.kmeans_cut(ds, len(turfs)))):
        total = sum(tree_length(xy[[pos[d.id] for d in t.members]]) for t in cut)
        print(f"{label}: summed turf trees {total / n:.2f} m/door, routes {metrics.metres_per_door(cut):.2f} m/door")


def anneal(doors, target, pp_weight: float, iters: int, t0: float, seed: int) -> None:
    import shapely
    from scipy.spatial import cKDTree

    ds = _check_doors(doors)
    xy, _ = project_doors(ds)
    face, pos = face_positions(ds, xy)
    n = len(ds)
    turfs = cut_turf(ds, target)
    k = len(turfs)
    index = {d.id: i for i, d in enumerate(ds)}
    lab = np.empty(n, dtype=np.int64)
    for t, turf in enumerate(turfs):
        lab[[index[d.id] for d in turf.members]] = t
    lo, hi = cutting.size_bounds(target, 0.10)
    run = cutting._units(face, pos, atoms(ds), np.arange(n), target * cutting._RUN_SHARE)
    _, unit = np.unique(run * k + lab, return_inverse=True)  # runs as they lie in turfs
    nu = int(unit.max()) + 1
    members = [np.flatnonzero(unit == u) for u in range(nu)]
    usize = np.array([m.size for m in members])
    ulab = np.array([lab[m[0]] for m in members])
    uface = np.array([face[m[0]] for m in members])

    def pp(p):
        h = shapely.convex_hull(shapely.multipoints(p))
        return 4 * np.pi * h.area / h.length**2 if h.area > 1e-6 else 0.0

    def pts(us):
        return xy[np.concatenate([members[u] for u in sorted(us)])]

    tunits = [set(np.flatnonzero(ulab == t).tolist()) for t in range(k)]
    tree = np.array([tree_length(pts(tunits[t])) for t in range(k)])
    shape = np.array([pp(pts(tunits[t])) for t in range(k)])
    tsize = np.bincount(ulab, usize, k)
    ft = Counter(zip(uface.tolist(), ulab.tolist()))
    splits = len(ft) - np.unique(face).size
    kd = cKDTree(xy)
    near = [np.unique(unit[np.concatenate([np.asarray(h, dtype=int) for h in kd.query_ball_point(xy[m], 80.0)])]) for m in members]
    rng = np.random.default_rng(seed)
    cur = tree.sum() - pp_weight * shape.sum()
    best, best_lab = cur, ulab.copy()
    start = time.time()
    for it in range(iters):
        temp = t0 * (1 - it / iters)
        u = int(rng.integers(nu))
        a = int(ulab[u])
        others = np.unique(ulab[near[u]])
        others = others[others != a]
        if others.size == 0:
            continue
        b = int(rng.choice(others))
        v = None
        if not (tsize[a] - usize[u] >= lo and tsize[b] + usize[u] <= hi):  # sizes forbid a move: swap
            vs = [x for x in near[u].tolist() if ulab[x] == b and lo <= tsize[a] - usize[u] + usize[x] <= hi
                  and lo <= tsize[b] + usize[u] - usize[x] <= hi]
            if not vs:
                continue
            v = int(rng.choice(vs))
        new_a, new_b = tunits[a] - {u}, tunits[b] | {u}
        if v is not None:
            new_a, new_b = new_a | {v}, new_b - {v}
        if not new_a or not new_b:
            continue
        change = Counter()
        for x, src, dst in [(u, a, b)] + ([(v, b, a)] if v is not None else []):
            change[(uface[x], src)] -= 1
            change[(uface[x], dst)] += 1
        dsplit = sum((ft.get(key, 0) + dv > 0) - (ft.get(key, 0) > 0) for key, dv in change.items())
        if dsplit > 0 and splits + dsplit > 0.95 * k:
            continue
        pa, pb = pts(new_a), pts(new_b)
        ta, tb, sa, sb = tree_length(pa), tree_length(pb), pp(pa), pp(pb)
        delta = (ta + tb - tree[a] - tree[b]) - pp_weight * (sa + sb - shape[a] - shape[b])
        if delta < 0 or (temp > 0 and rng.random() < np.exp(-delta / temp)):
            tunits[a], tunits[b] = new_a, new_b
            tree[a], tree[b], shape[a], shape[b] = ta, tb, sa, sb
            ulab[u] = b
            tsize[a] -= usize[u]
            tsize[b] += usize[u]
            if v is not None:
                ulab[v] = a
                tsize[a] += usize[v]
                tsize[b] -= usize[v]
            for key, dv in change.items():
                ft[key] += dv
            splits += dsplit
            cur += delta
            if cur < best:
                best, best_lab = cur, ulab.copy()
        if it % max(1, iters // 10) == 0:
            print(f"step {it}: trees {tree.sum() / n:.3f} m/door, mean PP {shape.mean():.4f} ({time.time() - start:.0f} s)", flush=True)
    out = [Turf([ds[i] for i in np.flatnonzero(best_lab[unit] == t)]) for t in range(k)]
    s = metrics.summary(out, target)
    print(f"pp-weight {pp_weight:g}, {iters} steps: {s['metres_per_door']:.2f} m/door, mean PP {s['mean_pp']:.3f}, "
          f"split faces/turf {s['split_faces_per_turf']:.2f}, sizes {s['min_ratio']:.2f}-{s['max_ratio']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--case", choices=("ward9", "city"), default="ward9")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("diagnose")
    an = sub.add_parser("anneal")
    an.add_argument("--pp-weight", type=float, default=250.0, help="metres of tree per unit of Polsby-Popper")
    an.add_argument("--iters", type=int, default=100_000)
    an.add_argument("--temperature", type=float, default=20.0, help="starting temperature, metres")
    an.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rows = bench.load(args.data)
    doors, target = (bench.to_doors([r for r in rows if r["ward"] == "9"]), 60) if args.case == "ward9" else (bench.to_doors(rows), 72)
    if args.cmd == "diagnose":
        diagnose(doors, target)
    else:
        anneal(doors, target, args.pp_weight, args.iters, args.temperature, args.seed)


if __name__ == "__main__":
    main()
