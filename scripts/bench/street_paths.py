#!/usr/bin/env python
"""What following the streets adds to a list's maps and to a near-me offer (issue 21).

    python -m scripts.bench.street_paths [--lists 30] [--asks 40] [--cuts 3]

Cambridge, MA on SQLite (a throw-away database): the city's 21,504 addresses, the near-me bench's
team and held lists of 60 doors (scripts/bench/nearme.py seed). Timed as CPU (process_time) in this
process, first with no street lines stored, then after importing the city's centre-lines:
- the line a saved list walks (app.streets.paths.path_through: one read of the lines near the
  doors, snapping, the walk between consecutive doors) for --lists of the city's turfs (cut_turf,
  60 doors) saved in their straight-line route order; and the phone's whole list data for them
  (list_payload, which now carries that line);
- find_offer for --asks volunteers at random doors (60 minutes, 1 km): routed and cut along the streets;
  and the offer page's sketch of it (app.nearme.geo.sketch: its line is a slice of the route's own).
A ready-cut list's offer page walks the list's stored order as its maps do: path_through above.
With no street lines stored it is timed twice, in the same process: on straight lines (the old
fallback: app.streets.routes.inferred_near switched off) and on streets inferred from the
households near the doors (app/streets/inferred.py); and so is a ward's cut preview
(cut_area of the city's largest ward, --cuts times; once more with the centre-lines).
Prints the figures; BENCHMARKS.md's paragraph is written by hand from them.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

import app.streets.routes as routes
from app import db as dbmod
from app.canvass.data import list_payload
from app.config import settings
from app.models import Assignment, Household, User, WalkList, WalkListDoor
from app.nearme.geo import sketch
from app.nearme.offer import Offer, find_offer
from app.nearme.operations import pools_for
from app.streets.importer import import_streets
from app.streets.paths import door_of, path_through
from app.walk_lists.operations import cut_area
from scripts.bench.maps import load_city, machine, make_app, throw_away
from scripts.bench.nearme import seed
from walklists import cut_turf

REPO = Path(__file__).resolve().parents[2]


def cpu_ms(fn) -> tuple[float, object]:
    c0 = time.process_time()
    out = fn()
    return 1000 * (time.process_time() - c0), out


def p50_p95(ms: list[float]) -> str:
    cuts = statistics.quantiles(ms, n=20, method="inclusive")
    return f"p50 {statistics.median(ms):.1f} / p95 {cuts[18]:.1f} ms"


def cut_lists(session, count: int, rng: random.Random) -> list:
    """count of the city's turfs (cut_turf, 60 doors, straight lines), saved in their route order and
    held (so near-me does not offer them): [(walk list, households in order)]."""
    homes = {h.id: h for h in session.execute(sa.select(Household).where(Household.lat.is_not(None))).scalars()}
    turfs = [t for t in cut_turf([door_of(h) for h in homes.values()], 60, tolerance=0.1) if not t.far]
    holder = session.execute(sa.select(User.id).order_by(User.id)).scalars().first()
    out = []
    for k, turf in enumerate(rng.sample(turfs, count)):
        ordered = [homes[int(d.id)] for d in turf.doors]
        walk = WalkList(name=f"Cut {k}", code=f"CUT{k:05d}", door_count=len(ordered), ward_id=ordered[0].ward_id)
        session.add(walk)
        session.flush()
        session.execute(sa.insert(WalkListDoor), [dict(walk_list_id=walk.id, household_id=h.id, position=i)
                                                  for i, h in enumerate(ordered)])
        session.add(Assignment(walk_list_id=walk.id, user_id=holder))
        out.append((walk, ordered))
    session.commit()
    return out


def measure(session, lists, asks, team_id, *, ward_id: int | None = None, cuts: int = 0) -> dict:
    out = {"path": [], "payload": [], "offer": [], "points": [], "doors": [], "minutes": [], "sketch": [],
           "drawn": [], "cut": []}
    conf = settings()
    for _ in range(cuts if ward_id is not None else 0):
        ms, _proposal = cpu_ms(lambda: cut_area(session, ward_id=ward_id, target_size=60))
        session.commit()
        out["cut"].append(ms)
    for walk, homes in lists:
        for key, fn in (("path", lambda: path_through(session, homes)),
                        ("payload", lambda: list_payload(session, walk_list=walk, settings=conf))):
            ms, value = cpu_ms(fn)
            out[key].append(ms)
            if key == "path":
                out["points"].append(len(value))
        session.commit()  # reads only; a rollback would expire the households and time their reloading
    pools = pools_for(session, team_ids=[team_id], config=conf.selfserve)
    for lat, lon in asks:
        ms, offer = cpu_ms(lambda: find_offer(session, pools=pools, lat=lat, lon=lon, minutes=60, max_km=1.0))
        session.commit()
        assert isinstance(offer, Offer), offer
        out["offer"].append(ms)
        out["doors"].append(offer.doors)
        out["minutes"].append(offer.minutes)
        ms, picture = cpu_ms(lambda: sketch(offer.points, size=160, marks=[(lon, lat)], line=offer.line))
        out["sketch"].append(ms)
        out["drawn"].append(len(picture["line"]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists", type=int, default=30)
    parser.add_argument("--asks", type=int, default=40)
    parser.add_argument("--cuts", type=int, default=3, help="cut previews of the largest ward per mode")
    args = parser.parse_args()
    data = Path(os.environ.get("LEGWORK_SHARED_DATA") or REPO.parent / "shared" / "data")
    load0 = open("/proc/loadavg").read().split()[:3]
    app, schema = make_app(None)
    try:
        with app.app_context():
            engine = dbmod.engine_for(app)
            with Session(engine, expire_on_commit=False) as session:
                load_city(session, data)
                team_id, _, _ = seed(session, volunteers=1)
                rng = random.Random(21)
                lists = cut_lists(session, args.lists, rng)
                points = list(session.execute(sa.select(Household.lat, Household.lon)
                                              .where(Household.lat.is_not(None))).all())
                asks = rng.sample(points, args.asks)
                session.commit()
                # the city this process loaded stays out of the collector's full passes: a request never
                # holds 21,504 households, and a pass over them (150 ms) landed on whichever call ran then
                gc.collect()
                gc.freeze()
                ward_id = session.execute(sa.select(Household.ward_id).group_by(Household.ward_id)
                                          .order_by(sa.func.count().desc())).scalars().first()
                real_infer = routes.inferred_near
                measure(session, lists[:3], asks[:3], team_id)  # warm-up: imports, caches
                routes.inferred_near = lambda *a, **kw: None  # the old fallback: straight lines
                straight = measure(session, lists, asks, team_id, ward_id=ward_id, cuts=args.cuts)
                routes.inferred_near = real_infer
                inferred = measure(session, lists, asks, team_id, ward_id=ward_id, cuts=args.cuts)
                dbmod.write_transaction(session, lambda s: import_streets(
                    s, source=data / "cambridge-ma" / "centerlines.geojson"))
                streets = measure(session, lists, asks, team_id, ward_id=ward_id, cuts=min(args.cuts, 1))
                again = measure(session, lists, asks, team_id)  # the same again: what a first read of lines costs
    finally:
        throw_away(app, None, schema)
    load1 = open("/proc/loadavg").read().split()[:3]
    print(f"Machine: {machine()}; load {' '.join(load0)} at the start, {' '.join(load1)} at the end")
    print(f"{args.lists} cut lists of 60 doors ±10%, {args.asks} near-me asks (60 min, 1 km); CPU ms")
    for name, r in (("no street lines, straight (old)", straight), ("no street lines, inferred (new)", inferred),
                    ("centre-lines stored", streets), ("the same, again", again)):
        print(f"{name}:")
        print(f"  list's line (path_through): {p50_p95(r['path'])}; {statistics.mean(r['points']):.0f} points a list"
              f" (slowest {max(r['path']):.0f} ms)")
        print(f"  phone's list data (list_payload): {p50_p95(r['payload'])}")
        print(f"  near-me offer (find_offer): {p50_p95(r['offer'])}; {statistics.mean(r['doors']):.1f} doors, "
              f"{statistics.mean(r['minutes']):.1f} min an offer")
        print(f"  its sketch (geo.sketch): {p50_p95(r['sketch'])}; {statistics.mean(r['drawn']):.0f} points drawn")
        if r["cut"]:
            print(f"  ward cut preview (cut_area, largest ward, 60 doors): median {statistics.median(r['cut']):.0f} ms "
                  f"of {len(r['cut'])}")


if __name__ == "__main__":
    main()
