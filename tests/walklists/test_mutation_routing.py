"""walklists/routing.py where the mutation check (RELIABILITY "Mutation check") found behaviour no
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
    from walklists.routing import solve_path

    n = 10
    m = _street_like(seed, n)
    xy = np.random.default_rng(seed).uniform(0, 200, size=(n, 2))  # the doors _street_like placed
    office = np.random.default_rng(100 + seed).uniform(0, 200, size=2)
    m[n, :n] = m[:n, n] = np.hypot(*(xy - office).T)
    order = solve_path(m, seed=seed).tolist()
    assert sorted(order) == list(range(n))
    tour = [n, *order, n]
    assert sum(m[a, b] for a, b in zip(tour, tour[1:])) == pytest.approx(_optimum(m), rel=1e-9)
