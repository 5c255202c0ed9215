"""An offer cut on the spot is timed along the streets stored near its doors: doors behind the
volunteer's street, close across the back yards but a long walk round by the streets, no longer
fill their time as if they could be walked to in a straight line."""
from __future__ import annotations

import pytest

from app.config import settings
from app.nearme.offer import Offer, find_offer
from app.nearme.operations import pools_for
from app.walk_lists.operations import campaign_pace
from tests.support.nearme import HERE, ROW_LINES as LINES, import_row_lines, make_patch
from walklists import Door, StreetLine, order_route


@pytest.fixture
def rows(db, make_ward, make_team, make_user):
    return make_patch(db, make_ward=make_ward, make_team=make_team, make_user=make_user, rows=2, cols=10)


def _offer(db, team_id) -> Offer:
    pools = pools_for(db, team_ids=[team_id], config=settings().selfserve)
    offer = find_offer(db, pools=pools, lat=HERE[0], lon=HERE[1], minutes=20, max_km=1.0)
    db.rollback()
    assert isinstance(offer, Offer) and offer.walk_list_id is None
    return offer


def test_doors_round_the_block_are_timed_along_the_streets(db, rows):
    straight = _offer(db, rows.team.id)
    assert set(straight.streets) == {"Row 1 St", "Row 2 St"}  # across the back yards
    import_row_lines(db)
    along = _offer(db, rows.team.id)
    # Row 2 is a 330 m walk round Far Rd away: the time is spent on Row 1's doors
    assert along.streets == ["Row 1 St"] and along.doors < straight.doors
    assert along.minutes <= 20
    # its metres are the walk along the streets between the doors kept, door to street and back
    pace = campaign_pace()
    kept = [Door(str(hid), lon, lat, "Row 1 St") for hid, (lon, lat) in zip(along.household_ids, along.points)]
    network = [StreetLine(name, name, tuple(map(tuple, coords))) for name, coords in LINES]
    walk = order_route(kept, network=network, pace=pace)
    assert along.length_m == pytest.approx(walk.length_m, abs=1.0)
    assert along.length_m > sum(16 for _ in kept[1:])  # a leg to the street and back for each hop
    assert along.minutes == pytest.approx(pace.minutes(along.length_m, along.doors), abs=0.1)
