"""walklists._trim: hull corners move where the turfs' hulls share less area; never more in all."""

from __future__ import annotations

import numpy as np
from hypothesis import given

from walklists import Door
from walklists._trim import SPLIT_BUDGET, trim
from walklists.cutting import _face_pieces

from .test_walklists_untangle import LON0, LAT0, SETTINGS, cutter_for, keeps_the_bars, shared_m2, tangled_cuts


@SETTINGS
@given(tangled_cuts())
def test_trimming_never_grows_the_area_hulls_share_and_keeps_the_bars(case):
    doors, cutter, parts = case
    keeps_the_bars(doors, cutter, parts, trim(cutter, parts, cutter.atom, _face_pieces(cutter)), budget=SPLIT_BUDGET)


def _door(name: str, x: float, y: float, street: str) -> Door:
    return Door(name, LON0 + x / 82_000, LAT0 + y / 111_000, street, "1")


def test_a_building_out_on_a_limb_over_the_next_turf_moves_to_it():
    # West: a 4 x 5 block of doors at x 0-60; east: the same at x 100-160. One west door stands
    # below the east block (x 130, y -15): outside east's hull, so untangling cannot move it, but
    # west's hull reaches over east's to hold it. In the east turf, the hulls share nothing.
    west = [_door(f"w{i}{j}", 20 * i, 20 * j, f"West {i}") for i in range(4) for j in range(5)]
    east = [_door(f"e{i}{j}", 100 + 20 * i, 20 * j, f"East {i}") for i in range(4) for j in range(5)]
    limb = _door("limb", 130, -15, "Low")
    doors = west + [limb] + east
    cutter = cutter_for(doors, 21, 0.2)
    parts = [np.arange(21), np.arange(21, 41)]
    assert shared_m2(doors, parts) > 100
    after = trim(cutter, parts, cutter.atom, _face_pieces(cutter))
    assert 20 in after[1]
    assert shared_m2(doors, after) < 0.01


def test_two_turfs_at_their_size_limits_swap_the_buildings_out_on_limbs():
    # As above, but each turf has a limb over the other's block, and no turf may grow or shrink
    # (target 21, no tolerance): neither limb can move alone; swapped, the hulls share nothing.
    west = [_door(f"w{i}{j}", 20 * i, 20 * j, f"West {i}") for i in range(4) for j in range(5)]
    east = [_door(f"e{i}{j}", 100 + 20 * i, 20 * j, f"East {i}") for i in range(4) for j in range(5)]
    doors = west + [_door("wlimb", 130, -15, "Low")] + east + [_door("elimb", 30, -15, "High")]
    cutter = cutter_for(doors, 21, 0.0)
    parts = [np.arange(21), np.arange(21, 42)]
    assert shared_m2(doors, parts) > 100
    after = trim(cutter, parts, cutter.atom, _face_pieces(cutter))
    assert sorted(after[0].tolist()) == list(range(20)) + [41]
    assert sorted(after[1].tolist()) == list(range(20, 41))
    assert shared_m2(doors, after) < 0.01

