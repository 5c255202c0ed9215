"""order_route: permutations, determinism, street sides, start point, pace."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.shared_data import route_points, walked_m
from walklists import DEFAULT_PACE, Door, Pace, order_route


def street(n_per_side: int, width_m: float = 16.0) -> list[Door]:
    out = []
    for side in (0, 1):
        for h in range(n_per_side):
            lon = -71.1 + h * 10 / 82_000
            lat = 42.37 + (width_m / 2 if side else -width_m / 2) / 111_000
            out.append(Door(f"d{side}-{h}", lon, lat, "Main St", str(2 * h + 1 + side)))
    return out


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(-71.12, -71.10), st.floats(42.36, 42.38)), min_size=1, max_size=40, unique=True),
       st.randoms(use_true_random=False))
def test_route_is_a_permutation_and_order_invariant(points, rnd):
    doors = [Door(f"d{i}", lon, lat, f"S{i % 3}", str(i)) for i, (lon, lat) in enumerate(points)]
    route = order_route(doors)
    assert sorted(d.id for d in route.doors) == sorted(d.id for d in doors)
    shuffled = doors[:]
    rnd.shuffle(shuffled)
    assert [d.id for d in order_route(shuffled).doors] == [d.id for d in route.doors]
    assert route.length_m == pytest.approx(walked_m(route_points(route)), rel=1e-3, abs=1e-6)


def test_length_is_metres_walked_not_the_cost_with_crossing_penalties():
    doors = street(20)
    start = (doors[0].lon - 0.001, doors[0].lat)
    for route in (order_route(doors, crossing_m=60), order_route(doors, crossing_m=60, start=start)):
        assert route.crossings == 1  # the penalty steered the order: one crossing, not a zig-zag
        walked = walked_m(route_points(route))
        assert route.length_m == pytest.approx(walked, rel=1e-3)
        assert route.minutes == pytest.approx(walked / DEFAULT_PACE.metres_per_minute
                                              + len(doors) * DEFAULT_PACE.seconds_per_door / 60, rel=1e-3)


def test_busy_street_is_walked_one_side_then_the_other():
    route = order_route(street(20), crossing_m=60)
    assert route.crossings == 1
    sides = [int(d.house_number) % 2 for d in route.doors]
    assert sides == sorted(sides) or sides == sorted(sides, reverse=True)


def test_quiet_street_zig_zags_when_crossing_is_free():
    route = order_route(street(20, width_m=8), crossing_m=0)
    assert route.crossings > 5


def test_no_backtracking_along_one_side():
    doors = [d for d in street(30) if d.id.startswith("d0")]
    random.Random(1).shuffle(doors)
    route = order_route(doors)
    hs = [int(d.id.split("-")[1]) for d in route.doors]
    assert hs == sorted(hs) or hs == sorted(hs, reverse=True)
    assert route.length_m == pytest.approx(29 * 10 * 82_000 / 82_000 * (111_320 * math.cos(math.radians(42.37)) / 82_000), rel=0.02)


def test_start_point_begins_nearest_end():
    doors = [d for d in street(10) if d.id.startswith("d0")]
    east = (doors[-1].lon + 0.001, doors[-1].lat)
    route = order_route(doors, start=east)
    assert route.doors[0].id == "d0-9"
    assert route.start == east


def test_minutes_is_walking_plus_door_time():
    pace = Pace(metres_per_minute=60, seconds_per_door=30)
    route = order_route(street(5), pace=pace)
    assert route.minutes == pytest.approx(route.length_m / 60 + len(route.doors) * 0.5)
    assert DEFAULT_PACE.metres_per_minute > 0


def test_single_door():
    route = order_route([Door("a", 0.0, 0.0)])
    assert [d.id for d in route.doors] == ["a"] and route.length_m == 0


def _optimum(m) -> float:
    """Held-Karp: the exact cost of the best tour from the depot (last node) through every node."""
    import numpy as np

    n = m.shape[0] - 1
    best = np.full((1 << n, n), np.inf)  # best[S, j]: from the depot through set S, ending at j
    for j in range(n):
        best[1 << j, j] = m[n, j]
    for s in range(1, 1 << n):
        for j in range(n):
            if (s >> j) & 1 and s != 1 << j:
                best[s, j] = np.min(best[s ^ (1 << j)] + m[:n, j])
    return float(np.min(best[-1] + m[:n, n]))


def _street_like(seed: int, n: int):
    import numpy as np

    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 200, size=(n, 2))
    side = rng.integers(0, 2, size=n)
    cost = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) + 30.0 * (side[:, None] != side[None, :])
    m = np.zeros((n + 1, n + 1))
    m[:n, :n] = cost
    return m


# Seeds whose 10-door instance 2-opt and Or-opt alone leave short of the optimum (checked below):
# only the iterated local search's kicks reach it. (With 8 doors, seeds 0-5 were all solved by the
# local search alone, so a test on them could not notice the kicks were gone.)
HARD_SEEDS = [1, 15, 17, 19, 21, 26]


@pytest.mark.parametrize("seed", HARD_SEEDS)
def test_solve_path_finds_the_optimum_where_local_search_alone_does_not(seed):
    import numpy as np

    from walklists._search import tour_cost, solve_path

    n = 10
    m = _street_like(seed, n)
    optimum = _optimum(m)
    local_only = tour_cost(m, np.concatenate(([n], solve_path(m, kicks=0, seed=seed))))
    assert local_only > optimum + 1e-6, "this instance no longer needs the kicks: pick another seed"
    order = solve_path(m, seed=seed)
    assert sorted(order.tolist()) == list(range(n))
    assert tour_cost(m, np.concatenate(([n], order))) == pytest.approx(optimum, rel=1e-9)
    assert solve_path(m, seed=seed).tolist() == order.tolist()  # deterministic
