"""Baselines and data for scripts.bench.walklists: the places, and the cuts Legwork is compared with.

Plain k-means (scikit-learn; unbalanced), size-constrained k-means (PyPI ``k-means-constrained``,
best of several seeds by walking), recursive coordinate bisection, and METIS (``pymetis``) on a
k-nearest-neighbour graph of the doors with edges weighted by closeness, 10% imbalance allowed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from walklists import Door, StreetLine, Turf, metrics
from walklists._geo import project_doors
from walklists._street_faces import node_lines, street_face_positions
from walklists.cutting import size_bounds


def cambridge(data: Path) -> tuple[list[Door], list[Door]]:
    """(the city, ward 9)."""
    with (data / "cambridge-ma" / "addresses.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))

    def door(r: dict) -> Door:
        return Door(r["address_id"], float(r["lon"]), float(r["lat"]), r["street"],
                    (r["house_number"] + " " + r["suffix"]).strip(), r["building_id"] or f"parcel:{r['parcel_id']}")

    return [door(r) for r in rows], [door(r) for r in rows if r["ward"] == "9"]


def cambridge_streets(data: Path) -> list[StreetLine]:
    """Cambridge's street centre-lines (node to node), named as the addresses spell streets."""
    import json

    feats = json.loads((data / "cambridge-ma" / "centerlines.geojson").read_text())["features"]
    return [StreetLine(f["properties"]["GlobalID"], f["properties"].get("Street") or "",
                       tuple(tuple(c[:2]) for c in f["geometry"]["coordinates"]))
            for f in feats if f["geometry"] and f["geometry"]["type"] == "LineString"]


def street_face_of(doors: list[Door], streets: list[StreetLine]):
    """door -> its block face on the centre-lines (one side of one line), as cut_turf(streets=) sees it."""
    lines = node_lines(sorted(streets, key=lambda s: (str(s.id), s.coords)))
    xy, lxy = project_doors(doors, [c for s in lines for c in s.coords])
    face = dict(zip((d.id for d in doors), street_face_positions(doors, xy, lines, lxy)[0].tolist()))
    return lambda d: face[d.id]


def isle_of_man(data: Path) -> list[Door]:
    """Every address on the island: house number (else none), building = the OSM outline."""
    with (data / "isle-of-man" / "addresses.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))
    return [Door(r["address_id"], float(r["lon"]), float(r["lat"]), r["street"] or r["locality"] or r["town"],
                 r["house_number"], r["building_id"] or None) for r in rows]


def _turfs(doors: list[Door], labels: np.ndarray, k: int) -> list[Turf]:
    groups: list[list[Door]] = [[] for _ in range(k)]
    for d, lab in zip(doors, labels.tolist()):
        groups[lab].append(d)
    return [Turf(g) for g in groups if g]


def kmeans_cut(doors: list[Door], k: int, target: int) -> list[Turf]:
    from sklearn.cluster import KMeans

    xy, _ = project_doors(doors)
    return _turfs(doors, KMeans(n_clusters=k, n_init=1, random_state=0).fit_predict(xy), k)


def constrained_kmeans_cut(doors: list[Door], k: int, target: int, seeds: int = 3) -> tuple[list[Turf], dict]:
    """Size-constrained k-means within ±10% of target, the seed whose turfs walk least."""
    from k_means_constrained import KMeansConstrained

    xy, _ = project_doors(doors)
    lo, hi = size_bounds(target, 0.10)
    lo, hi = min(lo, len(doors) // k), max(hi, -(-len(doors) // k))  # feasible whatever the count
    best, walks = None, []
    for seed in range(seeds):
        model = KMeansConstrained(n_clusters=k, size_min=lo, size_max=hi, n_init=1, random_state=seed)
        turfs = _turfs(doors, model.fit_predict(xy), k)
        walks.append(metrics.metres_per_door(turfs))
        if best is None or walks[-1] < metrics.metres_per_door(best):
            best = turfs
    return best, {"seed_walks": walks}


def rcb_cut(doors: list[Door], k: int, target: int) -> list[Turf]:
    """Recursive coordinate bisection: split the longer axis at the proportional door count."""
    xy, _ = project_doors(doors)

    def rec(idx: np.ndarray, k: int) -> list[np.ndarray]:
        if k == 1:
            return [idx]
        k1 = k // 2
        span = xy[idx].max(0) - xy[idx].min(0)
        axis = int(span[1] > span[0])
        order = idx[np.argsort(xy[idx, axis], kind="stable")]
        cut = round(idx.size * k1 / k)
        return rec(order[:cut], k1) + rec(order[cut:], k - k1)

    return [Turf([doors[i] for i in part]) for part in rec(np.arange(len(doors)), k)]


def metis_cut(doors: list[Door], k: int, target: int, neighbours: int = 8) -> list[Turf]:
    """METIS k-way partition of the doors' 8-nearest-neighbour graph (edge weight ~ 1 / distance)."""
    import pymetis
    from scipy.spatial import cKDTree

    xy, _ = project_doors(doors)
    xy = xy + np.random.default_rng(0).normal(0, 0.01, xy.shape)  # flats share a point: break ties
    dist, nb = cKDTree(xy).query(xy, neighbours + 1)
    n = len(doors)
    a = np.repeat(np.arange(n), neighbours)
    b = nb[:, 1:].reshape(-1)
    w = np.maximum(1, np.rint(1000.0 / (1.0 + dist[:, 1:].reshape(-1)))).astype(np.int64)
    pairs = {}
    for i, j, wt in zip(a.tolist(), b.tolist(), w.tolist()):
        key = (i, j) if i < j else (j, i)
        pairs[key] = max(pairs.get(key, 0), wt)
    adj: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for (i, j), wt in pairs.items():
        adj[i].append((j, wt))
        adj[j].append((i, wt))
    xadj, adjncy, ew = [0], [], []
    for row in adj:
        adjncy += [j for j, _ in row]
        ew += [wt for _, wt in row]
        xadj.append(len(adjncy))
    _, parts = pymetis.part_graph(k, xadj=xadj, adjncy=adjncy, eweights=ew,
                                  options=pymetis.Options(ufactor=100, seed=0))
    return _turfs(doors, np.asarray(parts), k)
