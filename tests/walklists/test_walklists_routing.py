"""order_route: permutations, determinism, street sides, start point, pace."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
    assert route.length_m >= 0


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


def _brute_force_cost(m):
    import itertools

    import numpy as np

    n = m.shape[0] - 1
    best = math.inf
    for perm in itertools.permutations(range(n)):
        t = np.array((n,) + perm)
        best = min(best, float(m[t[:-1], t[1:]].sum() + m[t[-1], t[0]]))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_solve_path_finds_the_optimum_of_small_street_like_instances(seed):
    import numpy as np

    from walklists.routing import tour_cost, solve_path

    rng = np.random.default_rng(seed)
    n = 8
    xy = rng.uniform(0, 200, size=(n, 2))
    side = rng.integers(0, 2, size=n)
    cost = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) + 30.0 * (side[:, None] != side[None, :])
    m = np.zeros((n + 1, n + 1))
    m[:n, :n] = cost
    order = solve_path(m, seed=seed)
    assert sorted(order.tolist()) == list(range(n))
    assert tour_cost(m, np.concatenate(([n], order))) == pytest.approx(_brute_force_cost(m), rel=1e-9)
    assert solve_path(m, seed=seed).tolist() == order.tolist()  # deterministic
