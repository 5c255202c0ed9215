"""Walk lists routed along the imported streets: cut, drawn and whole-city lists use the network
near their doors (without one, streets inferred from the households: tests/streets/test_inferred_routes.py)."""
from __future__ import annotations

import dataclasses

import pytest

from app import walk_lists as ops
from app.db import write_transaction
from app.streets.importer import import_streets
from app.walk_lists.drawn import preview_drawn
from tests.support.streets import LADDER, E, W  # round hood 0's Elm (42.3700) and Oak (42.3708) rows
from tests.support.walk_lists import area  # noqa: F401  (fixture)
from walklists import Door, order_route

from .conftest import collection, feature

HOOD0 = {"type": "Polygon", "coordinates": [[[W, 42.3698], [E - 1e-4, 42.3698], [E - 1e-4, 42.3710], [W, 42.3710],
                                             [W, 42.3698]]]}


def street_changes(household_ids, doors):
    street = {d.id: d.street for d in doors}
    names = [street[h] for h in household_ids]
    return sum(a != b for a, b in zip(names, names[1:]))


def hood0_turf(db, hoods):
    proposal = ops.cut_area(db, neighbourhood_id=hoods[0].id, target_size=24)
    db.rollback()
    assert len(proposal.turfs) == 1
    return proposal.turfs[0]


def test_a_cut_list_is_routed_along_the_streets_once_they_are_imported(db, area):
    ward, hoods, doors = area
    straight = hood0_turf(db, hoods)
    write_transaction(db, lambda s: import_streets(s, source=LADDER))
    along = hood0_turf(db, hoods)
    assert sorted(along.household_ids) == sorted(straight.household_ids)
    assert street_changes(along.household_ids, doors) == 1
    # the library on the same lines gives the same walk: legs of 11 m in and out of each door, and
    # the way round the end of the block that the straight line (89 m across the back yards) skips
    mine = [d for d in doors if d.id in set(along.household_ids)]
    expected = order_route([Door(str(d.id), d.lon, d.lat, d.street, d.house_number) for d in mine], network=_lines())
    assert along.length_m == pytest.approx(expected.length_m, abs=0.2)
    # (before the import the list is routed on streets inferred from its doors: the two rows, which
    # nothing joins, so the straight line is the library's own)
    assert along.length_m > order_route([Door(str(d.id), d.lon, d.lat, d.street, d.house_number)
                                         for d in mine]).length_m + 23 * 2 * 10


def test_a_drawn_list_and_the_cut_list_walk_the_same_streets(db, area):
    ward, hoods, doors = area
    write_transaction(db, lambda s: import_streets(s, source=LADDER))
    drawn = preview_drawn(db, polygon=HOOD0)
    db.rollback()
    assert street_changes(drawn.household_ids, doors) == 1
    assert drawn.length_m == pytest.approx(hood0_turf(db, hoods).length_m, abs=0.2)


def test_streets_far_from_the_doors_leave_routes_straight(db, area):
    ward, hoods, doors = area
    before = hood0_turf(db, hoods)
    far = collection(feature([[-4.48, 54.15], [-4.47, 54.15]], {"name": "Albany Road"}))
    write_transaction(db, lambda s: import_streets(s, source=far))
    after = hood0_turf(db, hoods)
    assert (after.household_ids, after.length_m) == (before.household_ids, before.length_m)


def _lines():
    from walklists import StreetLine

    return [StreetLine(str(i), f["properties"]["name"], tuple(map(tuple, f["geometry"]["coordinates"])))
            for i, f in enumerate(LADDER["features"])]


def test_an_area_cut_follows_the_imported_streets(db, area, monkeypatch):
    """Turfs are cut on the network once there is one: block faces are the streets' sides between
    junctions (walklists.cut_turf(streets=...)); before the import the cut infers them from doors."""
    ward, hoods, doors = area
    seen = []
    real = ops.operations.cut_turf

    def spy(*args, **kwargs):
        seen.append(kwargs.get("streets"))
        return real(*args, **kwargs)

    monkeypatch.setattr(ops.operations, "cut_turf", spy)
    hood0_turf(db, hoods)
    write_transaction(db, lambda s: import_streets(s, source=LADDER))
    hood0_turf(db, hoods)
    assert not seen[0]
    assert sorted(line.name for line in seen[1]) == ["East Rd", "Elm St 0", "Oak St 0", "West Rd"]


def test_the_crossing_cost_comes_from_config(db, area, app, monkeypatch):
    """[canvass] crossing_m reaches every route along the streets (and the cut's own)."""
    import app.streets.routes as routes

    ward, hoods, doors = area
    write_transaction(db, lambda s: import_streets(s, source=LADDER))
    seen, real = [], routes.order_route
    monkeypatch.setattr(routes, "order_route", lambda *a, **kw: seen.append(kw["crossing_m"]) or real(*a, **kw))
    hood0_turf(db, hoods)
    app.extensions["legwork_settings"] = dataclasses.replace(
        app.extensions["legwork_settings"],
        canvass=dataclasses.replace(app.extensions["legwork_settings"].canvass, crossing_m=12.5))
    hood0_turf(db, hoods)
    assert seen == [30.0, 12.5]
