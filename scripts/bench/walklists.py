#!/usr/bin/env python
"""Benchmark the walk-list engine on real addresses, side by side with baselines.

    python -m scripts.bench.walklists [--data DIR] [--seeds 3] [--cache FILE] [--write]

Cutting, on Cambridge, MA (the city: 21,504 doors, target 72; ward 9: 3,623 doors, target 60) and
the Isle of Man (3,505 OpenStreetMap addresses, target 60): Legwork vs plain k-means (scikit-learn,
unbalanced), size-constrained k-means (k-means-constrained, ±10%, best of --seeds seeds by walking),
recursive coordinate bisection and METIS (pymetis). Every cut is routed by the same Legwork router
and scored by walklists.metrics (hull overlap and turfs with a gap over 1 km included). Baselines
do not depend on Legwork, so --cache FILE keeps their turfs between runs (size-constrained k-means
takes minutes on the city). Routing: Legwork vs OR-Tools guided local search (10 s per list) on the
same cost matrix, for a seeded sample of Legwork turfs with 50-80 doors, plus one 500-door route.
--write puts the tables under "## Walk-list engine" in BENCHMARKS.md (other sections untouched).
"""

from __future__ import annotations

import argparse
import json
import datetime as dt
import platform
import statistics
import subprocess
import time
from pathlib import Path

from scripts.bench._benchmarks import write_section

import numpy as np

REPO = Path(__file__).resolve().parents[2]

from walklists import DEFAULT_CROSSING_M, Door, Turf, cut_turf, metrics, order_route
from scripts.bench import _walklists_baselines as B
from walklists._geo import project_doors
from walklists._search import tour_cost
from walklists.routing import check_doors, cost_matrix

SECTION = "## Walk-list engine"


def timed(fn, repeat: int = 3):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, statistics.median(times)


BASELINES = (("k-means (sklearn)", B.kmeans_cut), ("size-constrained k-means", B.constrained_kmeans_cut),
             ("coordinate bisection", B.rcb_cut), ("METIS", B.metis_cut))
BALANCED = ("size-constrained k-means", "coordinate bisection", "METIS")


def baseline(label: str, fn, doors: list[Door], k: int, target: int, seeds: int, cache: dict, key: str):
    """(turfs, seconds, extra) from the cache when it holds this cut, else computed and stored
    (seconds then come from the run that computed it)."""
    by_id = {d.id: d for d in doors}
    if label.startswith("k-means"):  # the timing reference: timed in every run, warm, median of 3
        fn(doors, k, target)
        turfs, secs = timed(lambda: fn(doors, k, target))
        return turfs, secs, {}
    if key in cache:
        hit = cache[key]
        return [Turf([by_id[i] for i in ids]) for ids in hit["turfs"]], hit["secs"], hit.get("extra", {})
    t0 = time.perf_counter()
    out = fn(doors, k, target, seeds) if label == "size-constrained k-means" else fn(doors, k, target)
    secs = time.perf_counter() - t0
    turfs, extra = out if isinstance(out, tuple) else (out, {})
    cache[key] = {"turfs": [sorted(t.door_ids) for t in turfs], "secs": secs, "extra": extra}
    return turfs, secs, extra


def cutting_rows(name: str, doors: list[Door], target: int, seeds: int, cache: dict,
                 streets: list | None = None) -> tuple[list[dict], list[Turf]]:
    """Legwork (and, given centre-lines, Legwork cutting on them) and the baselines on one place.
    With centre-lines, every method's split faces are also counted on the centre-lines' faces."""
    rows, cuts = [], []
    for method, kw in (("Legwork", {}), ("Legwork on centre-lines", {"streets": streets})):
        if method != "Legwork" and not streets:
            continue
        turfs, secs = timed(lambda: cut_turf(doors, target, **kw))
        t0 = time.perf_counter()
        for t in turfs:
            t.route
        route_secs = time.perf_counter() - t0
        far = sum(len(t) for t in turfs if t.far)
        rows.append({"case": name, "method": method, "secs": secs, "route_secs": route_secs, "far": far,
                     **metrics.summary(turfs, target)})
        cuts.append(turfs)
    k = len(cuts[0])
    for label, fn in BASELINES:
        base, bsecs, extra = baseline(label, fn, doors, k, target, seeds, cache, f"{name}|{label}|{k}|{seeds}")
        rows.append({"case": name, "method": label, "secs": bsecs, "route_secs": None, "far": None,
                     **metrics.summary(base, target), **extra})
        cuts.append(base)
    face_of = B.street_face_of(doors, streets) if streets else None
    for r, turfs in zip(rows, cuts):
        r["split_street"] = metrics.split_block_faces(turfs, face_of)[1] if face_of else None
    return rows, cuts[1] if streets else cuts[0]


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


def render(cut: list[dict], rt: dict | None, big_secs: float, args, took: float, load0: str) -> str:
    cmd = "python -m scripts.bench.walklists --write" + (f" --seeds {args.seeds}" if args.seeds != 3 else "")
    lines = [
        SECTION, "",
        f"Command: `{cmd}` ({args.route_samples} routing lists, OR-Tools {args.ortools_seconds} s each). "
        f"Machine: {machine()}; load average at the start {load0}. Date: {dt.date.today().isoformat()}. "
        f"Whole run: {took / 60:.1f} min.", "",
        "Data: Cambridge, MA master address list (`../shared/data/cambridge-ma/addresses.csv`), building = "
        "`building_id`, else the parcel; the Isle of Man's OpenStreetMap addresses "
        "(`../shared/data/isle-of-man/addresses.csv`, © OpenStreetMap contributors, ODbL), building = the OSM "
        "outline. Legwork's cut time is the median of 3 runs of `cut_turf` (routes are computed lazily; routing "
        "every turf is timed separately); times are wall-clock on a shared machine, so each is also given as a "
        "ratio to plain k-means (n_init=1) timed in the same run. Every method's turfs are routed by Legwork's "
        "router. Split faces use `walklists._faces` (faces inferred from the doors); on Cambridge, Legwork also "
        "cuts on the street centre-lines (`cut_turf(streets=...)`, the row the targets judge there) and every "
        "method's split faces are also counted on the centre-lines' faces (one side of one line, "
        "`walklists._street_faces`); hull overlap is the area two turfs' convex hulls share, "
        "summed over pairs, ÷ the summed hull area; long-hop turfs are those whose doors cannot all be linked "
        f"by steps of at most 1 km. Size-constrained k-means: best of {args.seeds} seeds by walking.", "",
        "### Cutting", "",
        "| case | method | turfs | cut s | ÷ k-means time | min/max size ÷ target | within ±10% | mean Polsby-Popper "
        "| split faces / turf | on centre-line faces | walk m / door | hull overlap | long-hop turfs |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in cut:
        km = next(x for x in cut if x["case"] == r["case"] and x["method"].startswith("k-means"))
        lines.append(
            f"| {r['case']} | {r['method']} | {r['turfs']} | {r['secs']:.3f} | {r['secs'] / km['secs']:.2f} | "
            f"{r['min_ratio']:.2f} / {r['max_ratio']:.2f} | {100 * r['share_within']:.0f}% | {r['mean_pp']:.3f} | "
            f"{r['split_faces_per_turf']:.2f} | {'–' if r['split_street'] is None else format(r['split_street'], '.2f')} | "
            f"{r['metres_per_door']:.2f} | {100 * r['hull_overlap']:.2f}% | "
            f"{r['long_hop_turfs']} |"
        )
    lines += ["", "### Targets", "", "| target | result | status |", "|---|---|---|"]
    for case in dict.fromkeys(r["case"] for r in cut):
        rows = {r["method"]: r for r in cut if r["case"] == case}
        # where there is a street network, Legwork cuts on it: that row is the one judged
        lw = rows.get("Legwork on centre-lines", rows["Legwork"])
        km, sc = rows["k-means (sklearn)"], rows["size-constrained k-means"]
        split = lw["split_faces_per_turf"] if lw["split_street"] is None else lw["split_street"]
        split_txt = (f"{split:.2f}" if lw["split_street"] is None else
                     f"{split:.2f} on the centre-lines' faces ({lw['split_faces_per_turf']:.2f} on faces inferred from doors)")
        fair = {m: r for m, r in rows.items() if m in BALANCED and r["share_within"] == 1}
        best = min(fair, key=lambda m: fair[m]["metres_per_door"])
        bw = fair[best]["metres_per_door"]
        short = case.split(" (")[0]
        if short == "city":
            lines.append(f"| {short}: cut < 1.0 s | {lw['secs']:.3f} s ({lw['secs'] / km['secs']:.2f}× plain k-means) | "
                         f"{ok(lw['secs'] < 1.0)} |")
        lines += [
            f"| {short}: every turf within ±10% | {100 * lw['share_within']:.0f}% | {ok(lw['share_within'] == 1)} |",
            f"| {short}: ≤ 1 split block face per turf | {split_txt} | {ok(split <= 1)} |",
            f"| {short}: mean Polsby-Popper ≥ 0.75 | {lw['mean_pp']:.3f} | {ok(lw['mean_pp'] >= 0.75)} |",
            f"| {short}: walk ≤ 1.00× the best balanced baseline ({best}, {bw:.2f} m/door) | "
            f"{lw['metres_per_door'] / bw:.3f}× | {ok(lw['metres_per_door'] <= bw)} |",
            f"| {short}: cost of balance ≤ 1.04× plain k-means ({km['metres_per_door']:.2f} m/door) | "
            f"{lw['metres_per_door'] / km['metres_per_door']:.3f}× (size-constrained k-means: "
            f"{sc['metres_per_door'] / km['metres_per_door']:.3f}×) | {ok(lw['metres_per_door'] <= 1.04 * km['metres_per_door'])} |",
            f"| {short}: hull overlap ≤ 1% | {100 * lw['hull_overlap']:.2f}% (size-constrained k-means: "
            f"{100 * sc['hull_overlap']:.2f}% with {sc['split_faces_per_turf']:.2f} split faces / turf) | "
            f"{ok(lw['hull_overlap'] <= 0.01)} |",
            f"| {short}: long-hop turfs ≤ size-constrained k-means ({sc['long_hop_turfs']}) | {lw['long_hop_turfs']} | "
            f"{ok(lw['long_hop_turfs'] <= sc['long_hop_turfs'])} |",
            f"| {short}: doors far from the rest (own turfs, flagged) | {lw['far']} | – |",
        ]
    lines.append("")
    for r in cut:
        if "seed_walks" in r:
            lines.append(f"Size-constrained k-means, {r['case']}: m/door by seed "
                         + ", ".join(f"{w:.2f}" for w in r["seed_walks"]) + f" ({r['secs']:.0f} s for all seeds).")
    if rt:
        lines += [
            "", "### Routing", "", "| target | result | status |", "|---|---|---|",
            f"| routes of {rt['sizes'][0]}–{rt['sizes'][1]} doors ({rt['lists']} lists): mean gap vs OR-Tools ≤ 2% | "
            f"{100 * rt['mean_gap']:+.2f}% | {ok(rt['mean_gap'] <= 0.02)} |",
            f"| same: worst gap ≤ 5% | {100 * rt['worst_gap']:+.2f}% (best {100 * rt['best_gap']:+.2f}%) | {ok(rt['worst_gap'] <= 0.05)} |",
            f"| same: p95 time < 50 ms | p95 {rt['p95_ms']:.1f} ms (p50 {rt['p50_ms']:.1f} ms) | {ok(rt['p95_ms'] < 50)} |",
            f"| 500-door route < 1 s | {big_secs:.3f} s | {ok(big_secs < 1)} |", "",
            "Route gap = Legwork cost / OR-Tools cost − 1 on the same matrix (metres + "
            f"{DEFAULT_CROSSING_M:g} m per change of street side; open path, free end); negative means "
            "Legwork found the shorter route.",
        ]
    lines.append("")
    return "\n".join(lines)


def main() -> None:
    import os

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("LEGWORK_SHARED_DATA") or REPO.parent / "shared" / "data"))
    parser.add_argument("--route-samples", type=int, default=20, help="0 skips the routing comparison")
    parser.add_argument("--ortools-seconds", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=3, help="size-constrained k-means seeds")
    parser.add_argument("--cache", type=Path, help="JSON file keeping the baselines' turfs between runs")
    parser.add_argument("--only", help="comma-separated cases: city, ward9, iom (default: all)")
    parser.add_argument("--write", action="store_true", help="record the tables in BENCHMARKS.md")
    args = parser.parse_args()
    load0 = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    start = time.perf_counter()
    cache = json.loads(args.cache.read_text()) if args.cache and args.cache.exists() else {}
    city, ward9 = B.cambridge(args.data)
    iom = B.isle_of_man(args.data)
    lines = B.cambridge_streets(args.data)
    cases = [("city", f"city ({len(city):,} doors)", city, 72, lines),
             ("ward9", f"ward 9 ({len(ward9):,} doors)", ward9, 60, lines),
             ("iom", f"Isle of Man ({len(iom):,} doors)", iom, 60, None)]
    only = set(args.only.split(",")) if args.only else {c[0] for c in cases}
    cut, city_turfs = [], None
    for key, name, doors, target, streets in cases:
        if key in only:
            rows, turfs = cutting_rows(name, doors, target, args.seeds, cache, streets)
            cut += rows
            city_turfs = turfs if key == "city" else city_turfs
            if args.cache:
                args.cache.write_text(json.dumps(cache))
    rt = routing_rows(city_turfs, args.route_samples, args.ortools_seconds) if args.route_samples and city_turfs else None
    big = big_route(ward9)
    text = render(cut, rt, big, args, time.perf_counter() - start, load0)
    print(text)
    if args.write:
        write_section(SECTION, text)


if __name__ == "__main__":
    main()
