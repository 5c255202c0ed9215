"""walklists/routing.py and walklists/_search.py where the mutation check (RELIABILITY "Mutation check") found behaviour no
other test held: what the cost matrix charges for a crossing."""

from __future__ import annotations

import numpy as np
import pytest

from walklists import Door
from walklists._geo import project_doors
from walklists.routing import cost_matrix

DOORS = [
    Door("a", -71.1000, 42.3700, "Main St", "1"),
    Door("b", -71.1000, 42.3701, "Main St", "2"),
    Door("c", -71.1001, 42.3700, "main  st", "3"),   # the same street, written differently
    Door("d", -71.1001, 42.3701, "Oak St", "4"),     # another street: never a crossing of Main St
    Door("e", -71.1002, 42.3701, "Main St", ""),     # no number: no side, never a crossing
]
# Pairs that cross Main St: a door on side 1 (odd) and one on side 0 (even), both numbered.
CROSSING = {("a", "b"), ("b", "c")}


@pytest.mark.parametrize("crossing_m", [0.5, 1.0, 60.0])
def test_the_cost_is_the_metres_plus_crossing_m_for_each_change_of_side(crossing_m):
    xy, _ = project_doors(DOORS)
    dist, cost = cost_matrix(DOORS, xy, crossing_m)
    ids = [d.id for d in DOORS]
    expected = np.array([[crossing_m if (a, b) in CROSSING or (b, a) in CROSSING else 0.0 for b in ids] for a in ids])
    assert np.allclose(cost - dist, expected, rtol=0, atol=1e-9)
    assert dist[0, 1] > 10  # real metres, not a unit matrix


def test_no_crossing_cost_gives_the_metres_themselves():
    xy, _ = project_doors(DOORS)
    dist, cost = cost_matrix(DOORS, xy, 0.0)
    assert np.array_equal(cost, dist)


@pytest.mark.parametrize("seed", range(6))
def test_solve_path_finds_the_best_closed_tour_when_the_way_back_costs(seed):
    """order_route leaves the way back free (an open path), but solve_path takes any depot row and
    column: starting and ending at an office, the tour it returns is the optimum, way back included."""
    from tests.walklists.test_walklists_routing import _optimum, _street_like
    from walklists._search import solve_path

    n = 10
    m = _street_like(seed, n)
    xy = np.random.default_rng(seed).uniform(0, 200, size=(n, 2))  # the doors _street_like placed
    office = np.random.default_rng(100 + seed).uniform(0, 200, size=2)
    m[n, :n] = m[:n, n] = np.hypot(*(xy - office).T)
    order = solve_path(m, seed=seed).tolist()
    assert sorted(order) == list(range(n))
    tour = [n, *order, n]
    assert sum(m[a, b] for a, b in zip(tour, tour[1:])) == pytest.approx(_optimum(m), rel=1e-9)


def test_the_move_mask_cache_stays_bounded_and_right():
    """Masks are cached per (size, kind); a server routing lists of every size must not keep them all."""
    from walklists import _search

    _search._MASKS.clear()
    for size in range(3, 75):
        for kind in range(4):
            _search._mask(size, kind)
    assert 0 < len(_search._MASKS) <= 257
    two_opt = _search._mask(5, 0)
    assert np.isinf(two_opt[1, 2]) and two_opt[1, 3] == 0  # 2-opt needs j >= i + 2
    _search._MASKS.clear()


def _instance(seed: int, n: int) -> np.ndarray:
    """Doors on two sides of a street (30 m to cross), and a depot row of its own: an open path."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 200, (n, 2))
    side = rng.integers(0, 2, n)
    m = np.zeros((n + 1, n + 1))
    m[:n, :n] = np.hypot(*(xy[:, None] - xy[None]).transpose(2, 0, 1)) + 30 * (side[:, None] != side[None])
    m[n, :n] = rng.uniform(0, 100, n)
    return m


def test_a_batch_of_moves_never_makes_the_tour_longer():
    """Each pass applies many moves at once, only ones that touch different edges: two moves on the
    same edge could each improve the tour alone and make it longer together."""
    from walklists._search import _nearest_neighbour, _or_opt_pass, _two_opt_pass, tour_cost

    for seed in range(1500):
        n = 5 + seed % 40
        m = _instance(seed, n)
        t = np.concatenate(([n], np.random.default_rng(seed).permutation(n))) if seed % 2 else _nearest_neighbour(m)
        for one_pass in (_or_opt_pass, _two_opt_pass):
            after, _ = one_pass(m, t)
            assert after[0] == n and sorted(after.tolist()) == list(range(n + 1))
            assert tour_cost(m, after) <= tour_cost(m, t) + 1e-9, (seed, one_pass.__name__)


def _on_a_line(*metres: float) -> list[Door]:
    """Doors along one side of an east-west street, that many metres east of a point; ids a, b, c..."""
    return [Door(chr(ord("a") + i), -71.1 + x / 82_000, 42.37, "Main St", str(2 * i + 1)) for i, x in enumerate(metres)]


@pytest.mark.parametrize("start_m, walk", [(-30.0, "ab"), (40.0, "ab"), (130.0, "ba"), (400.0, "ba")])
def test_two_doors_begin_with_the_one_nearest_the_start(start_m, walk):
    from walklists import order_route

    doors = _on_a_line(0.0, 100.0)
    route = order_route(doors, start=(-71.1 + start_m / 82_000, 42.37))
    assert "".join(d.id for d in route.doors) == walk


@pytest.mark.parametrize("metres, walk", [((0.0, 100.0, 50.0), ["a", "c", "b"]), ((50.0, 0.0, 100.0), ["b", "a", "c"])])
def test_three_doors_are_walked_in_street_order_not_id_order(metres, walk):
    from walklists import order_route

    route = order_route(_on_a_line(*metres))
    assert [d.id for d in route.doors] in (walk, walk[::-1])


# 8 doors is the smallest route the kicks run on; on these seeds 2-opt and Or-opt alone stop short.
EIGHT_DOOR_HARD_SEEDS = [12, 21, 33, 51]


@pytest.mark.parametrize("seed", EIGHT_DOOR_HARD_SEEDS)
def test_eight_doors_already_get_the_kicks(seed):
    from tests.walklists.test_walklists_routing import _optimum, _street_like
    from walklists._search import solve_path, tour_cost

    n = 8
    m = _street_like(seed, n)
    optimum = _optimum(m)
    assert tour_cost(m, np.concatenate(([n], solve_path(m, kicks=0, seed=seed)))) > optimum + 1e-6
    assert tour_cost(m, np.concatenate(([n], solve_path(m, seed=seed)))) == pytest.approx(optimum, rel=1e-9)


def test_a_crossing_on_the_last_step_is_counted():
    from walklists import order_route

    one_side = _on_a_line(0.0, 20.0)  # a (1) and b (3): the odd side
    across = Door("c", -71.1 + 30 / 82_000, 42.37 + 16 / 111_000, "Main St", "2")
    route = order_route([*one_side, across], start=(-71.1 - 50 / 82_000, 42.37), crossing_m=60)
    assert [d.id for d in route.doors] == ["a", "b", "c"] and route.crossings == 1
