"""A block of streets around the walk-list ``area`` fixture's first neighbourhood (tests/support/walk_lists):
its Elm St 0 (doors at 42.3700) and Oak St 0 (42.3708) rows, 11 m from their lines, joined only by
West Rd and East Rd at the ends, so back-yard neighbours are 89 m apart in a straight line and a
walk round the block along the streets."""
from __future__ import annotations

from app.db import write_transaction
from app.streets.importer import import_streets

W, E, S, N = -71.1192, -71.1171, 42.3699, 42.3709


def _line(coords, name):
    return {"type": "Feature", "properties": {"name": name}, "geometry": {"type": "LineString", "coordinates": coords}}


LADDER = {"type": "FeatureCollection", "features": [
    _line([[W, S], [E, S]], "Elm St 0"), _line([[W, N], [E, N]], "Oak St 0"),
    _line([[W, S], [W, N]], "West Rd"), _line([[E, S], [E, N]], "East Rd")]}


def import_ladder(db) -> None:
    write_transaction(db, lambda s: import_streets(s, source=LADDER))


def across_the_back(doors) -> list:
    """Elm St 0's first door, then the Oak St 0 door behind it: the walk between them goes round
    West Rd (the block's near end)."""
    return [next(d for d in doors if d.street == street and d.house_number == "1") for street in ("Elm St 0", "Oak St 0")]
