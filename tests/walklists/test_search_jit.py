"""The numba search (walklists._search_jit) makes exactly the numpy search's moves: the same route
for the same matrix, so compiling it changed no list anyone has walked."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from walklists import _search

pytest.importorskip("numba")
from walklists import _search_jit  # noqa: E402


def _matrix(seed: int, n: int, start: bool, noise: float, side_m: float, whole: bool = False) -> np.ndarray:
    """Doors at random points (a crossing cost between two sides of a street, optionally), the depot
    free to leave and to end at, or a start: then leaving it costs (the depot's row differs from its
    column). noise: an asymmetric last-bits error like the street matrices' sums in another order
    (the passes assume doors' costs are symmetric; larger asymmetry can cycle in either search).
    whole: doors on a grid, metres round the blocks: many moves tie and the first of equals must win."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 300, (n, 2))
    side = rng.integers(0, 2, n)
    m = np.zeros((n + 1, n + 1))
    if whole:  # a grid of blocks walked round their corners: many equal costs, so many equal moves
        xy = np.round(xy / 40) * 40
    dxy = np.abs(xy[:, None] - xy[None])
    m[:n, :n] = (dxy.sum(axis=2) if whole else np.hypot(*dxy.transpose(2, 0, 1))) + side_m * (side[:, None] != side[None])
    m[:n, :n] *= 1 + noise * rng.uniform(-1, 1, (n, n))
    np.fill_diagonal(m, 0.0)
    if start:
        m[n, :n] = np.hypot(*(xy - rng.uniform(0, 300, 2)).T)
    return m


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), n=st.integers(3, 120), start=st.booleans(),
       noise=st.sampled_from([0.0, 1e-13]), side_m=st.sampled_from([0.0, 30.0]),
       whole=st.booleans(), budget=st.sampled_from([None, 48]), kicks=st.sampled_from([None, 0, 5]))
def test_the_compiled_search_returns_the_numpy_searchs_route(seed, n, start, noise, side_m, whole, budget, kicks):
    m = _matrix(seed, n, start, noise, side_m, whole)
    assert _search_jit.usable(m)
    jit = _search.solve_path(m, kicks=kicks, seed=n, budget=budget)
    ref = _search.solve_path_numpy(m, kicks=kicks, seed=n, budget=budget)
    assert jit.tolist() == ref.tolist()


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31), n=st.integers(3, 120), whole=st.booleans())
def test_each_kernel_matches_its_numpy_pass(seed, n, whole):
    """Every pass and the tour's cost alike, to the last bit (the kicks compare costs with a margin)."""
    m = _matrix(seed, n, seed % 2 == 0, 0.0, 30.0, whole)
    t = np.concatenate(([n], np.random.default_rng(seed).permutation(n)))
    me = _search._by_position(m, t)
    for ref_pass, kernel in ((_search._two_opt_pass, _search_jit._two_opt_pass),
                             (_search._or_opt_pass, _search_jit._or_opt_pass)):
        ref, moved = ref_pass(m, t, me)
        mine = t.copy()
        assert kernel(me, mine) == moved
        assert mine.tolist() == ref.tolist()
    assert _search_jit.tour_cost(m, t) == _search.tour_cost(m, t)
    assert _search_jit._nearest_neighbour(m).tolist() == _search._nearest_neighbour(m).tolist()


def test_the_cost_is_numpys_sum_to_the_last_bit_past_its_blocks_of_128():
    rng = np.random.default_rng(7)
    for n in (1, 7, 8, 9, 127, 128, 129, 300, 1000, 3001):
        x = rng.uniform(0, 1, n) * 10.0 ** rng.uniform(-3, 6, n)
        assert _search_jit._pairwise(x, n) == float(x.sum())


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")
def test_matrices_the_kernels_cannot_match_go_to_numpy():
    """inf or nan reach numpy's argmin through masked moves; float32 sums round differently."""
    m = _matrix(1, 12, True, 0.0, 0.0)
    assert _search_jit.usable(m)
    for bad in (np.where(m > 250, np.inf, m), np.where(m > 250, np.nan, m), m.astype(np.float32)):
        assert not _search_jit.usable(bad)
    m[0, 3] = np.inf
    assert _search.solve_path(m, seed=12).tolist() == _search.solve_path_numpy(m, seed=12).tolist()
