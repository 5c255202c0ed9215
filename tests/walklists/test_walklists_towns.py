"""Any town's addresses: far-away doors, streets numbered without the odd/even rule, country-sized
areas (hypothesis on synthetic towns)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walklists import FAR_GAP_M, Door, cut_turf, far_doors, metrics, order_route
from walklists._far import linked_groups, linked_groups_by_part
from walklists._faces import side_keys
from walklists._geo import EARTH_RADIUS_M, project_doors

LON0, LAT0 = 8.68, 50.11


def haversine(a: Door, b: Door) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))


def offset(lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
    return (lon + east_m / (111_195.0 * math.cos(math.radians(lat))), lat + north_m / 111_195.0)


def town(streets: int, per_side: int, seed: int) -> list[Door]:
    """Parallel streets 100 m apart, odd numbers on one side, even on the other."""
    rng = np.random.default_rng(seed)
    out = []
    for s in range(streets):
        for side in (0, 1):
            for h in range(per_side):
                number = 2 * h + 1 + side
                lon, lat = offset(LON0, LAT0, h * 12 + rng.uniform(-2, 2), s * 100 + (8 if side else -8))
                out.append(Door(f"t{s}-{number}", lon, lat, f"Street {s}", str(number)))
    return out


def destination(lon: float, lat: float, bearing_deg: float, metres: float) -> tuple[float, float]:
    """The point metres away along a great circle."""
    p1, l1, th, dl = math.radians(lat), math.radians(lon), math.radians(bearing_deg), metres / EARTH_RADIUS_M
    p2 = math.asin(math.sin(p1) * math.cos(dl) + math.cos(p1) * math.sin(dl) * math.cos(th))
    l2 = l1 + math.atan2(math.sin(th) * math.sin(dl) * math.cos(p1), math.cos(dl) - math.sin(p1) * math.sin(p2))
    return ((math.degrees(l2) + 180) % 360 - 180, math.degrees(p2))


@st.composite
def far_groups(draw):
    """Groups of doors 8 km to 9,000 km from the town, each in its own direction."""
    n = draw(st.integers(1, 3))
    bearings = draw(st.lists(st.integers(0, 5), min_size=n, max_size=n, unique=True))
    out = []
    for g, b in enumerate(bearings):
        km = draw(st.floats(8.0, 9000.0))  # from the town's corner; the town spans under 2.5 km
        size = draw(st.integers(1, 30))  # smaller than the town (32+ doors): the largest group is the main body
        lon, lat = destination(LON0, LAT0, 60 * b, km * 1000)
        for i in range(size):
            plon, plat = offset(lon, lat, 10 * (i % 9), 10 * (i // 9))
            out.append(Door(f"far{g}-{i}", plon, plat, f"Far Road {g}", str(i + 1)))
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 5), st.integers(8, 20), st.integers(0, 100), far_groups(), st.integers(20, 60))
def test_far_doors_are_reported_and_never_share_a_turf_with_the_main_body(streets, per_side, seed, far, target):
    body = town(streets, per_side, seed)
    doors = body + far
    far_ids = {d.id for d in far}
    assert {d.id for d in far_doors(doors)} == far_ids
    turfs = cut_turf(doors, target)
    assert sorted(d.id for t in turfs for d in t.members) == sorted(d.id for d in doors)
    for t in turfs:
        outliers = t.door_ids & far_ids
        assert not outliers or outliers == t.door_ids, "a far door shares a turf with the main body"
        assert t.far == bool(outliers)
        if outliers:  # one far group per turf: its doors sit within 130 m of each other
            xy, _ = project_doors(t.members)
            assert np.ptp(xy, axis=0).max() < 200


@settings(max_examples=10, deadline=None)
@given(st.integers(2, 4), st.integers(8, 20), st.floats(100.0, FAR_GAP_M * 0.9))
def test_a_village_within_reach_is_not_far(streets, per_side, km_gap_m):
    body = town(streets, per_side, 0)
    lon, lat = offset(LON0, LAT0, per_side * 12 + km_gap_m, 0)
    village = [Door(f"v{i}", *offset(lon, lat, 12 * i, 0), "Village Road", str(i + 1)) for i in range(8)]
    assert far_doors(body + village) == []
    assert not any(t.far for t in cut_turf(body + village, 40))


def street(name: str, scheme: str, houses: int, angle: float, origin: tuple[float, float], prefix: str) -> list[Door]:
    """One straight street, doors 12 m apart on both sides, 9 m from its centre line.

    scheme "parity": odd numbers on one side, even on the other; "horseshoe": 1..n up one side and
    on down the other; "one side": 1, 2, 3... along one side only.
    """
    ux, uy = math.cos(angle), math.sin(angle)
    out = []
    for i in range(houses):
        for side in ((0, 1) if scheme != "one side" else (0,)):
            along = 12 * i if not (scheme == "horseshoe" and side) else 12 * (houses - 1 - i)
            number = {"parity": 2 * i + 1 + side, "horseshoe": i + 1 + side * houses, "one side": i + 1}[scheme]
            sign = 1 if side else -1
            e, n = along * ux - 9 * sign * uy, along * uy + 9 * sign * ux
            out.append(Door(f"{prefix}{number}", *offset(*origin, e, n), name, str(number)))
    return out


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["parity", "horseshoe", "one side"]), st.sampled_from(["parity", "horseshoe", "one side"]),
       st.integers(5, 30), st.floats(0, 2 * math.pi))  # 5+ houses: enough triples to judge (PARITY_MIN_TRIPLES)
def test_parity_gives_the_side_only_on_streets_that_follow_it(a_scheme, b_scheme, houses, angle):
    a = street("A Street", a_scheme, houses, angle, (LON0, LAT0), "a")
    b = street("B Road", b_scheme, houses, angle + 1.0, offset(LON0, LAT0, 0, 500), "b")
    doors = a + b
    xy, _ = project_doors(doors)
    sides = dict(zip((d.id for d in doors), side_keys(doors, xy)))
    for scheme, group in ((a_scheme, a), (b_scheme, b)):
        got = {sides[d.id][1] for d in group}
        if scheme == "parity":
            assert all(sides[d.id][1] == int(d.house_number) % 2 for d in group)
        elif scheme == "horseshoe":
            assert got == {0}, "sides from parity on a street numbered up one side and down the other"
        else:
            assert len(got) == 1
    # the route pays no crossing cost where odd and even numbers stand side by side
    if a_scheme == "horseshoe":
        assert order_route(a).crossings == 0


@settings(max_examples=30, deadline=None)
@given(st.floats(47.0, 55.0), st.floats(5.0, 15.0), st.floats(0, 2 * math.pi))
def test_a_country_sized_area_keeps_street_distances(lat, lon, angle):
    # corners of a country (Germany's extent) and two doors 100 m apart anywhere in it
    corners = [Door(f"c{i}", x, y) for i, (x, y) in enumerate([(5.0, 47.0), (15.0, 47.0), (5.0, 55.0), (15.0, 55.0)])]
    a = Door("a", lon, lat)
    b = Door("b", *offset(lon, lat, 100 * math.cos(angle), 100 * math.sin(angle)))
    xy, _ = project_doors(corners + [a, b])
    assert abs(np.hypot(*(xy[5] - xy[4])) / haversine(a, b) - 1) < 0.005


def test_a_town_with_a_far_mistake_keeps_its_distances():
    body = town(3, 10, 0)
    mistakes = [Door(f"x{i}", LON0 - 80 + 0.001 * i, LAT0 - 30) for i in range(42)]  # ~8,000 km away
    doors = body + mistakes
    xy, _ = project_doors(doors)
    pos = {d.id: i for i, d in enumerate(doors)}
    a, b = body[0], body[-1]
    assert abs(np.hypot(*(xy[pos[a.id]] - xy[pos[b.id]])) / haversine(a, b) - 1) < 0.001
    turfs = cut_turf(doors, 30)
    assert max(t.route.length_m for t in turfs) < 5_000
    assert metrics.long_hop_turfs(turfs) == 0


@settings(max_examples=30, deadline=None)
@given(st.floats(-70.0, 70.0), st.floats(0.5, 40.0), st.floats(0, 2 * math.pi))
def test_any_area_keeps_street_distances_within_the_stretch_allowed(lat, span_km, angle):
    # a town to a county at any latitude: the projection chosen for it stretches no hop beyond 0.2%
    ne = Door("ne", *offset(LON0, lat, span_km * 500, span_km * 500))
    sw = Door("sw", *offset(LON0, lat, -span_km * 500, -span_km * 500))
    a = Door("a", *offset(LON0, lat, span_km * 450, -span_km * 450))
    b = Door("b", *offset(a.lon, a.lat, 100 * math.cos(angle), 100 * math.sin(angle)))
    xy, _ = project_doors([ne, sw, a, b])
    assert abs(np.hypot(*(xy[3] - xy[2])) / haversine(a, b) - 1) < 0.0025


def hamlets_around(_: list[Door], count: int, size: int, km: float = 1.8) -> list[Door]:
    """count hamlets of size doors (odd numbers: one block face each), km from the town's middle, 50
    degrees apart (over 1 km from each other)."""
    out = []
    for h in range(count):
        angle = math.radians(-60 + 50 * h)
        lon, lat = offset(LON0, LAT0, 150 + 1000 * km * math.cos(angle), 150 + 1000 * km * math.sin(angle))
        out += [Door(f"h{h}-{i}", *offset(lon, lat, 15 * i, 0), f"Lane {h}", str(2 * i + 1)) for i in range(size)]
    return out


def test_hamlets_share_one_turf_with_a_long_walk():
    # four lone farms 1.8 km out: without gathering, two turfs each carry a walk over 1 km
    doors = town(4, 25, 0) + hamlets_around([], 4, 1)
    turfs = cut_turf(doors, 50)
    assert metrics.long_hop_turfs(turfs) == 1
    assert metrics.balance(turfs, 50).share_within == 1.0


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 50), st.integers(1, 5), st.integers(1, 4), st.floats(1.2, 4.0))
def test_gathering_hamlets_keeps_sizes_and_hamlets_whole(seed, count, size, km):
    doors = town(4, 25, seed) + hamlets_around([], count, size, km)
    turfs = cut_turf(doors, 50)
    assert metrics.balance(turfs, 50).share_within == 1.0
    assert metrics.long_hop_turfs(turfs) <= count
    turf_of = {d.id: j for j, t in enumerate(turfs) for d in t.members}
    for h in range(count):  # a hamlet (its lane, one block face) moves whole
        assert len({turf_of[f"h{h}-{i}"] for i in range(size)}) == 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.tuples(st.floats(-3000, 3000), st.floats(-3000, 3000)), max_size=25), min_size=1, max_size=8),
       st.sampled_from([250.0, 1000.0]))
def test_grouping_many_parts_at_once_equals_grouping_each(part_points, gap):
    """The cut groups every turf's doors in one call (gather_hamlets); parts never link to each
    other, however close, and each part's numbering is the one it would get alone."""
    xy = np.array([p for part in part_points for p in part], dtype=float).reshape(-1, 2)
    sizes = [len(part) for part in part_points]
    at = np.cumsum([0] + sizes)
    parts = [np.arange(at[i], at[i + 1]) for i in range(len(sizes))]
    together = linked_groups_by_part(xy, parts, gap)
    for p, g in zip(parts, together):
        assert g.tolist() == linked_groups(xy[p], gap).tolist()
