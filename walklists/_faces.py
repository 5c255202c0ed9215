"""Block faces and atoms: the units turf cutting avoids splitting.

A block face is the doors on one street and one side of it (house-number parity where the street
follows the odd/even rule, see parity_holds; else the whole street), in house-number order, between
cross streets: it is broken where another street's doors show that street crossing between two
consecutive doors, and wherever consecutive doors are more than ``FACE_GAP_M`` apart
(a cross street the test missed, a park or a house-number gap, where a canvasser would stop anyway).
Cutting, routing and metrics share this definition so they agree on what a "split face" is.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .doors import Door

FACE_GAP_M = 60.0
# Below this step between neighbouring doors no cross street is looked for (lots, not a street).
CROSS_MIN_GAP_M = 25.0
_CROSS_REACH_M = 30.0
# Parity is judged on streets with this many runs of three numbers (n, n + 1, n + 2), by how far
# n + 1 stands off the line from n to n + 2, as a share of that step (across the street: ~1 or more;
# next door on the same side: ~0).
PARITY_MIN_TRIPLES = 3
PARITY_MIN_OFFSET = 0.35
PARITY_MIN_STEP_M = 3.0

_NUMBER = re.compile(r"\s*(\d+)")


def house_number_key(house_number: str) -> tuple[int, str]:
    """(leading integer or -1, the rest) so "9" < "10" < "10A"."""
    m = _NUMBER.match(house_number)
    if not m:
        return (-1, house_number.strip().casefold())
    return (int(m.group(1)), house_number[m.end():].strip().casefold())


def _parse(doors: Sequence[Door]) -> tuple[list[str], np.ndarray, list[str]]:
    street_cache: dict[str, str] = {}
    number_cache: dict[str, tuple[int, str]] = {}
    streets, nums, rests = [], [], []
    for d in doors:
        st = street_cache.get(d.street)
        if st is None:
            st = street_cache[d.street] = " ".join(d.street.casefold().split())
        key = number_cache.get(d.house_number)
        if key is None:
            key = number_cache[d.house_number] = house_number_key(d.house_number)
        streets.append(st)
        nums.append(key[0])
        rests.append(key[1])
    return streets, np.array(nums, dtype=np.int64), rests


def parity_holds(street: np.ndarray, numbers: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Per street code: do odd and even numbers face each other across it?

    Where they do, n + 1 stands across the street from the line through n and n + 2 (which runs
    along it); where houses are numbered up one side and back down the other, or along one side
    only, n + 1 stands on that line, between them. Parity gives the side where n + 1's median
    distance from that line is at least ``PARITY_MIN_OFFSET`` times the n to n + 2 step. A street
    with fewer than ``PARITY_MIN_TRIPLES`` such triples of numbers keeps the parity rule.
    """
    nstreet = int(street.max()) + 1 if street.size else 0
    holds = np.ones(nstreet, dtype=bool)
    ok = numbers >= 0
    if not ok.any():
        return holds
    s, n, p = street[ok], numbers[ok], xy[ok]
    uk, inv = np.unique(s * (int(n.max()) + 3) + n, return_inverse=True)
    inv = inv.reshape(-1)
    cnt = np.bincount(inv).astype(float)
    centre = np.stack([np.bincount(inv, p[:, 0]), np.bincount(inv, p[:, 1])], axis=1) / cnt[:, None]
    us = np.zeros(uk.size, dtype=np.int64)
    us[inv] = s
    un = np.zeros(uk.size, dtype=np.int64)
    un[inv] = n
    i = np.flatnonzero((us[:-2] == us[2:]) & (un[1:-1] == un[:-2] + 1) & (un[2:] == un[:-2] + 2))
    if not i.size:
        return holds
    along = centre[i + 2] - centre[i]
    step = np.hypot(*along.T)
    # n and n + 2 at one point (two numbers of one building) show no line to stand off
    i, along, step = i[step >= PARITY_MIN_STEP_M], along[step >= PARITY_MIN_STEP_M], step[step >= PARITY_MIN_STEP_M]
    mid = centre[i + 1] - centre[i]
    ratio = np.abs(along[:, 0] * mid[:, 1] - along[:, 1] * mid[:, 0]) / step / step
    order = np.argsort(us[i], kind="stable")
    codes, first, count = np.unique(us[i][order], return_index=True, return_counts=True)
    for code, f, c in zip(codes.tolist(), first.tolist(), count.tolist()):
        if c >= PARITY_MIN_TRIPLES:
            holds[code] = np.median(ratio[order[f:f + c]]) >= PARITY_MIN_OFFSET
    return holds


def _sides(streets: list[str], numbers: np.ndarray, xy: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    """(street code, side) per door: side = parity where it holds on the street (0 for every
    numbered door where it does not), -1 without a number."""
    street = _codes(streets)
    side = np.where(numbers >= 0, numbers % 2, -1)
    if xy is not None and street.size:
        holds = parity_holds(street, numbers, xy)
        side = np.where((numbers >= 0) & ~holds[street], 0, side)
    return street, side


def side_keys(doors: Sequence[Door], xy: np.ndarray | None = None) -> list[tuple[str, int]]:
    """(street, side) per door: side is house-number parity where it holds on that street (judged
    from the doors' positions xy, in metres; without xy it is assumed), 0 for every numbered door
    of a street where it does not, -1 when there is no number."""
    streets, numbers, _ = _parse(doors)
    _, side = _sides(streets, numbers, xy)
    return list(zip(streets, side.tolist()))


def _codes(values: list[str]) -> np.ndarray:
    uniq, inv = np.unique(np.array(values, dtype=object).astype(str), return_inverse=True)
    return inv


def _cross_street_between(
    a: np.ndarray, b: np.ndarray, xy: np.ndarray, street: np.ndarray, direction: np.ndarray
) -> np.ndarray:
    """For consecutive doors a[i] -> b[i] of one face: does another street cross between them?

    Doors carry no street geometry, so a cross street is inferred from its own doors: a door of
    another street within ``_CROSS_REACH_M`` whose street line (the door plus its street's local
    direction) cuts the segment a-b well inside it, at a steep angle (> ~37 degrees).
    """
    out = np.zeros(a.size, dtype=bool)
    if a.size == 0:
        return out
    import shapely  # local: shapely is slow to import and only faces need it here

    mid = (xy[a] + xy[b]) / 2.0
    step = np.hypot(*(xy[b] - xy[a]).T)
    tree = shapely.STRtree(shapely.points(xy))
    qi, di = tree.query(shapely.points(mid), predicate="dwithin", distance=np.maximum(_CROSS_REACH_M, step / 2))
    keep = (street[di] != street[a[qi]]) & (np.abs(direction[di]).sum(1) > 0)
    qi, di = qi[keep], di[keep]
    if qi.size == 0:
        return out
    A, ab, d = xy[a[qi]], xy[b[qi]] - xy[a[qi]], direction[di]
    rel = xy[di] - A
    den = d[:, 0] * ab[:, 1] - d[:, 1] * ab[:, 0]
    safe = np.where(np.abs(den) < 1e-9, 1e-9, den)
    t = (d[:, 0] * rel[:, 1] - d[:, 1] * rel[:, 0]) / safe  # where the street line meets a-b (0..1)
    s_ = (ab[:, 0] * rel[:, 1] - ab[:, 1] * rel[:, 0]) / safe  # how far along it from the door
    sin = np.abs(den) / np.maximum(np.hypot(*ab.T), 1e-9)
    hit = (t > 0.15) & (t < 0.85) & (sin > 0.6) & (np.abs(s_) < _CROSS_REACH_M)
    out[qi[hit]] = True
    return out


def block_faces(doors: Sequence[Door], xy: np.ndarray, gap_m: float = FACE_GAP_M) -> np.ndarray:
    """Block-face number per door (0..F-1; deterministic given the doors and their ids).

    See face_positions, which also gives each door's place along its face.
    """
    return face_positions(doors, xy, gap_m)[0]


def face_positions(
    doors: Sequence[Door], xy: np.ndarray, gap_m: float = FACE_GAP_M
) -> tuple[np.ndarray, np.ndarray]:
    """(face, position): block-face number per door (0..F-1) and its rank in walking order (0..n-1).

    A face is one side (house-number parity) of one street, in house-number order, broken where
    consecutive doors are more than gap_m apart or, if more than ``CROSS_MIN_GAP_M`` apart, where
    another street's doors show that street crossing between them (a cross street: the end of a
    block). Checked against Cambridge's street centre lines, this finds about two thirds of the
    cross streets that the gap alone misses, with few false breaks.
    """
    n = len(doors)
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    streets, numbers, rests = _parse(doors)
    street, side = _sides(streets, numbers, xy)
    order = np.lexsort((_codes([d.id for d in doors]), _codes(rests), numbers, side, street))
    s_o, p_o, xy_o = street[order], side[order], xy[order]
    new = np.ones(n, dtype=bool)
    step = np.hypot(*(xy_o[1:] - xy_o[:-1]).T)
    same = (s_o[1:] == s_o[:-1]) & (p_o[1:] == p_o[:-1]) & (p_o[1:] >= 0)
    # a door without a house number is a face of its own
    new[1:] = ~same | (step > gap_m)
    if gap_m > CROSS_MIN_GAP_M:
        # each door's street direction: mean of the unit steps to its face neighbours
        direction = np.zeros((n, 2))
        pair = np.flatnonzero(same & (step > 1.0))
        a, b = order[pair], order[pair + 1]
        unit = (xy[b] - xy[a]) / step[pair, None]
        np.add.at(direction, a, unit)
        np.add.at(direction, b, unit)
        norm = np.hypot(*direction.T)
        direction = np.where((norm > 0.5)[:, None], direction / np.maximum(norm, 1e-9)[:, None], 0.0)
        check = np.flatnonzero(same & (step > CROSS_MIN_GAP_M) & (step <= gap_m))
        cross = _cross_street_between(order[check], order[check + 1], xy, street, direction)
        new[1:][check[cross]] = True
    face = np.empty(n, dtype=np.int64)
    face[order] = np.cumsum(new) - 1
    pos = np.empty(n, dtype=np.int64)
    pos[order] = np.arange(n)
    return face, pos


def atoms(doors: Sequence[Door]) -> np.ndarray:
    """Atom number per door: doors sharing a building share an atom; other doors are their own."""
    index: dict[str, int] = {}
    out = np.empty(len(doors), dtype=np.int64)
    nxt = 0
    for i, d in enumerate(doors):
        if d.building is None:
            out[i] = nxt
            nxt += 1
        else:
            a = index.get(d.building)
            if a is None:
                a = index[d.building] = nxt
                nxt += 1
            out[i] = a
    return out
