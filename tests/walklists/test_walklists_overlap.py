"""Turfs that do not overlap (issue #21, part 2): the bar, on generated street grids.

Not met yet: on these grids Legwork's turfs' hulls overlap 4-7% of their area (Cambridge: 7% in
ward 9, 13% in the city), because turfs are cut between whole block faces and the faces of
neighbouring turfs interlock. The test is strict: it fails as soon as the bar is met, so that
whoever meets it removes the mark.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from walklists import cut_turf, metrics

from .test_walklists_faces import block_grid

OVERLAP_BAR = 0.01


@pytest.mark.xfail(strict=True, reason="issue #21 part 2: hull overlap is 4-7% on grids, the bar is 1%")
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(4, 7), st.integers(4, 7), st.integers(3, 6), st.integers(0, 100), st.integers(30, 60))
def test_turf_hulls_overlap_at_most_one_percent(nx, ny, per_face, seed, target):
    doors = block_grid(nx, ny, per_face, seed)
    lo, hi = math.ceil(0.9 * target), math.floor(1.1 * target)
    assume(any(k * lo <= len(doors) <= k * hi for k in range(2, len(doors) // lo + 2)))
    turfs = cut_turf(doors, target)
    assert metrics.hull_overlap(turfs) <= OVERLAP_BAR


def test_hull_overlap_measures_shared_area():
    from walklists import Door

    def square(prefix, x0, y0):
        return [Door(f"{prefix}{i}", -71.1 + (x0 + dx) / 82_000, 42.37 + (y0 + dy) / 111_000)
                for i, (dx, dy) in enumerate([(0, 0), (100, 0), (0, 100), (100, 100)])]

    apart = [square("a", 0, 0), square("b", 200, 0)]
    assert metrics.hull_overlap(apart) == 0.0
    half = [square("a", 0, 0), square("b", 50, 0)]  # share a 50 x 100 strip of 2 x 100 x 100
    assert metrics.hull_overlap(half) == pytest.approx(0.25, rel=0.02)
