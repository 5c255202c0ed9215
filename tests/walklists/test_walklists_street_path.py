"""The line walked through doors in a fixed order (a saved list's map): along the streets, door by
door in the order given; straight legs where no street is near."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walklists import DuplicateDoorError, EmptyInputError, InvalidCoordinateError, order_route, street_path

from .test_walklists_network import assert_walks_the_streets, door, ladder, line, ll


def visits_in_order(path, doors) -> bool:
    """Each door's point comes up in the path, one after another in the doors' order."""
    k = 0
    for p in path:
        if k < len(doors) and p == (doors[k].lon, doors[k].lat):
            k += 1
    return k == len(doors)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.floats(5, 395), st.booleans(), st.booleans()), min_size=2, max_size=25,
                unique_by=lambda t: round(t[0])),
       st.randoms(use_true_random=False), st.floats(0, 80))
def test_a_fixed_order_is_walked_along_the_streets_door_by_door(spots, rnd, crossing_m):
    lines = ladder()
    doors = [door(f"d{i}", x, (60 if on_b else 0) + (10 if north else -10), "B St" if on_b else "A Street", 2 * i + north)
             for i, (x, on_b, north) in enumerate(spots)]
    rnd.shuffle(doors)  # any order, not only one order_route would choose
    path = street_path(doors, lines, crossing_m=crossing_m)
    assert path[0] == (doors[0].lon, doors[0].lat) and path[-1] == (doors[-1].lon, doors[-1].lat)
    assert visits_in_order(path, doors)
    assert_walks_the_streets(SimpleNamespace(path=path), lines, doors)


def test_the_order_route_chose_gives_the_line_it_drew():
    doors = [door(f"a{i}", 20 + 40 * i, 10, "A Street", 2 * i) for i in range(10)]
    doors += [door("b0", 180, 50, "B St", 2), door("b1", 220, 50, "B St", 4)]
    route = order_route(doors, network=ladder(), crossing_m=30)
    assert street_path(route.doors, ladder(), crossing_m=30) == route.path


def test_back_yard_neighbours_in_a_saved_order_go_round_the_block():
    # a then b face each other across back yards 40 m apart: the walk goes round the west end
    a, b = door("a", 20, 10, "A Street", 2), door("b", 20, 50, "B St", 4)
    path = street_path([a, b], ladder())
    corners = [p for k, p in enumerate(path) if k == 0 or p != path[k - 1]]  # a junction may come twice
    expected = [(a.lon, a.lat), ll(20, 0), ll(0, 0), ll(0, 60), ll(20, 60), (b.lon, b.lat)]
    assert corners == [pytest.approx(p) for p in expected]


def test_a_start_is_walked_from_first():
    start = ll(300, 0)
    a, b = door("a", 20, 10, "A Street", 2), door("b", 100, -10, "A Street", 5)
    path = street_path([a, b], ladder(), start=start)
    assert path[0] == pytest.approx(start) and visits_in_order(path, [a, b])


def test_no_street_near_the_doors_gives_straight_legs():
    far = [line("f", "Far Rd", (5000, 5000), (5400, 5000))]
    doors = [door("a", 20, 10, "A Street", 2), door("b", 200, 50, "B St", 4), door("c", 100, -10, "A Street", 5)]
    points = tuple((d.lon, d.lat) for d in doors)
    assert street_path(doors, far) == points
    assert street_path(doors, None) == points
    assert street_path(doors[:1], ladder()) == points[:1]


def test_bad_input_is_refused():
    a = door("a", 20, 10, "A Street", 2)
    with pytest.raises(EmptyInputError):
        street_path([], ladder())
    with pytest.raises(DuplicateDoorError, match="'a'"):
        street_path([a, a], ladder())
    with pytest.raises(InvalidCoordinateError):
        street_path([a], ladder(), start=("x", 1))


def test_legs_sum_to_the_length_on_streets_and_straight():
    doors = [door(f"a{i}", 20 + 40 * i, 10, "A Street", 2 * i) for i in range(5)] + [door("b", 100, 50, "B St", 3)]
    start = ll(0, -5)
    for route in (order_route(doors, network=ladder(), start=start), order_route(doors, start=start)):
        assert len(route.legs_m) == len(route.doors)  # start to the first door, then door to door
        assert sum(route.legs_m) == pytest.approx(route.length_m)
    assert len(order_route(doors).legs_m) == len(doors) - 1


def test_path_stops_mark_each_stop_so_a_cut_route_is_a_slice_of_its_line():
    doors = [door(f"a{i}", 20 + 40 * i, 10, "A Street", 2 * i) for i in range(5)] + [door("b", 100, 50, "B St", 3)]
    start = ll(0, -5)
    route = order_route(doors, network=ladder(), start=start)
    assert len(route.path_stops) == len(doors) + 1 and route.path[route.path_stops[0]] == route.start
    assert [route.path[k] for k in route.path_stops[1:]] == [(d.lon, d.lat) for d in route.doors]
    # the first three doors' line is the one drawn through them alone
    first = route.path[route.path_stops[1]:route.path_stops[3] + 1]
    assert first == street_path(route.doors[:3], ladder())
    assert order_route(doors, start=start).path_stops == ()  # straight: no line, no stops
