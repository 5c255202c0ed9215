"""Regrouping after a cut (walklists._regroup) on synthetic streets: turfs stop straddling a gap."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from walklists._regroup import JUMP_M, SPLIT_CAP, regroup

from .test_walklists_walk import (assert_whole_runs_in_bounds, layouts, objective, setting, split_faces,
                                  street_doors, strips, tree_length)


def test_turfs_straddling_a_gap_are_cut_again_at_the_gap():
    # two blocks of two streets each, 300 m apart; each turf holds one street of each block, so
    # both walk the gap, and no single run can move without breaking the size bounds
    doors = street_doors([[(0, 10)], [(0, 10)], [], [], [(0, 10)], [(0, 10)]])
    cutter, face = setting(doors, 18, 22)
    y = cutter.xy[:, 1] - cutter.xy[:, 1].min()
    street = np.rint(y / 100).astype(int)
    turf0 = np.flatnonzero(np.isin(street, [0, 4]))
    turf1 = np.flatnonzero(np.isin(street, [1, 5]))
    parts = [turf0, turf1]
    assert max(tree_length(cutter.xy[p]) for p in parts) > JUMP_M
    out = regroup(cutter, [p.copy() for p in parts], face)
    assert sorted(sorted(np.unique(street[p]).tolist()) for p in out) == [[0, 1], [4, 5]]
    assert sum(tree_length(cutter.xy[p]) for p in out) < sum(tree_length(cutter.xy[p]) for p in parts) - 500
    assert objective(cutter.xy, out) < objective(cutter.xy, parts)


def test_turfs_without_a_long_jump_are_left_alone():
    doors = street_doors([[(0, 10)], [(0, 10)], [(0, 10)], [(0, 10)]])
    cutter, face = setting(doors, 18, 22)
    y = cutter.xy[:, 1] - cutter.xy[:, 1].min()
    street = np.rint(y / 100).astype(int)
    parts = [np.flatnonzero(np.isin(street, [0, 1])), np.flatnonzero(np.isin(street, [2, 3]))]
    out = regroup(cutter, [p.copy() for p in parts], face)
    assert [p.tolist() for p in out] == [p.tolist() for p in parts]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_regroup_keeps_sizes_runs_and_faces(case):
    cutter, face, parts, group = strips(case)
    out = regroup(cutter, [p.copy() for p in parts], group)
    assert_whole_runs_in_bounds(cutter, group, parts, out)
    assert split_faces(face, out) <= max(split_faces(face, parts), SPLIT_CAP * len(parts))
    again = regroup(cutter, [p.copy() for p in parts], group)
    assert [p.tolist() for p in again] == [p.tolist() for p in out]
