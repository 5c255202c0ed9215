"""The walk search after a cut (walklists._walk) on synthetic streets: it only makes moves that pay."""

from __future__ import annotations

import random
from types import SimpleNamespace

import numpy as np
import shapely
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from walklists import Door
from walklists._faces import face_positions
from walklists._geo import pairwise, project_doors
from walklists._walk import PP_WEIGHT, walk

LON0, LAT0 = -71.1, 42.37


def street_doors(rows: list[list[tuple[float, int]]], seed: int = 0) -> list[Door]:
    """Doors on east-west streets 100 m apart; rows[s] lists (x metres, count) stretches of doors
    12 m apart along street s, north side, house numbers rising with x."""
    rng = random.Random(seed)
    out = []
    for s, stretches in enumerate(rows):
        for x0, count in stretches:
            for h in range(count):
                x = x0 + 12 * h + rng.uniform(-2, 2)
                number = 2 * round(x) + 1
                lon, lat = LON0 + x / 82_000, LAT0 + (s * 100 + 8) / 111_000
                out.append(Door(f"s{s}-{number}", lon, lat, f"Street {s}", str(number)))
    return sorted(out, key=lambda d: d.id)


def setting(doors: list[Door], lo: int, hi: int):
    xy, _ = project_doors(doors)
    face, _ = face_positions(doors, xy)
    return SimpleNamespace(xy=xy, face=face, lo=lo, hi=hi), face


def tree_length(xy: np.ndarray) -> float:
    """Minimum spanning tree length by plain O(n^2) Prim: independent of walklists._trees."""
    if len(xy) < 2:
        return 0.0
    dist = pairwise(xy)
    best, done, total = dist[0].copy(), np.zeros(len(xy), dtype=bool), 0.0
    done[0] = True
    for _ in range(len(xy) - 1):
        j = int(np.argmin(np.where(done, np.inf, best)))
        total += best[j]
        done[j] = True
        best = np.minimum(best, dist[j])
    return total


def polsby_popper(xy: np.ndarray) -> float:
    hull = shapely.MultiPoint(xy).convex_hull
    return 4 * np.pi * hull.area / hull.length**2 if hull.length > 0 else 0.0


def objective(xy: np.ndarray, parts: list[np.ndarray]) -> float:
    """What the walk search lowers: summed spanning trees less PP_WEIGHT times summed Polsby-Popper."""
    return sum(tree_length(xy[p]) - PP_WEIGHT * polsby_popper(xy[p]) for p in parts)


def split_faces(face: np.ndarray, parts: list[np.ndarray]) -> int:
    return sum(np.unique(face[p]).size for p in parts) - np.unique(face).size


def test_run_hanging_across_a_gap_joins_the_turf_next_to_it():
    # turf 0: street 0 from x=0, and a stretch of street 1 far east, right by turf 1's doors
    doors = street_doors([[(0, 20)], [(300, 20), (560, 5)]])
    cutter, face = setting(doors, 18, 27)
    xy = cutter.xy
    far = np.flatnonzero(xy[:, 0] - xy[:, 0].min() > 550)
    street0 = np.flatnonzero(xy[:, 1] < xy[:, 1].mean())
    turf0 = np.union1d(street0, far)
    turf1 = np.setdiff1d(np.arange(len(doors)), turf0)
    # the far stretch is one run; everything else is split into runs by face (one per street here)
    group = face * 2 + np.isin(np.arange(len(doors)), far)
    out = walk(cutter, [turf0, turf1], group, 3)
    assert sorted(map(len, out)) == [20, 25]
    assert any(set(far) <= set(p.tolist()) and set(turf1) <= set(p.tolist()) for p in out)
    assert sum(tree_length(xy[p]) for p in out) < sum(tree_length(xy[p]) for p in (turf0, turf1)) - 300


@st.composite
def layouts(draw):
    streets = draw(st.integers(2, 5))
    rows = [
        [(draw(st.integers(0, 40)) * 10, draw(st.integers(3, 12))) for _ in range(draw(st.integers(1, 3)))]
        for _ in range(streets)
    ]
    doors = street_doors(rows, draw(st.integers(0, 1000)))
    doors = list({d.id: d for d in doors}.values())  # stretches may overlap: one door per number
    k = draw(st.integers(2, 6))
    angle = draw(st.floats(0, np.pi))
    slack = draw(st.integers(0, 4))
    return doors, k, angle, slack


def strips(case):
    """A layouts() case cut into k strips across it (turfs with long boundaries, so runs have
    somewhere to go): (cutter with the strips' sizes ± slack, face per door, parts, run per door)."""
    doors, k, angle, slack = case
    assume(len(doors) >= 2 * k)
    xy, _ = project_doors(doors)
    order = np.argsort(xy @ np.array([np.cos(angle), np.sin(angle)]), kind="stable")
    parts = [np.sort(p) for p in np.array_split(order, k)]
    sizes = [p.size for p in parts]
    cutter, face = setting(doors, max(1, min(sizes) - slack), max(sizes) + slack)
    turf = np.empty(len(doors), dtype=np.int64)
    for t, p in enumerate(parts):
        turf[p] = t
    return cutter, face, parts, face * k + turf  # runs: each face's doors within one turf


def assert_whole_runs_in_bounds(cutter, group, parts, out) -> None:
    """Every door in exactly one turf, sizes in bounds, runs moved whole."""
    assert np.array_equal(np.sort(np.concatenate(out)), np.arange(sum(p.size for p in parts)))
    assert all(cutter.lo <= p.size <= cutter.hi for p in out)
    for p in out:
        for g in np.unique(group[p]):
            assert np.isin(np.flatnonzero(group == g), p).all()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(layouts())
def test_walk_keeps_sizes_and_faces_and_never_worsens_its_objective(case):
    cutter, face, parts, group = strips(case)
    out = walk(cutter, [p.copy() for p in parts], group, 4)
    assert_whole_runs_in_bounds(cutter, group, parts, out)
    assert split_faces(face, out) <= split_faces(face, parts)
    assert objective(cutter.xy, out) <= objective(cutter.xy, parts) + 1e-6
    again = walk(cutter, [p.copy() for p in parts], group, 4)
    assert [p.tolist() for p in again] == [p.tolist() for p in out]
