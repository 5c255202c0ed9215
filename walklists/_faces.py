"""Block faces and atoms: the units turf cutting avoids splitting.

A block face is the doors on one street and one side of it (house-number parity), in house-number
order, broken where consecutive doors are more than ``FACE_GAP_M`` apart: such a gap is almost
always a cross street, a park or a house-number gap, where a canvasser would stop anyway.
Cutting, routing and metrics share this definition so they agree on what a "split face" is.
"""

from __future__ import annotations

import re
from typing import Sequence

import numpy as np

from .doors import Door

FACE_GAP_M = 60.0

_NUMBER = re.compile(r"\s*(\d+)")


def house_number_key(house_number: str) -> tuple[int, str]:
    """(leading integer or -1, the rest) so "9" < "10" < "10A"."""
    m = _NUMBER.match(house_number)
    if not m:
        return (-1, house_number.strip().casefold())
    return (int(m.group(1)), house_number[m.end():].strip().casefold())


def _parse(doors: Sequence[Door]) -> tuple[list[str], np.ndarray, list[str]]:
    streets, numbers, rests = [], np.empty(len(doors), dtype=np.int64), []
    for i, d in enumerate(doors):
        num, rest = house_number_key(d.house_number)
        streets.append(" ".join(d.street.casefold().split()))
        numbers[i] = num
        rests.append(rest)
    return streets, numbers, rests


def side_keys(doors: Sequence[Door]) -> list[tuple[str, int]]:
    """(street, side) per door: side is house-number parity, or -1 when there is no number."""
    streets, numbers, _ = _parse(doors)
    return [(s, int(n % 2) if n >= 0 else -1) for s, n in zip(streets, numbers.tolist())]


def _codes(values: list[str]) -> np.ndarray:
    uniq, inv = np.unique(np.array(values, dtype=object).astype(str), return_inverse=True)
    return inv


def block_faces(doors: Sequence[Door], xy: np.ndarray, gap_m: float = FACE_GAP_M) -> np.ndarray:
    """Block-face number per door (0..F-1; deterministic given the doors and their ids)."""
    n = len(doors)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    streets, numbers, rests = _parse(doors)
    street = _codes(streets)
    side = np.where(numbers >= 0, numbers % 2, -1)
    order = np.lexsort((_codes([d.id for d in doors]), _codes(rests), numbers, side, street))
    s_o, p_o, xy_o = street[order], side[order], xy[order]
    new = np.ones(n, dtype=bool)
    step = np.hypot(*(xy_o[1:] - xy_o[:-1]).T)
    # a door without a house number is a face of its own
    new[1:] = (s_o[1:] != s_o[:-1]) | (p_o[1:] != p_o[:-1]) | (p_o[1:] < 0) | (step > gap_m)
    face = np.empty(n, dtype=np.int64)
    face[order] = np.cumsum(new) - 1
    return face


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
