"""Properties of cut_turf on synthetic streets (hypothesis) and fixed cases."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from walklists import Door, cut_turf
from walklists.cutting import choose_count, size_bounds

LON0, LAT0 = -71.1, 42.37


def grid_doors(streets: int, per_side: int, flats: dict[int, int] | None = None, seed: int = 0) -> list[Door]:
    """Doors along parallel east-west streets 100 m apart, both sides; some numbers are blocks of flats."""
    flats = flats or {}
    rng = random.Random(seed)
    out = []
    for s in range(streets):
        for side in (0, 1):
            for h in range(per_side):
                number = 2 * h + 1 + side
                lon = LON0 + (h * 12 + rng.uniform(-2, 2)) / 82_000
                lat = LAT0 + (s * 100 + (8 if side else -8)) / 111_000
                building = f"S{s}-{number}" if number in flats else None
                for f in range(flats.get(number, 1)):
                    out.append(Door(f"s{s}-{number}-{f}", lon, lat, f"Street {s}", str(number), building))
    return out


@st.composite
def door_sets(draw):
    streets = draw(st.integers(1, 5))
    per_side = draw(st.integers(3, 25))
    flats = draw(st.dictionaries(st.integers(1, 2 * per_side), st.integers(2, 9), max_size=4))
    seed = draw(st.integers(0, 1000))
    doors = grid_doors(streets, per_side, flats, seed)
    target = draw(st.integers(5, 40))
    return doors, target


def building_of(d: Door) -> str:
    return d.building or d.id


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(door_sets())
def test_every_door_in_exactly_one_turf_and_buildings_whole(case):
    doors, target = case
    turfs = cut_turf(doors, target)
    ids = [d.id for t in turfs for d in t.members]
    assert Counter(ids) == Counter(d.id for d in doors)
    homes = {}
    for n, t in enumerate(turfs):
        for d in t.members:
            assert homes.setdefault(building_of(d), n) == n, f"building of {d.id} split"


@SETTINGS
@given(door_sets())
def test_sizes_within_tolerance_when_possible(case):
    doors, target = case
    turfs = cut_turf(doors, target)
    lo, hi = size_bounds(target, 0.10)
    k = choose_count(len(doors), target, 0.10)
    biggest_building = max(Counter(building_of(d) for d in doors).values())
    if lo <= len(doors) / k <= hi and biggest_building <= (hi - lo) // 2:
        for t in turfs:
            assert lo <= len(t) <= hi, [len(x) for x in turfs]


@SETTINGS
@given(door_sets(), st.randoms(use_true_random=False))
def test_same_turfs_whatever_the_input_order(case, rnd):
    doors, target = case
    shuffled = doors[:]
    rnd.shuffle(shuffled)
    a = [[d.id for d in t.doors] for t in cut_turf(doors, target)]
    b = [[d.id for d in t.doors] for t in cut_turf(shuffled, target)]
    assert a == b


@SETTINGS
@given(door_sets(), st.integers(2, 4))
def test_within_is_respected(case, n_areas):
    doors, target = case
    within = {d.id: f"area{hash(d.street) % n_areas}" for d in doors}
    turfs = cut_turf(doors, target, within=within)
    for t in turfs:
        assert {within[d.id] for d in t.members} == {t.area}
    assert sum(len(t) for t in turfs) == len(doors)


def test_building_bigger_than_a_turf_stands_alone():
    doors = grid_doors(3, 20, {5: 40})
    turfs = cut_turf(doors, 20)
    for s in range(3):
        (big,) = [t for t in turfs if any(d.building == f"S{s}-5" for d in t.members)]
        assert {d.building for d in big.members} == {f"S{s}-5"} and len(big) == 40
    lo, hi = size_bounds(20, 0.10)
    assert all(lo <= len(t) <= hi for t in turfs if len(t) != 40)


def test_turf_doors_are_routed_and_a_permutation():
    doors = grid_doors(2, 30)
    for t in cut_turf(doors, 30):
        assert sorted(d.id for d in t.doors) == sorted(d.id for d in t.members)
        assert t.route.length_m > 0
        assert t.route.minutes > t.route.length_m / 75.0


def test_choose_count():
    assert choose_count(3623, 60, 0.1) == 60
    assert choose_count(5, 10, 0.1) == 1
    assert choose_count(1000, 72, 0.1) == 14


def test_a_small_grid_whose_runs_have_no_neighbour_within_reach_is_cut():
    """Thirty doors on five rows 220 m apart, ten a turf: no run has another turf's door within
    the polish step's reach, and that empty answer once came back the wrong shape (an IndexError,
    the organiser's cut preview a 500)."""
    doors = [Door(id=f"d{n}", lon=-71.09 - n * 0.0002, lat=42.365 + (n % 5) * 0.002, house_number=str(n),
                  street="Elm St") for n in range(30)]
    turfs = cut_turf(doors, 10)
    assert sorted(d.id for t in turfs for d in t.doors) == sorted(d.id for d in doors)
    assert all(9 <= len(t.doors) <= 11 for t in turfs)


def test_the_cut_runs_without_the_cyclic_collector_and_leaves_it_as_it_was(monkeypatch):
    import gc

    import walklists.cutting as cutting

    seen = []
    real = cutting.trim

    def spy(*args):
        seen.append(gc.isenabled())
        return real(*args)

    monkeypatch.setattr(cutting, "trim", spy)
    doors = grid_doors(6, 20)
    was = gc.isenabled()
    try:
        gc.enable()
        cut_turf(doors, 30)
        assert seen == [False] and gc.isenabled()
        gc.disable()  # a caller that turned it off keeps it off
        cut_turf(doors, 30)
        assert seen == [False, False] and not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
