#!/usr/bin/env python
"""Benchmark the walk-list engine on real Cambridge, MA addresses, side by side with baselines.

    python -m scripts.bench.walklists [--data DIR] [--write]

Cutting: Legwork vs plain k-means (scikit-learn) and recursive coordinate bisection, whole city
(21,504 doors, target 72 -> ~300 turfs) and ward 9 (3,623 doors, target 60 -> 60 turfs).
Every cut is routed by the same Legwork router and scored by walklists.metrics.
Routing: Legwork vs OR-Tools guided local search (10 s per list) on the same cost matrix, for a seeded
sample of Legwork turfs with 50-80 doors, plus the time of one 500-door route.
--write puts the table under "## Walk-list engine" in BENCHMARKS.md (other sections untouched).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from scripts.bench._benchmarks import write_section

import numpy as np

REPO = Path(__file__).resolve().parents[2]

from walklists import DEFAULT_CROSSING_M, Door, Turf, cut_turf, metrics, order_route
from walklists._geo import project_doors
from walklists.routing import check_doors, tour_cost, cost_matrix

SECTION = "## Walk-list engine"


def load(data: Path) -> list[dict]:
    with (data / "cambridge-ma" / "addresses.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def to_doors(rows: list[dict]) -> list[Door]:
    return [
        Door(
            r["address_id"],
            float(r["lon"]),
            float(r["lat"]),
            r["street"],
            (r["house_number"] + " " + r["suffix"]).strip(),
            r["building_id"] or f"parcel:{r['parcel_id']}",
        )
        for r in rows
    ]


def timed(fn, repeat: int = 3):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


def kmeans_cut(doors: list[Door], k: int) -> list[Turf]:
    from sklearn.cluster import KMeans

    xy, _ = project_doors(doors)
    labels = KMeans(n_clusters=k, n_init=1, random_state=0).fit_predict(xy)
    return [Turf([d for d, l in zip(doors, labels) if l == j]) for j in range(k) if (labels == j).any()]


def rcb_cut(doors: list[Door], k: int) -> list[Turf]:
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


def cutting_rows(name: str, doors: list[Door], target: int) -> list[dict]:
    rows = []
    turfs, secs = timed(lambda: cut_turf(doors, target))
    k = len(turfs)
    t0 = time.perf_counter()
    for t in turfs:
        t.route
    route_secs = time.perf_counter() - t0
    rows.append({"case": name, "method": "Legwork", "secs": secs, "route_secs": route_secs,
                 **metrics.summary(turfs, target)})
    for label, fn in (("k-means (sklearn)", kmeans_cut), ("coordinate bisection", rcb_cut)):
        base, bsecs = timed(lambda: fn(doors, k), repeat=1)
        for t in base:
            t.route
        rows.append({"case": name, "method": label, "secs": bsecs, "route_secs": None,
                     **metrics.summary(base, target)})
    return rows, turfs


def ortools_cost(m: np.ndarray, seconds: int) -> float:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    size = m.shape[0]
    scaled = np.rint(m * 100).astype(np.int64)
    manager = pywrapcp.RoutingIndexManager(size, 1, size - 1)  # the free depot is the last node
    model = pywrapcp.RoutingModel(manager)
    rows = scaled.tolist()
    cb = model.RegisterTransitCallback(lambda i, j: rows[manager.IndexToNode(i)][manager.IndexToNode(j)])
    model.SetArcCostEvaluatorOfAllVehicles(cb)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.seconds = seconds
    sol = model.SolveWithParameters(params)
    i, tour = model.Start(0), []
    while not model.IsEnd(i):
        tour.append(manager.IndexToNode(i))
        i = sol.Value(model.NextVar(i))
    return tour_cost(m, np.array(tour))


def routing_rows(turfs: list[Turf], samples: int, seconds: int) -> dict:
    rng = np.random.default_rng(2024)
    eligible = [t for t in turfs if 50 <= len(t) <= 80]
    picks = [eligible[i] for i in sorted(rng.choice(len(eligible), size=min(samples, len(eligible)), replace=False))]
    gaps, times = [], []
    for t in picks:
        t0 = time.perf_counter()
        route = order_route(t.members)
        times.append(time.perf_counter() - t0)
        ds = check_doors(t.members)
        xy, _ = project_doors(ds)
        _, cost = cost_matrix(ds, xy, DEFAULT_CROSSING_M)
        n = len(ds)
        m = np.zeros((n + 1, n + 1))
        m[:n, :n] = cost
        pos = {d.id: i for i, d in enumerate(ds)}
        ours = tour_cost(m, np.array([n] + [pos[d.id] for d in route.doors]))
        ref = ortools_cost(m, seconds)
        gaps.append(metrics.route_gap(ours, ref))
    return {"lists": len(picks), "sizes": (min(len(t) for t in picks), max(len(t) for t in picks)),
            "mean_gap": float(np.mean(gaps)), "worst_gap": float(np.max(gaps)), "best_gap": float(np.min(gaps)),
            "p50_ms": 1000 * float(np.percentile(times, 50)), "p95_ms": 1000 * float(np.percentile(times, 95))}


def big_route(doors: list[Door]) -> float:
    xy, _ = project_doors(doors)
    near = np.argsort(((xy - xy[len(doors) // 2]) ** 2).sum(1), kind="stable")[:500]
    subset = [doors[i] for i in near]
    _, secs = timed(lambda: order_route(subset))
    return secs


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
            if line.startswith("Model name"):
                model = line.split(":", 1)[1].strip()
    except OSError:
        pass
    import os

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{model}, {os.cpu_count()} cores (shared; load average at the end {load}), Python {platform.python_version()}"


def ok(flag: bool) -> str:
    return "met" if flag else "**missed**"


def render(cut: list[dict], rt: dict, big_secs: float, args, took: float) -> str:
    lines = [
        SECTION,
        "",
        f"Command: `python -m scripts.bench.walklists --write` ({args.route_samples} routing lists, "
        f"OR-Tools {args.ortools_seconds} s each). Machine: {machine()}. Date: {dt.date.today().isoformat()}. "
        f"Whole run: {took / 60:.1f} min.",
        "",
        "Data: Cambridge, MA master address list (`../shared/data/cambridge-ma/addresses.csv`), "
        "building = `building_id`, else the parcel. Cut times are the median of 3 runs of `cut_turf` "
        "(routes are computed lazily; routing every turf is timed separately). Split faces use "
        "`walklists._faces` (street + house-number parity, broken at cross streets inferred from the other "
        "streets' doors and at gaps over 60 m); baselines are scored with the same definition.",
        "",
        "### Cutting",
        "",
        "| case | method | turfs | cut s | route all s | min/max size ÷ target | within ±10% | mean Polsby-Popper | split faces / turf | walk m / door |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in cut:
        rs = f"{r['route_secs']:.2f}" if r["route_secs"] is not None else "–"
        lines.append(
            f"| {r['case']} | {r['method']} | {r['turfs']} | {r['secs']:.3f} | {rs} | "
            f"{r['min_ratio']:.2f} / {r['max_ratio']:.2f} | {100 * r['share_within']:.0f}% | {r['mean_pp']:.3f} | "
            f"{r['split_faces_per_turf']:.2f} | {r['metres_per_door']:.2f} |"
        )
    lines += ["", "### Targets", "", "| target | result | status |", "|---|---|---|"]
    for case, limit in (("city", 1.0), ("ward 9", 0.2)):
        rows = [r for r in cut if r["case"].startswith(case)]
        lw = rows[0]
        best_base = min(r["metres_per_door"] for r in rows[1:])
        lines += [
            f"| {case}: cut < {limit} s | {lw['secs']:.3f} s | {ok(lw['secs'] < limit)} |",
            f"| {case}: every turf within ±10% | {100 * lw['share_within']:.0f}% | {ok(lw['share_within'] == 1)} |",
            f"| {case}: ≤ 1 split block face per turf | {lw['split_faces_per_turf']:.2f} | {ok(lw['split_faces_per_turf'] <= 1)} |",
            f"| {case}: mean Polsby-Popper ≥ 0.75 | {lw['mean_pp']:.3f} | {ok(lw['mean_pp'] >= 0.75)} |",
            f"| {case}: walk m/door ≤ best baseline ({best_base:.2f}) | {lw['metres_per_door']:.2f} | "
            f"{ok(lw['metres_per_door'] <= best_base)} |",
            f"| {case}: walk m/door vs the balanced baseline (coordinate bisection, {rows[2]['metres_per_door']:.2f}) | "
            f"{lw['metres_per_door']:.2f} | {'better' if lw['metres_per_door'] < rows[2]['metres_per_door'] else 'not better'} |",
        ]
    lines += [
        f"| routes of {rt['sizes'][0]}–{rt['sizes'][1]} doors ({rt['lists']} lists): mean gap vs OR-Tools ≤ 2% | "
        f"{100 * rt['mean_gap']:+.2f}% | {ok(rt['mean_gap'] <= 0.02)} |",
        f"| same: worst gap ≤ 5% | {100 * rt['worst_gap']:+.2f}% (best {100 * rt['best_gap']:+.2f}%) | {ok(rt['worst_gap'] <= 0.05)} |",
        f"| same: p95 time < 50 ms | p95 {rt['p95_ms']:.1f} ms (p50 {rt['p50_ms']:.1f} ms) | {ok(rt['p95_ms'] < 50)} |",
        f"| 500-door route < 1 s | {big_secs:.3f} s | {ok(big_secs < 1)} |",
        "",
        "Route gap = Legwork cost / OR-Tools cost − 1 on the same matrix (metres + "
        f"{DEFAULT_CROSSING_M:g} m per change of street side; open path, free end); negative means "
        "Legwork found the shorter route. Route times are wall-clock, so they include waiting for a core "
        "on a loaded machine.",
        "",
        "k-means does not balance its turfs (see min/max size), so its metres per door are not comparable "
        "like for like: small turfs in dense blocks walk few metres per door. The balanced baseline "
        "(coordinate bisection) is the fair comparison.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--route-samples", type=int, default=20)
    parser.add_argument("--ortools-seconds", type=int, default=10)
    parser.add_argument("--write", action="store_true", help="record the table in BENCHMARKS.md")
    args = parser.parse_args()
    start = time.perf_counter()
    rows = load(args.data)
    city = to_doors(rows)
    ward9 = to_doors([r for r in rows if r["ward"] == "9"])
    cut, city_turfs = cutting_rows(f"city ({len(city):,} doors)", city, 72)
    cut9, _ = cutting_rows(f"ward 9 ({len(ward9):,} doors)", ward9, 60)
    rt = routing_rows(city_turfs, args.route_samples, args.ortools_seconds)
    big = big_route(ward9)
    text = render(cut + cut9, rt, big, args, time.perf_counter() - start)
    print(text)
    if args.write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
