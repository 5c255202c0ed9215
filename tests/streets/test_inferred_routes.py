"""With no street lines stored, lists are routed on streets inferred from the households near them:
two parallel rows joined only by a cross street at their west end are walked round by that street,
not across the back yards at the east end where the rows come closest (the straight line's way).
The cross street's doors are not on the list: they are read from the households near it."""
from __future__ import annotations

import math

import pytest
import sqlalchemy as sa

from app import walk_lists as ops
from app.db import write_transaction
from app.models import Neighbourhood
from app.streets.importer import import_streets
from app.streets.paths import list_path
from app.streets.routes import door_of
from app.walk_lists.drawn import preview_drawn
from walklists import order_route

from .conftest import collection, feature

LON0, LAT0 = -71.1195, 42.3650
KX = 111_195.0 * math.cos(math.radians(LAT0))


def at(x: float, y: float) -> tuple[float, float]:
    """(lon, lat) of a point x metres east and y metres north of the block's south-west corner."""
    return LON0 + x / KX, LAT0 + y / 111_195.0


def b_st(x: float) -> float:
    """B St runs 110 m north of A Street at the west end, 80 m at the east end."""
    return 110 - 30 * (x - 20) / 180


@pytest.fixture
def block(db, make_ward, make_household):
    """A Street and B St (10 doors each, both sides) in the ward's first neighbourhood; C Road (4 doors)
    joins their west ends, in its second neighbourhood."""
    ward = make_ward("W5", bounds=(LON0 - 0.0004, LAT0 - 0.001, LON0 + 0.0036, LAT0 + 0.002))
    hoods = db.execute(sa.select(Neighbourhood).where(Neighbourhood.ward_id == ward.id)
                       .order_by(Neighbourhood.code)).scalars().all()
    rows = {"A Street": [], "B St": [], "C Road": []}
    for i in range(10):
        side = 6 if i % 2 else -6
        for street, y in (("A Street", side), ("B St", b_st(20 + 20 * i) + side)):
            lon, lat = at(20 + 20 * i, y)
            rows[street].append(make_household(ward, street=street, house_number=str(i + 1), lon=lon, lat=lat,
                                               neighbourhood_id=hoods[0].id))
    for i, y in enumerate((20, 45, 70, 95)):
        lon, lat = at(6 if i % 2 else -6, y)
        rows["C Road"].append(make_household(ward, street="C Road", house_number=str(i + 1), lon=lon, lat=lat,
                                             neighbourhood_id=hoods[1].id))
    db.commit()
    return ward, hoods, rows


OUTLINE = {"type": "Polygon", "coordinates": [[list(at(10, -20)), list(at(215, -20)), list(at(215, 130)),
                                               list(at(10, 130)), list(at(10, -20))]]}


def where_it_turns(order, rows) -> tuple[int, int]:
    """The house numbers of the A Street and B St doors between which the route changes street."""
    street = {h.id: (h.street, int(h.house_number)) for hs in rows.values() for h in hs}
    names = [street[i] for i in order]
    turns = [(a, b) for a, b in zip(names, names[1:]) if a[0] != b[0]]
    assert len(turns) == 1, names  # one street, then the other: no zig-zag between them
    (a, b), = turns
    return tuple(n for _, n in sorted([a, b]))


def test_a_drawn_list_turns_where_the_streets_meet_not_across_the_back_yards(db, block):
    ward, hoods, rows = block
    drawn = preview_drawn(db, polygon=OUTLINE)
    db.rollback()
    assert sorted(drawn.household_ids) == sorted(h.id for s in ("A Street", "B St") for h in rows[s])
    # house 1 of each is at the west end, by C Road; the straight line turns at the east end (10, 10)
    assert where_it_turns(drawn.household_ids, rows) in {(1, 1), (1, 2), (2, 1), (2, 2)}
    # walked round by C Road: longer than the straight line's 80 m across the yards
    straight = order_route([door_of(h) for s in ("A Street", "B St") for h in rows[s]])
    assert drawn.length_m > straight.length_m + 40


def test_a_cut_list_is_routed_on_the_inferred_streets_but_cut_on_its_doors(db, block, monkeypatch):
    ward, hoods, rows = block
    seen, real = [], ops.operations.cut_turf
    monkeypatch.setattr(ops.operations, "cut_turf", lambda *a, **kw: seen.append(kw.get("streets")) or real(*a, **kw))
    proposal = ops.cut_area(db, neighbourhood_id=hoods[0].id, target_size=20)
    db.rollback()
    assert len(proposal.turfs) == 1 and seen == [()]
    assert where_it_turns(proposal.turfs[0].household_ids, rows) in {(1, 1), (1, 2), (2, 1), (2, 2)}


def test_a_saved_lists_map_line_follows_the_inferred_cross_street(db, block, make_walk_list):
    ward, hoods, rows = block
    homes = rows["A Street"][::-1] + rows["B St"]  # east to west along A, then back east along B
    walk = make_walk_list(homes, ward=ward)
    line = list_path(db, walk_list_id=walk.id)
    west_of_the_list = [p for p in line if p[0] < at(10, 0)[0]]
    assert west_of_the_list and all(y_lat > at(0, 0)[1] - 1e-4 for _, y_lat in west_of_the_list)
    assert len(line) > len(homes)


def test_stored_street_lines_win_over_inferred_ones(db, block):
    """Lines joining the rows at the east end only: the route turns there, as the stored streets say."""
    ward, hoods, rows = block
    write_transaction(db, lambda s: import_streets(s, source=collection(
        feature([list(at(0, 0)), list(at(215, 0))], {"name": "A Street"}),
        feature([list(at(0, b_st(0))), list(at(215, b_st(215)))], {"name": "B St"}),
        feature([list(at(215, 0)), list(at(215, b_st(215)))], {"name": "D Road"}))))
    drawn = preview_drawn(db, polygon=OUTLINE)
    db.rollback()
    assert where_it_turns(drawn.household_ids, rows) in {(9, 9), (9, 10), (10, 9), (10, 10)}
