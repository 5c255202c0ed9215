"""One walk list's map draws the walk along the streets stored near its doors, in the list's saved
order; with no streets there, straight from door to door as before."""
from __future__ import annotations

import json
import re

import pytest

from tests.support.canvass import done
from tests.support.streets import N, S, W, across_the_back, import_ladder
from tests.support.walk_lists import area  # noqa: F401  (fixture)


def route_line(page: str) -> list[list[float]]:
    """The route's [lat, lon] points as folium wrote them (the page's one polyline)."""
    (points,) = re.findall(r"L\.polyline\(\s*(\[\[.*?\]\])", page, re.S)
    return json.loads(points)


@pytest.fixture
def back_list(db, area, make_walk_list):
    ward, hoods, doors = area
    walk = make_walk_list(across_the_back(doors), name="Round the block", ward=ward)
    done(db)
    return walk, across_the_back(doors)


def test_the_list_map_walks_round_the_block_once_streets_are_imported(client, auth, db, back_list):
    walk, (elm, oak) = back_list
    auth.login_as("organiser")
    doors = [[round(elm.lat, 5), round(elm.lon, 5)], [round(oak.lat, 5), round(oak.lon, 5)]]
    assert route_line(client.get(f"/maps/lists/{walk.id}").get_data(as_text=True)) == doors  # the back yards
    import_ladder(db)
    line = route_line(client.get(f"/maps/lists/{walk.id}").get_data(as_text=True))
    assert line[0] == doors[0] and line[-1] == doors[1]
    assert [S, W] in line and [N, W] in line  # up West Rd: the corners of the block's near end
    assert line.index([S, W]) < line.index([N, W])


def test_the_line_keeps_the_saved_order(client, auth, db, area, make_walk_list):
    """Elm 1, Oak 1 behind it, then Elm 2 next to Elm 1: as saved, round the block's end and back
    (routing those doors afresh would walk Elm 1, Elm 2 and round once)."""
    ward, hoods, doors = area
    elm, oak = across_the_back(doors)
    elm2 = next(d for d in doors if d.street == "Elm St 0" and d.house_number == "2")
    walk = make_walk_list([elm, oak, elm2], name="As saved", ward=ward)
    import_ladder(db)
    auth.login_as("organiser")
    line = route_line(client.get(f"/maps/lists/{walk.id}").get_data(as_text=True))
    assert line[-1] == [round(elm2.lat, 5), round(elm2.lon, 5)]
    assert line.count([S, W]) == 2 and line.count([N, W]) == 2  # up West Rd to Oak 1, and back down
