"""The offer page's sketch draws the walk along the streets stored near its doors (the cut's own
route line, a ready-cut list's stored order walked on them), along the streets inferred from the
doors without them; and, as for its doors, only pixels: no coordinates, nothing of the doors cut off."""
from __future__ import annotations

import re

import pytest

from app.config import settings
from app.models import Household
from app.nearme.offer import Offer, find_offer
from app.nearme.operations import pools_for
from tests.support.nearme import EAST, HERE, import_row_lines, make_patch


@pytest.fixture
def rows(db, make_ward, make_team, make_user):
    return make_patch(db, make_ward=make_ward, make_team=make_team, make_user=make_user, rows=2, cols=10)


def _svg(client, auth, user) -> tuple[list[tuple[float, float]], list[tuple[float, float]], str]:
    """(the polyline's points, the doors' dots, the page) of the offer made at HERE."""
    assert auth.login(user.email).status_code == 302
    page = client.get("/nearme/offer", query_string={"minutes": "20", "km": "1", "lat": HERE[0], "lon": HERE[1]})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Take it" in html
    line = [tuple(map(float, p.split(","))) for p in re.search(r'class="sketch-route" points="([^"]*)"', html)
            .group(1).split()]
    doors = [(float(x), float(y)) for x, y in re.findall(r'class="sketch-door" cx="([^"]+)" cy="([^"]+)"', html)]
    return line, doors, html


def test_a_cut_offers_sketch_walks_its_street_between_its_own_doors(client, auth, db, rows):
    inferred, doors, _ = _svg(client, auth, rows.volunteers[0])
    # no streets stored: along Row 1 St as its doors draw it (they stand in a row: the line runs
    # through them, no lower in the picture)
    assert set(doors) <= set(inferred) and max(y for _, y in inferred) == max(y for _, y in doors)
    import_row_lines(db)
    line, doors, html = _svg(client, auth, rows.volunteers[0])
    # out to Row 1 St (south of its doors: further down the picture), along it and back to each door
    assert len(line) > len(doors) and max(y for _, y in line) > max(y for _, y in doors)
    assert line[0] == doors[0] and line[-1] == doors[-1]
    # from the first door to the last kept: not the way there, nor the doors the cut left off
    xs = [x for x, _ in doors]
    assert min(xs) - 0.2 <= min(x for x, _ in line) and max(x for x, _ in line) <= max(xs) + 0.2
    assert all(0 <= v <= 160 for p in line for v in p)
    # pixels only: the one longitude in the page is the volunteer's own, in the form
    assert html.count("-71.1") == 1 and 'name="lon" type="hidden" value="-71.1' in html


def _ready(db, rows, make_walk_list):
    homes = [db.get(Household, rows.household_ids[k]) for k in (0, 10)]  # Row 1's first door, the Row 2 door behind
    ready = make_walk_list(homes, ward=rows.ward, name="Behind")
    ready.est_minutes, ready.neighbourhood_id = 15.0, rows.hood.id
    db.add(ready)
    db.commit()
    return ready


def _offer(db, team_id, *, line: bool) -> Offer:
    pools = pools_for(db, team_ids=[team_id], config=settings().selfserve)
    offer = find_offer(db, pools=pools, lat=HERE[0], lon=HERE[1], minutes=20, max_km=1.0, line=line)
    db.rollback()
    assert isinstance(offer, Offer)
    return offer


def test_a_ready_lists_sketch_goes_round_by_the_streets(db, rows, make_walk_list):
    ready = _ready(db, rows, make_walk_list)
    straight = _offer(db, rows.team.id, line=True)
    assert straight.walk_list_id == ready.id and straight.line == straight.points  # across the back yards
    import_row_lines(db)
    along = _offer(db, rows.team.id, line=True)
    # the two streets meet only at Far Rd: the walk between the two doors goes there and back
    assert along.line[0] == pytest.approx(along.points[0], abs=1e-5)
    assert along.line[-1] == pytest.approx(along.points[-1], abs=1e-5)
    assert max(lon for lon, _ in along.line) == pytest.approx(EAST, abs=1e-5)
    assert _offer(db, rows.team.id, line=False).line == []  # taking it needs no line: none is drawn


def test_a_ready_lists_page_draws_far_rd(client, auth, db, rows, make_walk_list):
    _ready(db, rows, make_walk_list)
    import_row_lines(db)
    line, doors, _ = _svg(client, auth, rows.volunteers[0])
    assert len(doors) == 2 and len(line) > 2
    # the walk round the block sets the picture's width: the doors sit at its west end
    assert max(x for x, _ in line) - max(x for x, _ in doors) > 100
