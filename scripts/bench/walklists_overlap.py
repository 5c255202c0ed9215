"""Hull overlap against split block faces: how far the two bars of issue 21 pull apart.

    python -m scripts.bench.walklists_overlap [--data DIR] [--only ward9,city]

Cuts Cambridge's ward 9 (target 60) and city (72) with Legwork's steps composed differently, all on
the same doors, and prints, per variant, hull overlap, split block faces per turf, mean
Polsby-Popper, walking (m/door, Legwork's router) and balance. Variants:
- Legwork: cut_turf as shipped; "no untangle or trim": the same without its last two steps;
- bisection only: straight lines between face runs (step 1 alone);
- Legwork on centre-lines: cut_turf(streets=Cambridge's centre-lines): block faces from the lines
  (walklists._street_faces) instead of inferred from the doors; split faces are counted on the
  doors' faces here, as for every variant (scripts.bench.walklists also counts them on the lines');
- building-level k-means, face bonus B: bisection over single buildings, then 30 rounds of the
  size-constrained k-means step (walklists._refine) on buildings, with B as the bonus for joining
  the turf that holds more of a building's block face (Legwork uses 5 on face runs).
"""
from __future__ import annotations

import argparse
import csv
import os
from pathlib import Path

import numpy as np

from walklists import Door, Turf, metrics
from walklists import cutting
from walklists._bisect import Cutter
from walklists._faces import atoms, face_positions
from walklists._geo import project_doors
from walklists._refine import refine
from walklists.routing import check_doors
from scripts.bench._walklists_baselines import cambridge_streets

CASES = {"ward9": ("9", 60), "city": (None, 72)}


def load(data: Path, ward: str | None) -> list[Door]:
    with (data / "cambridge-ma" / "addresses.csv").open(newline="") as f:
        return [Door(r["address_id"], float(r["lon"]), float(r["lat"]), r["street"],
                     (r["house_number"] + " " + r["suffix"]).strip(), r["building_id"] or f"parcel:{r['parcel_id']}")
                for r in csv.DictReader(f) if ward is None or r["ward"] == ward]


def composed(doors: list[Door], target: int, run_share: float, steps) -> list[Turf]:
    """Bisection over units of at most run_share × target doors, then the given steps."""
    ds = check_doors(doors)
    xy, _ = project_doors(ds)
    face, pos = face_positions(ds, xy)
    atom = atoms(ds)
    idx = np.arange(len(ds))
    cutter = Cutter(xy, face, pos, atom, target, 0.10)
    unit = cutting._units(face, pos, atom, idx, max(1.0, target * run_share))
    cutter = cutter.for_units(unit)
    parts = cutter.cut(idx, cutting.choose_count(len(ds), target, 0.10))
    for step in steps:
        parts = step(cutter, parts, unit)
    return [Turf([ds[i] for i in p]) for p in parts]


def variants(doors: list[Door], target: int, data: Path):
    yield "Legwork (cut_turf)", cutting.cut_turf(doors, target)
    saved = cutting.untangle, cutting.trim
    cutting.untangle = lambda cutter, parts, group, *slack: parts
    cutting.trim = lambda cutter, parts, group, pieces: parts
    try:
        yield "Legwork, no untangle or trim", cutting.cut_turf(doors, target)
    finally:
        cutting.untangle, cutting.trim = saved
    yield "Legwork on centre-lines", cutting.cut_turf(doors, target, streets=cambridge_streets(data))
    yield "bisection only", composed(doors, target, cutting._RUN_SHARE, [])
    for bonus in (1.0, 10.0, 20.0, 40.0):
        step = (lambda b: lambda c, p, u: refine(c, p, u, 30, b))(bonus)
        yield f"building-level k-means, face bonus {bonus:g}", composed(doors, target, 0.0, [step])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("LEGWORK_SHARED_DATA", "../shared/data")))
    parser.add_argument("--only", default="ward9,city")
    args = parser.parse_args()
    print("| case | variant | hull overlap | split faces / turf | mean Polsby-Popper | walk m / door | within ±10% |")
    print("|---|---|---|---|---|---|---|")
    for name in args.only.split(","):
        ward, target = CASES[name]
        doors = load(args.data, ward)
        for label, turfs in variants(doors, target, args.data):
            s = metrics.summary(turfs, target)
            print(f"| {name} | {label} | {100 * s['hull_overlap']:.2f}% | {s['split_faces_per_turf']:.2f} | "
                  f"{s['mean_pp']:.3f} | {s['metres_per_door']:.2f} | {100 * s['share_within']:.0f}% |", flush=True)


if __name__ == "__main__":
    main()
