#!/usr/bin/env python
"""Routes on streets inferred from the doors, where no street lines are stored (issue 21 item 1).

    python -m scripts.bench.street_inferred [--lists 30] [--margins 0,150,400]

On Cambridge, MA and the Isle of Man: the doors are cut with cut_turf (target 72, ±10%), a seeded
sample of --lists lists is routed three ways: straight lines (the app's old fallback), on the network
walklists.infer_network draws from the addresses near the list (as app/streets/inferred.py reads
them: the households of the list's wards within MARGIN m of its box; margin 0 = the list's own
doors only), and on the real street lines (what importing them gives). Each order is then walked
along the REAL lines (metres with the legs between door and street, ÷ doors), and its hops between
two different streets are counted as jumps unless both doors are within --junction-m of a point
where lines of those two names meet. CPU per list (time.process_time): inferring the network
(from doors already in memory; the database read is timed by scripts.bench.street_paths) and
ordering on it; "one for the place": every list on one network inferred from all the place's doors,
as a cut routes its lists (inferred once, timed apart); beside the straight-line route and the
route on the real lines, in the same run. --cuts: cut_turf on lines inferred from the doors vs on
the doors' own faces (and Cambridge's centre-lines), with the cut's bars.
"""
from __future__ import annotations

import argparse
import csv
import math
import os
import time
from pathlib import Path

import numpy as np
import scipy.sparse.csgraph  # noqa: F401  imported once, before any route is timed

from scripts.bench import _walklists_baselines as B
from scripts.bench.street_routes import load_lines, walked
from scripts.bench.walklists import machine
from walklists import DEFAULT_CROSSING_M, Door, StreetNetwork, cut_turf, infer_network, order_route
from walklists.network import street_name_key
from walklists.routing import check_doors
from walklists.street_routes import street_walks

REPO = Path(__file__).resolve().parents[2]
_M = 111_195.0


def wards_of(path: Path) -> dict[str, str]:
    with path.open(newline="") as f:
        return {r["address_id"]: r["ward"] for r in csv.DictReader(f)}


def junctions(net: StreetNetwork) -> dict[frozenset, np.ndarray]:
    """{(name A, name B): (lon, lat) points where lines of the two names share a vertex}."""
    names: dict[tuple[float, float], set[str]] = {}
    for line in net.lines:
        key = street_name_key(line.name)
        if key:
            for x, y in line.coords:
                names.setdefault((round(x, 6), round(y, 6)), set()).add(key)
    out: dict[frozenset, list] = {}
    for point, keys in names.items():
        for a in keys:
            for b in keys:
                if a < b:
                    out.setdefault(frozenset((a, b)), []).append(point)
    return {k: np.array(v) for k, v in out.items()}


def jumps(order: list[Door], joins: dict, named: set[str], reach_m: float) -> tuple[int, int]:
    """(hops between two different streets away from where they meet, hops judged)."""
    bad = judged = 0
    for a, b in zip(order, order[1:]):
        ka, kb = street_name_key(a.street), street_name_key(b.street)
        if not (ka in named and kb in named):
            continue  # a street the lines do not name: cannot tell where it meets the other
        judged += 1
        if ka == kb:
            continue
        pts = joins.get(frozenset((ka, kb)))
        if pts is None:
            bad += 1
            continue
        kx = _M * math.cos(math.radians(a.lat))
        da = np.hypot((pts[:, 0] - a.lon) * kx, (pts[:, 1] - a.lat) * _M)
        db = np.hypot((pts[:, 0] - b.lon) * kx, (pts[:, 1] - b.lat) * _M)
        bad += not bool(np.any((da <= reach_m) & (db <= reach_m)))
    return bad, judged


def near(doors: list[Door], xy: np.ndarray, ward: np.ndarray, members: list[Door], margin_m: float,
         ward_of: dict[str, str]) -> list[Door]:
    """The doors of the members' wards within margin_m of their box (app/streets/inferred.py's read)."""
    lon = np.array([d.lon for d in members])
    lat = np.array([d.lat for d in members])
    dlat = margin_m / _M
    dlon = dlat / max(math.cos(math.radians((lat.min() + lat.max()) / 2)), 0.05)
    wards = list({ward_of.get(d.id, "") for d in members})
    keep = ((xy[:, 0] >= lon.min() - dlon) & (xy[:, 0] <= lon.max() + dlon)
            & (xy[:, 1] >= lat.min() - dlat) & (xy[:, 1] <= lat.max() + dlat) & np.isin(ward, wards))
    return [doors[i] for i in np.flatnonzero(keep)]


def cpu(fn):
    c0 = time.process_time()
    out = fn()
    return time.process_time() - c0, out


def place(doors: list[Door], real: StreetNetwork, ward_of: dict[str, str], args) -> dict:
    turfs = [t for t in cut_turf(doors, 72, tolerance=0.1) if not t.far and 65 <= len(t) <= 79]
    rng = np.random.default_rng(2026)
    picks = [turfs[i] for i in sorted(rng.choice(len(turfs), size=min(args.lists, len(turfs)), replace=False))]
    real.graph
    real.pieces_within(np.array([0.0]), np.array([0.0]))
    joins, named = junctions(real), {street_name_key(line.name) for line in real.lines}
    xy = np.array([(d.lon, d.lat) for d in doors])
    ward = np.array([ward_of.get(d.id, "") for d in doors])
    modes = ["straight"] + [f"inferred {m:g} m" for m in args.margins] + ["inferred, one for the place", "real lines"]
    c0 = time.process_time()
    whole = infer_network(doors)  # a cut's: one network for all its lists (the city cut's is the city's)
    whole.graph
    whole.pieces_within(np.array([0.0]), np.array([0.0]))
    whole_s = time.process_time() - c0
    out = {m: {"metres": 0.0, "bad": 0, "judged": 0, "cpu": [], "near": []} for m in modes}
    n_doors = 0
    for t in picks:
        ds = check_doors(t.members)
        g, s, w = street_walks(ds, real, DEFAULT_CROSSING_M)
        w.legs = s.leg
        pos = {d.id: i for i, d in enumerate(ds)}
        n_doors += len(ds)
        for mode in modes:
            if mode == "straight":
                secs, route = cpu(lambda: order_route(ds))
            elif mode == "real lines":
                secs, route = cpu(lambda: order_route(ds, network=real))
            elif mode.endswith("place"):
                secs, route = cpu(lambda: order_route(ds, network=whole))
            else:
                margin = float(mode.split()[1])
                around = near(doors, xy, ward, ds, margin, ward_of) if margin > 0 else ds
                secs, route = cpu(lambda: order_route(ds, network=infer_network(around)))
                out[mode]["near"].append(len(around))
            r = out[mode]
            r["cpu"].append(secs)
            r["metres"] += walked(w, [pos[d.id] for d in route.doors])[0]
            bad, judged = jumps(list(route.doors), joins, named, args.junction_m)
            r["bad"] += bad
            r["judged"] += judged
    for r in out.values():
        r["m_per_door"] = r["metres"] / n_doors
    return {"lists": len(picks), "sizes": (min(map(len, picks)), max(map(len, picks))), "modes": out,
            "whole_s": whole_s}


def cut_rows(name: str, doors: list[Door], target: int, real_lines: list | None) -> None:
    """cut_turf on the doors alone, on lines inferred from them, and (Cambridge) on the centre-lines:
    the cut's bars (BENCHMARKS.md "## Walk-list engine"), CPU median of 3, inference apart."""
    from walklists import metrics

    c0 = time.process_time()
    inferred = list(infer_network(doors).lines)
    infer_s = time.process_time() - c0
    face_of = B.street_face_of(doors, real_lines) if real_lines else None
    for method, streets in (("doors' own faces (now)", None), ("inferred lines", inferred),
                            ("centre-lines", real_lines)):
        if method == "centre-lines" and not real_lines:
            continue
        times = []
        for _ in range(3):
            secs, turfs = cpu(lambda: cut_turf(doors, target, tolerance=0.1, streets=streets))
            times.append(secs)
        m = metrics.summary(turfs, target)
        on_real = f"{metrics.split_block_faces(turfs, face_of)[1]:.2f}" if face_of else "–"
        print(f"| {name} | {method} | {m['turfs']} | {m['min_ratio']:.2f} / {m['max_ratio']:.2f} | "
              f"{100 * m['share_within']:.0f}% | {m['mean_pp']:.3f} | {m['split_faces_per_turf']:.2f} | {on_real} | "
              f"{m['metres_per_door']:.2f} | {100 * m['hull_overlap']:.2f}% | {sorted(times)[1]:.3f}"
              f"{f' (+ {infer_s:.3f} inferring)' if method == 'inferred lines' else ''} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path,
                        default=Path(os.environ.get("LEGWORK_SHARED_DATA") or REPO.parent / "shared" / "data"))
    parser.add_argument("--lists", type=int, default=30)
    parser.add_argument("--margins", type=lambda s: [float(x) for x in s.split(",")], default=[0.0, 150.0, 400.0])
    parser.add_argument("--junction-m", type=float, default=50.0)
    parser.add_argument("--cuts", action="store_true", help="instead: cut_turf on inferred lines vs not")
    args = parser.parse_args()
    if args.cuts:
        city, ward9 = B.cambridge(args.data)
        lines = B.cambridge_streets(args.data)
        print(f"Machine: {machine()}")
        print("| place | cut on | turfs | min/max size ÷ target | within ±10% | mean Polsby-Popper "
              "| split faces / turf (doors' faces) | on centre-line faces | walk m / door | hull overlap | cut CPU s |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for name, doors, target, real_lines in (("city", city, 72, lines), ("ward 9", ward9, 60, lines),
                                                 ("Isle of Man", B.isle_of_man(args.data), 60, None)):
            cut_rows(name, doors, target, real_lines)
        return
    load0 = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    city, _ = B.cambridge(args.data)
    places = [("Cambridge", city, load_lines(args.data / "cambridge-ma" / "centerlines.geojson", "Street"),
               wards_of(args.data / "cambridge-ma" / "addresses.csv")),
              ("Isle of Man", B.isle_of_man(args.data),
               load_lines(args.data / "isle-of-man" / "streets.geojson", "name", "highway"),
               wards_of(args.data / "isle-of-man" / "addresses.csv"))]
    print(f"Machine: {machine()}; load average at the start {load0}")
    print("| place | lists (doors) | order | m/door walked on the real lines | jumps away from a junction "
          "(of hops judged) | households read (median) | CPU p50 / p95 ms |")
    print("|---|---|---|---|---|---|---|")
    for name, doors, real, ward_of in places:
        r = place(doors, real, ward_of, args)
        for mode, m in r["modes"].items():
            ms = 1000 * np.array(m["cpu"])
            read = f"{int(np.median(m['near']))}" if m["near"] else "–"
            print(f"| {name} | {r['lists']} ({r['sizes'][0]}–{r['sizes'][1]}) | {mode} | {m['m_per_door']:.1f} | "
                  f"{100 * m['bad'] / max(m['judged'], 1):.1f}% ({m['bad']} of {m['judged']}) | {read} | "
                  f"{np.percentile(ms, 50):.0f} / {np.percentile(ms, 95):.0f} |", flush=True)
        print(f"({name}: inferring the whole place's network once, graph and index included: {r['whole_s']:.2f} s CPU)")
    print(f"load average at the end {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
