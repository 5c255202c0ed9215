"""Block faces from street centre-lines (walklists._street_faces) and cut_turf(streets=...)."""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walklists import Door, InvalidStreetError, StreetLine, cut_turf, metrics
from walklists._faces import face_positions
from walklists._geo import project_doors
from walklists._street_faces import node_lines, street_face_positions

LON0, LAT0 = -71.1, 42.37
SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def ll(x: float, y: float) -> tuple[float, float]:
    return (LON0 + x / 82_000, LAT0 + y / 111_000)


def avenue(blocks: int, per_block: int, seed: int) -> tuple[list[Door], list[StreetLine]]:
    """One east-west avenue crossed every 90 m by unnamed-door side streets: doors 8 m off it on
    both sides, close enough (< 25 m apart) that no junction shows in the doors alone."""
    rng = random.Random(seed)
    doors, lines = [], []
    for b in range(blocks):
        lines.append(StreetLine(f"av{b}", "Main Ave", (ll(b * 90, 0), ll(b * 90 + 90, 0))))
        lines.append(StreetLine(f"x{b}", f"Cross {b}", (ll(b * 90, -60), ll(b * 90, 60))))
        for side in (0, 1):
            for h in range(per_block):
                x = b * 90 + 5 + h * 80 / max(1, per_block - 1) + rng.uniform(-1, 1)
                n = 2 * (b * per_block + h) + 1 + side
                lon, lat = ll(x, 8 if side else -8)
                doors.append(Door(f"d{n}", lon, lat, "Main Ave", str(n)))
    return doors, lines


def faces_of(doors, lines):
    xy, lxy = project_doors(doors, [c for s in lines for c in s.coords])
    return xy, street_face_positions(doors, xy, lines, lxy)


@SETTINGS
@given(st.integers(2, 6), st.integers(3, 10), st.integers(0, 1000))
def test_a_face_is_one_side_of_one_line(blocks, per_block, seed):
    doors, lines = avenue(blocks, per_block, seed)
    xy, (face, pos) = faces_of(doors, lines)
    block = np.floor(xy[:, 0] / 90 - xy[:, 0].min() / 90 + 5 / 90).astype(int)
    side = xy[:, 1] > xy[:, 1].mean()
    for f in np.unique(face):
        mine = face == f
        assert np.unique(block[mine]).size == 1 and np.unique(side[mine]).size == 1
    assert np.unique(face).size == 2 * blocks
    assert sorted(pos.tolist()) == list(range(len(doors)))
    # from the doors alone the junctions are not seen: fewer, longer faces
    assert np.unique(face_positions(doors, xy)[0]).size < 2 * blocks


@SETTINGS
@given(st.integers(3, 6), st.integers(6, 10), st.integers(0, 1000))
def test_cut_on_centre_lines_splits_no_face_of_the_lines_and_turfs_do_not_overlap(blocks, per_block, seed):
    doors, lines = avenue(blocks, per_block, seed)
    xy, (face, _) = faces_of(doors, lines)
    face_of = dict(zip((d.id for d in doors), face.tolist()))
    target = 2 * per_block  # a block's two sides
    turfs = cut_turf(doors, target, tolerance=0.0, streets=lines)
    seen = {}
    for n, t in enumerate(turfs):
        for d in t.members:
            assert seen.setdefault(face_of[d.id], n) == n
    assert metrics.hull_overlap(turfs) <= 0.01


def test_streets_must_be_street_lines_and_their_order_does_not_matter():
    doors, lines = avenue(2, 3, 0)
    with pytest.raises(InvalidStreetError):
        cut_turf(doors, 6, streets=[("Main Ave", [(0, 0), (1, 1)])])
    assert len(cut_turf(doors, 6, streets=lines)) == 2
    doors, lines = avenue(4, 6, 1)
    turfs = cut_turf(doors, 12, streets=lines)
    rng = random.Random(2)
    doors2, lines2 = doors[:], lines[:]
    rng.shuffle(doors2)
    rng.shuffle(lines2)
    assert [t.door_ids for t in cut_turf(doors2, 12, streets=lines2)] == [t.door_ids for t in turfs]


def test_a_way_running_through_junctions_is_split_there_so_faces_end_at_cross_streets():
    """OpenStreetMap style: one Main Ave way through 4 blocks, cross streets sharing its vertices."""
    doors, lines = avenue(4, 5, seed=3)
    way = StreetLine("main", "Main Ave", tuple(ll(b * 90, 0) for b in range(5)))
    crosses = [StreetLine(f"x{b}", f"Cross {b}", (ll(b * 90, -60), ll(b * 90, 0), ll(b * 90, 60))) for b in range(5)]
    pieces = node_lines([way, *crosses])
    assert len([p for p in pieces if p.name == "Main Ave"]) == 4
    assert all(len(p.coords) == 2 for p in pieces)  # every cross street is split at the avenue too
    assert node_lines(lines) == lines  # centre-lines that already end at junctions come back unchanged
    xy, lxy = project_doors(doors, [c for s in pieces for c in s.coords])
    face, _ = street_face_positions(doors, xy, pieces, lxy)
    assert len(set(face.tolist())) == 8  # 4 blocks x 2 sides, not 2 faces the length of the way
    turfs = cut_turf(doors, 10, streets=[way, *crosses])
    by_face = {d.id: f for d, f in zip(doors, face.tolist())}
    assert metrics.split_block_faces(turfs, lambda d: by_face[d.id])[0] == 0
