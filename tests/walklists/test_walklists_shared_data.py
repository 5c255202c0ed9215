"""cut_turf and order_route on real Cambridge, MA addresses (ward 1: 829 doors, kept small for speed)."""

from __future__ import annotations

import csv
import random

import pytest

from tests.support.shared_data import require_shared_data
from walklists import Door, cut_turf, metrics, order_route

pytestmark = pytest.mark.shared_data


def load(ward: str) -> tuple[list[Door], dict[str, str]]:
    path = require_shared_data("cambridge-ma", "addresses.csv")
    doors, precinct = [], {}
    with path.open(newline="") as f:
        for row in csv.DictReader(f):
            if row["ward"] != ward:
                continue
            number = (row["house_number"] + " " + row["suffix"]).strip()
            building = row["building_id"] or f"parcel:{row['parcel_id']}"
            doors.append(Door(row["address_id"], float(row["lon"]), float(row["lat"]), row["street"], number, building))
            precinct[row["address_id"]] = row["precinct"]
    return doors, precinct


def test_ward_cut_is_balanced_whole_and_order_invariant():
    doors, _ = load("1")
    turfs = cut_turf(doors, 40)
    b = metrics.balance(turfs, 40)
    assert b.share_within == 1.0
    assert sorted(d.id for t in turfs for d in t.members) == sorted(d.id for d in doors)
    homes = {}
    for n, t in enumerate(turfs):
        for d in t.members:
            assert homes.setdefault(d.building, n) == n
    shuffled = doors[:]
    random.Random(3).shuffle(shuffled)
    again = cut_turf(shuffled, 40)
    assert [t.door_ids for t in again] == [t.door_ids for t in turfs]
    assert metrics.mean_polsby_popper(turfs) > 0.6


def test_precincts_respected():
    doors, precinct = load("1")
    turfs = cut_turf(doors, 50, within=precinct)
    for t in turfs:
        assert {precinct[d.id] for d in t.members} == {t.area}


def test_real_route_is_a_permutation():
    doors, _ = load("1")
    subset = sorted(doors, key=lambda d: (d.lon - doors[0].lon) ** 2 + (d.lat - doors[0].lat) ** 2)[:70]
    route = order_route(subset)
    assert sorted(d.id for d in route.doors) == sorted(d.id for d in subset)
    assert metrics.route_gap(route.length_m, route.length_m) == 0
