"""The cut's bars and CPU for one checkout's engine, on the cases issue 21 judges (run two in turns).

    git archive <commit> walklists | tar -x -C /tmp/before
    python scripts/bench/walklists_cut_ab.py /tmp/before [--cases city,ward9,iom] [--cuts 5]
    python scripts/bench/walklists_cut_ab.py .

Cambridge's city (target 72) and ward 9 (60) cut on their centre-lines, the Isle of Man (60) without:
hull overlap, split block faces per turf (on the centre-lines' faces for Cambridge), mean
Polsby-Popper, walking (m/door, Legwork's router), share within ±10%, and the cut's CPU
(time.process_time, min / median of --cuts after a warm-up). This repository's bench helpers load the
data; only the engine comes from the checkout given. On a shared machine only turns taken side by
side compare (run before, after, before, after).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", type=Path)
    parser.add_argument("--cases", default="city,ward9,iom")
    parser.add_argument("--cuts", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path(os.environ.get("LEGWORK_SHARED_DATA") or REPO.parent / "shared" / "data"))
    args = parser.parse_args()
    root = args.root.resolve()
    sys.path[:0] = [str(root), str(REPO)]
    import walklists
    from scripts.bench import _walklists_baselines as B
    from walklists import cut_turf, metrics

    assert Path(walklists.__file__).is_relative_to(root), walklists.__file__
    city, ward9 = B.cambridge(args.data)
    lines = B.cambridge_streets(args.data)
    cases = {"city": (city, 72, lines), "ward9": (ward9, 60, lines), "iom": (B.isle_of_man(args.data), 60, None)}
    for name in args.cases.split(","):
        doors, target, streets = cases[name]
        kw = {"streets": streets} if streets else {}
        turfs = cut_turf(doors, target, **kw)  # warm-up, and the turfs scored
        cpu = []
        for _ in range(args.cuts):
            t0 = time.process_time()
            cut_turf(doors, target, **kw)
            cpu.append(time.process_time() - t0)
        s = metrics.summary(turfs, target)
        split = metrics.split_block_faces(turfs, B.street_face_of(doors, streets))[1] if streets else s["split_faces_per_turf"]
        print(f"{root.name} {name}: hull overlap {100 * s['hull_overlap']:.2f}%, split faces/turf {split:.2f}, "
              f"mean PP {s['mean_pp']:.4f}, walk {s['metres_per_door']:.2f} m/door, within ±10% "
              f"{100 * s['share_within']:.0f}%, cut CPU {min(cpu):.3f} / {statistics.median(cpu):.3f} s, "
              f"load {os.getloadavg()[0]:.1f}", flush=True)


if __name__ == "__main__":
    main()
