"""walklists._swap.paired: which moves the sizes block have a move back that would fix them."""

from __future__ import annotations

import numpy as np

from walklists._swap import paired


def test_a_blocked_move_is_paired_only_with_a_move_back_of_a_size_that_keeps_both_turfs_in_bounds():
    # turfs 0 and 1 at 10 doors, bounds 9-11: 0 -> 1 with 3 doors needs 1 -> 0 with 2-4 doors back
    tsize = np.array([10, 10, 10])
    src = np.array([0, 1, 1, 2])
    dst = np.array([1, 0, 0, 0])
    gsize = np.array([3, 1, 5, 3])
    assert paired(src, dst, gsize, tsize, 9, 11, 3).tolist() == [False, False, False, False]
    gsize = np.array([3, 2, 5, 3])
    # 0 -> 1 (3) pairs with 1 -> 0 (2) and the reverse; 1 -> 0 (5) and 2 -> 0 have no partner
    assert paired(src, dst, gsize, tsize, 9, 11, 3).tolist() == [True, True, False, False]
