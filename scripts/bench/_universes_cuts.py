"""The cut half of the universes benchmark (scripts/bench/universes.py): ``cut_area`` of ward 9
with and without a universe, and whole-city cuts from a universe (``walk_lists.city.cut_city``)."""
from __future__ import annotations

import statistics
import sys
import time

import sqlalchemy as sa

from app.models import Ward
from app.walk_lists import cut_area
from app.walk_lists.city import cut_city

WARD_CUTS = (None, "ward 9 supporters not knocked in 3 weeks", "persuadables with a phone, never called")
CITY_CUTS = ("persuadables with a phone, never called", "housing or transport, or said yes to a flag", "everyone")


def _timed(repeat: int, session, cut) -> tuple[float, object]:
    took, proposal = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        proposal = cut()
        took.append(time.perf_counter() - start)
        session.rollback()
    return statistics.median(took), proposal


def time_cuts(session, saved: dict[str, int], repeat: int, city_repeat: int) -> tuple[list, list]:
    """(ward 9 cuts, whole-city cuts): (universe, doors cut, lists, median seconds) each."""
    ward9 = session.execute(sa.select(Ward.id).where(Ward.code == "9")).scalar_one()
    rows = {"ward": [], "city": []}
    for kind, names, runs in (("ward", WARD_CUTS, repeat), ("city", CITY_CUTS, city_repeat)):
        for name in names:
            universe_id = saved[name] if name else None
            if kind == "ward":
                took, proposal = _timed(runs, session, lambda: cut_area(session, ward_id=ward9, target_size=60,
                                                                         universe_id=universe_id))
            else:
                took, proposal = _timed(runs, session, lambda: cut_city(session, universe_id=universe_id,
                                                                         target_size=60))
            doors = sum(len(t.household_ids) for t in proposal.turfs)
            label = name or "no universe"
            rows[kind].append((label, doors, len(proposal.turfs), took))
            print(f"  cut {'ward 9' if kind == 'ward' else 'whole city'}, {label:42} {doors:6,} doors "
                  f"{len(proposal.turfs):4} lists {took * 1000:7.0f} ms", file=sys.stderr)
    return rows["ward"], rows["city"]


def cut_tables(results: list[dict], args) -> list[str]:
    lines = ["", "Cuts: `cut_area` of ward 9 (3,623 addresses) into lists of 60, with no universe and from two "
             f"universes (median of {args.cut_repeat}); only doors with someone in the universe are cut.", "",
             "| database | universe | doors cut | lists | ms | ÷ no universe |", "|---|---|---|---|---|---|"]
    for result in results:
        plain = result["cuts"][0][3]
        for label, doors, lists, took in result["cuts"]:
            lines.append(f"| {result['engine']} | {label} | {doors:,} | {lists} | {took * 1000:.0f} | {took / plain:.2f} |")
    lines += ["", "Whole-city cuts: `walk_lists.city.cut_city` from a universe into lists of 60, no area chosen "
              f"(median of {args.city_repeat}): the universe's households, the free ones, then `cut_turf` per "
              "precinct (lists never span a ward or precinct).", "",
              "| database | universe | doors cut | lists | ms | ms per door |", "|---|---|---|---|---|---|"]
    for result in results:
        for label, doors, lists, took in result["city"]:
            lines.append(f"| {result['engine']} | {label} | {doors:,} | {lists} | {took * 1000:.0f} | "
                         f"{took * 1000 / max(doors, 1):.2f} |")
    return lines
