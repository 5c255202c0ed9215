"""Routes along a street network: the route walks the streets, crosses between streets only where
they meet, takes its crossings where they are cheap, and keeps to doors' own streets."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walklists import Door, InvalidStreetError, StreetLine, order_route
from walklists.network import StreetNetwork, street_name_key
from walklists.street_routes import street_walks

LON0, LAT0 = -71.1, 42.37
M_LON = 111_195.0 * math.cos(math.radians(LAT0))
M_LAT = 111_195.0


def ll(x: float, y: float) -> tuple[float, float]:
    return (LON0 + x / M_LON, LAT0 + y / M_LAT)


def line(id_: str, name: str, *xy: tuple[float, float]) -> StreetLine:
    return StreetLine(id_, name, tuple(ll(x, y) for x, y in xy))


def ladder(length: float = 400.0, gap: float = 60.0) -> list[StreetLine]:
    """Two parallel streets gap metres apart, joined only at their two ends."""
    return [line("a", "A Street", (0, 0), (length / 2, 0), (length, 0)), line("b", "B St", (0, gap), (length, gap)),
            line("w", "West Rd", (0, 0), (0, gap)), line("e", "East Rd", (length, 0), (length, gap))]


def door(id_: str, x: float, y: float, street: str, number: int, building: str | None = None) -> Door:
    return Door(id_, *ll(x, y), street, str(number), building)


def on_some_piece(p, q, pieces, tol_m: float = 0.05) -> bool:
    """Do points p and q (lon, lat) both lie on one piece of one street line?"""
    def xy(pt):
        return np.array([(pt[0] - LON0) * M_LON, (pt[1] - LAT0) * M_LAT])
    for a, b in pieces:
        a, b = xy(a), xy(b)
        ab = b - a
        ok = True
        for pt in (xy(p), xy(q)):
            t = np.clip(np.dot(pt - a, ab) / max(np.dot(ab, ab), 1e-12), 0, 1)
            ok = ok and np.hypot(*(a + t * ab - pt)) < tol_m
        if ok:
            return True
    return False


def assert_walks_the_streets(route, lines, doors):
    pieces = [(ln.coords[i], ln.coords[i + 1]) for ln in lines for i in range(len(ln.coords) - 1)]
    at_door = {(d.lon, d.lat) for d in doors}
    assert route.path, "a route on a network carries the line it walks"
    for p, q in zip(route.path, route.path[1:]):
        if p in at_door and q in at_door:  # doors on the line itself, or flats of one building
            assert p == q or on_some_piece(p, q, pieces), f"the route jumps from door {p} to door {q}"
        elif p in at_door or q in at_door:  # the leg between a door and its street
            street_end = q if p in at_door else p
            assert on_some_piece(street_end, street_end, pieces), f"a leg ends off the streets at {street_end}"
        else:
            assert on_some_piece(p, q, pieces), f"the route leaves the streets between {p} and {q}"


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.floats(5, 395), st.booleans(), st.booleans()), min_size=2, max_size=30,
                unique_by=lambda t: round(t[0])),
       st.floats(0, 80))
def test_routes_never_leave_a_street_except_where_streets_meet(spots, crossing_m):
    lines = ladder()
    doors = []
    for i, (x, on_b, north) in enumerate(spots):
        y = (60 if on_b else 0) + (10 if north else -10)
        doors.append(door(f"d{i}", x, y, "B St" if on_b else "A Street", 2 * i + north))
    route = order_route(doors, network=lines, crossing_m=crossing_m)
    assert sorted(d.id for d in route.doors) == sorted(d.id for d in doors)
    assert_walks_the_streets(route, lines, doors)
    # the back-yard shortcut between the streets is never taken: metres are along the streets
    straight = order_route(doors)
    assert route.length_m >= straight.length_m - 1e-6


def test_back_yard_neighbours_are_walked_street_by_street():
    # doors facing each other across back yards: straight lines zig-zag, streets walk A then B
    doors = [door(f"a{i}", 20 + 40 * i, 10, "A Street", 2 * i) for i in range(10)]
    doors += [door("b0", 180, 50, "B St", 2), door("b1", 220, 50, "B St", 4)]
    zigzag = order_route(doors)
    assert sum(a.street != b.street for a, b in zip(zigzag.doors, zigzag.doors[1:])) == 2  # what it replaces
    route = order_route(doors, network=ladder(), crossing_m=30)
    streets = [d.street for d in route.doors]
    assert sum(a != b for a, b in zip(streets, streets[1:])) == 1
    # along A Street 360 m, round the east end to b1 (20 + 60 + 180), on to b0 (40); 11 hops of two
    # 10 m legs
    assert route.length_m == pytest.approx(360 + 260 + 40 + 11 * 20, rel=0.01)


def test_a_busy_street_is_crossed_once_and_a_quiet_one_zig_zags():
    lines = [line("m", "Main St", (-50, 0), (450, 0)), line("x", "West Rd", (-50, -100), (-50, 100)),
             line("y", "East Rd", (450, -100), (450, 100))]
    doors = [door(f"n{i}", 10 * i, 8, "Main St", 2 * i + 1) for i in range(30)]
    doors += [door(f"s{i}", 10 * i + 5, -8, "Main St", 2 * i) for i in range(30)]
    busy = order_route(doors, network=lines, crossing_m=200)
    assert busy.crossings == 1
    sides = [int(d.house_number) % 2 for d in busy.doors]
    assert sides == sorted(sides) or sides == sorted(sides, reverse=True)
    assert order_route(doors, network=lines, crossing_m=0).crossings > 10
    assert_walks_the_streets(busy, lines, doors)


def test_a_door_is_on_its_own_street_when_another_is_nearer():
    # 14 A Street stands on the corner, 6 m from West Rd but 12 m from A Street
    lines = ladder()
    corner = door("c", 6, 12, "A Street", 14)
    other = door("o", 6, 40, "West Rd", 3)
    g, s, w = street_walks([corner, other], StreetNetwork(lines), 30.0)
    names = [g.seg_name[s.seg[i]] for i in range(2)]
    assert names == [street_name_key("A Street"), street_name_key("West Rd")]
    assert s.leg[0] == pytest.approx(12, abs=0.1) and s.leg[1] == pytest.approx(6, abs=0.1)


def test_name_keys_match_abbreviations():
    assert street_name_key("Cambridge Street") == street_name_key("cambridge st.") == "CAMBRIDGE ST"
    assert street_name_key(None) == ""


def test_doors_of_one_building_are_walked_directly_and_unconnected_streets_still_route():
    lines = [line("a", "A St", (0, 0), (100, 0)), line("b", "B St", (0, 500), (100, 500))]
    doors = [door(f"f{i}", 50, 20, "A St", 1, building="block") for i in range(4)]
    doors += [door("far", 50, 480, "B St", 2)]
    route = order_route(doors, network=lines)
    assert route.doors[-1].id == "far" or route.doors[0].id == "far"
    assert math.isfinite(route.length_m) and route.length_m >= 440


def test_start_point_is_snapped_to_the_streets_too():
    doors = [door(f"a{i}", 20 + 40 * i, 10, "A Street", 2 * i) for i in range(5)]
    route = order_route(doors, network=ladder(), start=ll(0, 30))
    assert route.doors[0].id == "a0"
    assert route.path[0] == pytest.approx(ll(0, 30))
    # from the start on West Rd: 30 m down to the corner, 20 m along A Street, 10 m up to the door
    assert route.length_m == pytest.approx(30 + 20 + 10 + 4 * 60, rel=0.01)


def test_bad_networks_are_refused():
    with pytest.raises(InvalidStreetError):
        StreetNetwork([])
    with pytest.raises(InvalidStreetError):
        StreetNetwork([("not", "a", "line")])
    with pytest.raises(InvalidStreetError):
        order_route([door("a", 0, 0, "A", 1)], network=[])


def test_doors_far_from_every_street_are_routed_on_straight_lines():
    doors = [door(f"a{i}", 20 + 40 * i, 10, "A Street", 2 * i) for i in range(5)]
    far = [line("x", "Far Rd", (5000, 5000), (5100, 5000))]
    route = order_route(doors, network=far)
    straight = order_route(doors)
    assert [d.id for d in route.doors] == [d.id for d in straight.doors]
    assert route.length_m == pytest.approx(straight.length_m) and route.path == ()


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(-600, 600), st.floats(-600, 600), st.sampled_from(["A Street", "B St", "Elm"])),
                min_size=1, max_size=12),
       st.lists(st.tuples(st.floats(-500, 500), st.floats(-500, 500), st.floats(-500, 500), st.floats(-500, 500),
                          st.sampled_from(["A Street", "B St", ""])), min_size=1, max_size=15))
def test_snapping_through_the_pieces_near_each_door_equals_measuring_every_piece(points, pieces):
    """Routes snap each door against the pieces near it (fast on an island's 15,000 pieces); the
    answer must be the one measuring every piece gives, also for doors far from every street."""
    from walklists._geo import project, project_doors
    from walklists.network import _NAME_REACH_M, snap

    lines = [line(f"l{i}", name, (x0, y0), (x1 + 0.5, y1)) for i, (x0, y0, x1, y1, name) in enumerate(pieces)]
    net = StreetNetwork(lines)
    ds = [door(f"d{i}", x, y, name, i) for i, (x, y, name) in enumerate(points)]
    xy, _ = project_doors(ds)
    lon, lat = np.array([d.lon for d in ds]), np.array([d.lat for d in ds])
    g = net.graph
    idx = np.arange(len(g.seg_len))
    from walklists._geo import equirectangular_fits, reference_point

    ref = reference_point(lon, lat)
    flat = equirectangular_fits(lon, lat, ref)
    a, b = project(g.seg_a[:, 0], g.seg_a[:, 1], ref, flat), project(g.seg_b[:, 0], g.seg_b[:, 1], ref, flat)
    names = [d.street for d in ds]
    every = snap(g, idx, a, b, xy, names)
    near = snap(g, idx, a, b, xy, names, net.pieces_within(lon, lat, 1.25 * _NAME_REACH_M))
    assert every.seg.tolist() == near.seg.tolist()
    assert np.allclose(every.leg, near.leg) and every.side.tolist() == near.side.tolist()
