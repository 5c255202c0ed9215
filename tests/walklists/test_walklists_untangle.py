"""walklists._untangle: buildings inside a neighbour's hull move to it; hulls never share more area."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walklists import Door, metrics
from walklists._bisect import Cutter
from walklists._faces import atoms, face_positions
from walklists._geo import project_doors
from walklists._untangle import SPLIT_BUDGET, untangle

from .test_walklists_cutting import grid_doors

LON0, LAT0 = -71.1, 42.37
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def cutter_for(doors: list[Door], target: int, tolerance: float) -> Cutter:
    xy, _ = project_doors(doors)
    face, pos = face_positions(doors, xy)
    return Cutter(xy, face, pos, atoms(doors), target, tolerance)


def as_doors(doors: list[Door], parts: list[np.ndarray]) -> list[list[Door]]:
    return [[doors[i] for i in p] for p in parts]


def shared_m2(doors: list[Door], parts: list[np.ndarray]) -> float:
    """Area (m²) that two turfs' hulls share, summed over pairs: what untangling never grows (the
    overlap *share* can still rise a little, as the hulls it divides by shrink)."""
    hulls = metrics._hulls(as_doors(doors, parts))
    return sum(a.intersection(b).area for i, a in enumerate(hulls) for b in hulls[i + 1:])


def splits(cutter: Cutter, parts: list[np.ndarray]) -> int:
    return sum(np.unique(cutter.face[p]).size for p in parts) - np.unique(cutter.face).size


@st.composite
def tangled_cuts(draw):
    """Strips of a street grid, west to east, with some buildings handed to a random other strip."""
    streets = draw(st.integers(1, 4))
    per_side = draw(st.integers(6, 30))
    flats = draw(st.dictionaries(st.integers(1, 2 * per_side), st.integers(2, 6), max_size=3))
    doors = grid_doors(streets, per_side, flats, draw(st.integers(0, 1000)))
    cutter = cutter_for(doors, 1, 0.0)
    k = draw(st.integers(2, 5))
    strip = np.minimum((cutter.xy[:, 0] - cutter.xy[:, 0].min()) * k // (np.ptp(cutter.xy[:, 0]) + 1e-9), k - 1)
    _, atom = np.unique(cutter.atom, return_inverse=True)
    home = np.zeros(atom.max() + 1, dtype=np.int64)
    home[atom] = strip  # every building in one strip
    rng = random.Random(draw(st.integers(0, 1000)))
    for a in rng.sample(range(home.size), min(home.size, draw(st.integers(0, 8)))):
        home[a] = rng.randrange(k)
    turf = home[atom]
    parts = [np.flatnonzero(turf == j) for j in range(k) if (turf == j).any()]
    sizes = [p.size for p in parts]
    slack = draw(st.floats(0.0, 0.5))
    target = round(sum(sizes) / len(sizes))
    lo, hi = min(sizes), max(sizes)
    tol = max(slack, (target - lo) / target, (hi - target) / target) + 1e-6
    return doors, cutter_for(doors, target, min(tol, 0.95)), parts


@SETTINGS
@given(tangled_cuts())
def test_untangling_never_grows_the_area_hulls_share_and_keeps_the_bars(case):
    doors, cutter, parts = case
    keeps_the_bars(doors, cutter, parts, untangle(cutter, parts, cutter.atom), budget=SPLIT_BUDGET)


def keeps_the_bars(doors, cutter, parts, after, *, budget: float) -> None:
    """What a last step of the cut keeps: every door once, no more shared hull area, sizes in
    bounds, no building split, split faces within ``budget`` a turf (or no more than before)."""
    assert sorted(np.concatenate(after).tolist()) == list(range(len(doors)))
    assert shared_m2(doors, after) <= shared_m2(doors, parts) + 0.01  # m²
    before_sizes = [p.size for p in parts]
    for p in after:  # sizes that were in bounds stay in bounds
        assert min(cutter.lo, min(before_sizes)) <= p.size <= max(cutter.hi, max(before_sizes))
    turf_of = {int(i): n for n, p in enumerate(after) for i in p}
    for a in np.unique(cutter.atom):  # no building split
        assert len({turf_of[int(i)] for i in np.flatnonzero(cutter.atom == a)}) == 1
    assert splits(cutter, after) <= max(splits(cutter, parts), int(budget * len(parts)))


@SETTINGS
@given(st.integers(2, 4), st.integers(16, 30), st.integers(0, 1000), st.data())
def test_a_stray_building_deep_in_the_next_turf_goes_home(streets, per_side, seed, data):
    doors = grid_doors(streets, per_side, {}, seed)
    xy, _ = project_doors(doors)
    mid = np.median(xy[:, 0])
    west, east = np.flatnonzero(xy[:, 0] < mid), np.flatnonzero(xy[:, 0] >= mid)
    # a door of the east half, inside its hull (not on its first or last street, not at its ends)
    inner = east[(xy[east, 0] > mid + 30) & (xy[east, 0] < xy[:, 0].max() - 30)
                 & (xy[east, 1] > xy[:, 1].min() + 1) & (xy[east, 1] < xy[:, 1].max() - 1)]
    if inner.size == 0:
        inner = east[(xy[east, 0] > mid + 30) & (xy[east, 0] < xy[:, 0].max() - 30)]
    stray = int(data.draw(st.sampled_from(sorted(inner.tolist()))))
    parts = [np.sort(np.append(west, stray)), east[east != stray]]
    target = len(doors) // 2
    cutter = cutter_for(doors, target, 0.2)
    clean = shared_m2(doors, [west, east])  # jitter may leave a sliver
    assert shared_m2(doors, parts) > clean + 100
    after = untangle(cutter, parts, cutter.atom)
    assert shared_m2(doors, after) <= clean + 0.01  # m², float noise where hulls touch
    assert stray in after[1]


def test_a_building_nearer_its_own_turf_stays_even_inside_a_neighbours_hull():
    # B: a ring of doors 200 m across; A: a cluster in its middle, wholly inside B's hull. Each of
    # A's corner doors is 10 m from A's others and about 100 m from B's: moving it adds walk.
    ring = [(100 + 100 * np.cos(a), 100 + 100 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 12, endpoint=False)]
    cluster = [(90 + 10 * (i % 3), 90 + 10 * (i // 3)) for i in range(9)]
    doors = [Door(f"b{i}", LON0 + x / 82_000, LAT0 + y / 111_000, f"Ring {i}", "1") for i, (x, y) in enumerate(ring)]
    doors += [Door(f"a{i}", LON0 + x / 82_000, LAT0 + y / 111_000, f"Close {i}", "1") for i, (x, y) in enumerate(cluster)]
    cutter = cutter_for(doors, 10, 0.3)
    parts = [np.arange(12), np.arange(12, 21)]
    assert metrics.hull_overlap(as_doors(doors, parts)) > 0
    after = untangle(cutter, parts, cutter.atom)
    assert [p.tolist() for p in after] == [p.tolist() for p in parts]


@SETTINGS
@given(tangled_cuts(), st.sampled_from([0.0, 120.0, float("inf")]))
def test_untangling_by_face_pieces_keeps_buildings_whole_and_never_grows_the_shared_area(case, slack):
    from walklists.cutting import _face_pieces

    doors, cutter, parts = case
    after = untangle(cutter, parts, _face_pieces(cutter), slack)
    assert sorted(np.concatenate(after).tolist()) == list(range(len(doors)))
    assert shared_m2(doors, after) <= shared_m2(doors, parts) + 0.01  # m²
    turf_of = {int(i): n for n, p in enumerate(after) for i in p}
    for a in np.unique(cutter.atom):  # a building's doors move together, even on two faces
        assert len({turf_of[int(i)] for i in np.flatnonzero(cutter.atom == a)}) == 1
    assert splits(cutter, after) <= max(splits(cutter, parts), int(SPLIT_BUDGET * len(parts)))
