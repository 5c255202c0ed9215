"""walklists._mend: the rest of a split face joins the turf with most of it; never more shared area."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from walklists import Door
from walklists._mend import mend, mend_and_trim
from walklists._trim import SPLIT_BUDGET, trim
from walklists.cutting import _face_pieces

from .test_walklists_untangle import LAT0, LON0, SETTINGS, cutter_for, keeps_the_bars, shared_m2, splits, tangled_cuts


def _mean_pp(doors, parts) -> float:
    from walklists import metrics

    return metrics.mean_polsby_popper([[doors[i] for i in p] for p in parts])


@SETTINGS
@given(tangled_cuts())
def test_mending_only_mends_and_never_grows_the_area_hulls_share(case):
    doors, cutter, parts = case
    after, changed, before = mend(cutter, parts, cutter.atom, 0.0)
    keeps_the_bars(doors, cutter, parts, after, budget=0.0)
    assert abs(before - shared_m2(doors, parts)) < 0.01
    if after is not parts:  # each move leaves fewer split faces; moves of other turfs add up
        assert splits(cutter, after) < splits(cutter, parts)
        moved = [n for n, (p, q) in enumerate(zip(parts, after)) if not np.array_equal(p, q)]
        assert moved == np.flatnonzero(changed).tolist()


@SETTINGS
@given(tangled_cuts())
def test_mending_keeps_the_mean_polsby_popper_at_its_floor(case):
    doors, cutter, parts = case
    floor = _mean_pp(doors, parts) - 0.01
    after = mend(cutter, parts, cutter.atom, floor)[0]
    assert _mean_pp(doors, after) >= min(floor, _mean_pp(doors, parts)) - 1e-9


@SETTINGS
@given(tangled_cuts())
def test_mending_then_trimming_never_grows_the_area_hulls_share_and_keeps_the_bars(case):
    doors, cutter, parts = case
    pieces = _face_pieces(cutter)
    trimmed = trim(cutter, parts, cutter.atom, pieces)
    after = mend_and_trim(cutter, trimmed, cutter.atom, lambda p, c, r, n: trim(cutter, p, cutter.atom, pieces, c, r, n), 0.0)
    keeps_the_bars(doors, cutter, trimmed, after, budget=SPLIT_BUDGET)


def _door(name: str, x: float, y: float, street: str) -> Door:
    return Door(name, LON0 + x / 82_000, LAT0 + y / 111_000, street, "1")


def test_the_last_two_doors_of_a_street_join_the_turf_holding_the_rest():
    # Two parallel streets 60 m apart, 10 doors each; one turf holds North's first 8 doors and
    # South's first 2, the other the rest: both streets are split. Mending moves South's 2 doors (the
    # first face, both turfs then in a move for the round), then, called again, North's 2.
    north = [_door(f"n{i}", 20 * i, 60, "North") for i in range(10)]
    south = [_door(f"s{i}", 20 * i, 0, "South") for i in range(10)]
    doors = north + south
    cutter = cutter_for(doors, 10, 0.2)
    parts = [np.r_[np.arange(8), 10, 11], np.r_[8, 9, np.arange(12, 20)]]
    assert splits(cutter, parts) == 2
    after, changed, _ = mend(cutter, parts, cutter.atom, 0.0)
    assert splits(cutter, after) == 1 and changed.all() and {10, 11} <= set(after[1].tolist())
    after = mend(cutter, after, cutter.atom, 0.0)[0]
    assert [p.tolist() for p in after] == [list(range(10)), list(range(10, 20))]
    assert shared_m2(doors, after) < 0.01
