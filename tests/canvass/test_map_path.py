"""The canvasser's list data (what the phone keeps offline and its map draws) carries the walk along
the streets stored near the list's doors, in the list's order; straight from door to door without."""
from __future__ import annotations

from tests.support.canvass import done
from tests.support.streets import N, S, W, across_the_back, import_ladder
from tests.support.walk_lists import area  # noqa: F401  (fixture)


def test_the_list_data_carries_the_walk_along_the_streets(client, auth, db, area, make_walk_list):
    ward, hoods, doors = area
    me = auth.login_as("canvasser")
    elm, oak = across_the_back(doors)
    walk = make_walk_list([elm, oak], name="Round the block", assign_to=me, ward=ward)
    done(db)
    ends = [[round(elm.lon, 5), round(elm.lat, 5)], [round(oak.lon, 5), round(oak.lat, 5)]]
    assert client.get(f"/api/lists/{walk.id}").get_json()["path"] == ends  # no streets: across the back yards
    import_ladder(db)
    body = client.get(f"/api/lists/{walk.id}").get_json()
    path = body["path"]
    assert path[0] == ends[0] and path[-1] == ends[1]
    assert path.index([W, S]) < path.index([W, N])  # up West Rd
    # street geometry and the doors' own points, nothing else about the doors
    assert all(isinstance(x, float) and isinstance(y, float) for x, y in path)


def test_a_list_with_one_located_door_has_that_point(client, auth, db, make_ward, make_household, make_walk_list):
    ward = make_ward("W1")
    me = auth.login_as("canvasser")
    here = make_household(ward, lon=-71.11, lat=42.37)
    nowhere = make_household(ward, lon=None, lat=None)
    walk = make_walk_list([here, nowhere], assign_to=me, ward=ward)
    done(db)
    import_ladder(db)
    assert client.get(f"/api/lists/{walk.id}").get_json()["path"] == [[-71.11, 42.37]]
