"""Time the walk-list engine of two checkouts alternately, on one machine, in one sitting.

    git archive <commit> walklists | tar -x -C /tmp/before
    python scripts/bench/walklists_ab.py /tmp/before     # that checkout's engine
    python scripts/bench/walklists_ab.py .               # this one's

Run the two in turns (before, after, before, after): on a shared machine only times taken side by
side compare. Prints the median of 3 `cut_turf` runs for the Cambridge city (lists of 72) and ward 9
(60), and p50/p95 of `order_route` over the city's first 40 turfs.
"""
from __future__ import annotations

import csv
import os
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    root = Path(sys.argv[1]).resolve()
    sys.path.insert(0, str(root))
    import walklists

    assert Path(walklists.__file__).is_relative_to(root), walklists.__file__
    data = Path(os.environ.get("LEGWORK_SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data")
    with (data / "cambridge-ma" / "addresses.csv").open(newline="") as f:
        rows = list(csv.DictReader(f))

    def door(r: dict):
        return walklists.Door(r["address_id"], float(r["lon"]), float(r["lat"]), r["street"],
                              (r["house_number"] + " " + r["suffix"]).strip(),
                              r["building_id"] or f"parcel:{r['parcel_id']}")

    out = {}
    for name, doors, target in (("city", [door(r) for r in rows], 72),
                                ("ward9", [door(r) for r in rows if r["ward"] == "9"], 60)):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            turfs = walklists.cut_turf(doors, target)
            times.append(time.perf_counter() - start)
        out[f"{name}_cut_s"] = statistics.median(times)
        if name == "city":
            routes = []
            for turf in turfs[:40]:
                start = time.perf_counter()
                walklists.order_route(turf.members)
                routes.append(1000 * (time.perf_counter() - start))
            routes.sort()
            out["route_p50_ms"], out["route_p95_ms"] = routes[len(routes) // 2], routes[int(0.95 * len(routes)) - 1]
    print(root, {k: round(v, 3) for k, v in out.items()}, "load", round(os.getloadavg()[0], 2))


if __name__ == "__main__":
    main()
