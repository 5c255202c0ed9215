"""A street network inferred from the doors, for places with no centre-lines imported.

Each street (doors grouped by street name) becomes a line through its doors in house-number order,
drawn down the middle: the midpoints of consecutive doors (odd and even numbers face each other, so
the midpoints fall between the two sides). A line breaks where consecutive doors are more than
``_BREAK_M`` apart (a renumbered stretch, a mistyped number). Streets meet where their lines cross,
and where a line's end comes within ``_JOIN_M`` of another street's line: the line is extended to it
and both share that vertex. A route on this network (``order_route(doors, network=infer_network(doors))``)
goes from one street to another only where they meet, never through the back yards between them.
"""

from __future__ import annotations

import math
import re
from typing import Iterable

import numpy as np
import shapely

from .doors import Door
from .network import StreetNetwork, street_name_key
from .routing import check_doors
from .streets import StreetLine

__all__ = ["infer_network"]

_BREAK_M = 150.0
_JOIN_M = 60.0
_M_PER_DEG = 111_195.0
_NUMBER = re.compile(r"\d+")


def _number(door: Door) -> float:
    found = _NUMBER.search(door.house_number)
    return float(found.group()) if found else math.inf


def infer_network(doors: Iterable[Door]) -> StreetNetwork:
    """A StreetNetwork of one line per named street (pieces where it breaks), joined where streets meet."""
    ds = check_doors(doors)
    lat0 = float(np.median([d.lat for d in ds]))
    kx = _M_PER_DEG * max(math.cos(math.radians(lat0)), 0.05)
    streets: dict[str, list[Door]] = {}
    for d in ds:
        streets.setdefault(street_name_key(d.street), []).append(d)
    pieces: list[tuple[str, np.ndarray]] = []  # (street name as doors spell it, metres-like xy)
    for key, group in sorted(streets.items()):
        if not key:
            continue
        group.sort(key=lambda d: (_number(d), d.house_number, d.id))
        xy = np.array([(d.lon * kx, d.lat * _M_PER_DEG) for d in group])
        keep = np.concatenate(([True], np.hypot(*(xy[1:] - xy[:-1]).T) > 0.5))
        xy = xy[keep]
        if len(xy) == 1:
            xy = np.vstack([xy, xy + (1.0, 0.0)])  # one door: a stub, joined to what is near it
        cuts = np.flatnonzero(np.hypot(*(xy[1:] - xy[:-1]).T) > _BREAK_M) + 1
        for part in np.split(xy, cuts):
            if len(part) == 1:
                part = np.vstack([part, part + (1.0, 0.0)])
            mids = (part[1:] + part[:-1]) / 2.0
            line = np.vstack([part[:1], mids, part[-1:]]) if len(part) > 2 else part
            pieces.append((group[0].street, line))
    if not pieces:  # no street names at all: one line through the doors in id order
        xy = np.array([(d.lon * kx, d.lat * _M_PER_DEG) for d in ds])
        pieces = [("", np.vstack([xy, xy[-1:] + (1.0, 0.0)]))]
    lines = _joined([shapely.LineString(p) for _, p in pieces], [name for name, _ in pieces])
    return StreetNetwork(StreetLine(f"inferred-{i}", name, tuple((x / kx, y / _M_PER_DEG) for x, y in line.coords))
                         for i, (name, line) in enumerate(lines))


def _joined(lines: list, names: list[str]) -> list[tuple[str, object]]:
    """Extend loose ends to the nearest other street within _JOIN_M, then give crossing lines a
    shared vertex where they cross."""
    tree = shapely.STRtree(lines)
    extra: list[list[tuple[float, float]]] = [[] for _ in lines]  # vertices to add to each line
    coords = [list(line.coords) for line in lines]
    for i, line in enumerate(lines):
        for end in (0, -1):
            p = shapely.Point(coords[i][end])
            best, best_d = None, _JOIN_M
            for j in tree.query(p.buffer(_JOIN_M)).tolist():
                d = lines[j].distance(p) if j != i else math.inf
                if d < best_d:
                    best, best_d = j, d
            if best is None:
                continue
            q = lines[best].interpolate(lines[best].project(p))
            extra[best].append((q.x, q.y))
            if best_d > 0:
                coords[i].insert(0 if end == 0 else len(coords[i]), (q.x, q.y))
    lines = [shapely.LineString(c) for c in coords]
    tree = shapely.STRtree(lines)
    for i, line in enumerate(lines):
        for j in tree.query(line, predicate="crosses").tolist():
            if j > i:
                for pt in shapely.get_coordinates(line.intersection(lines[j])).tolist():
                    extra[i].append(tuple(pt))
                    extra[j].append(tuple(pt))
    out = []
    for name, line, more in zip(names, lines, extra):
        out.append((name, _with_vertices(line, more)))
    return out


def _with_vertices(line, points: list[tuple[float, float]]):
    """The line with these points (on it) inserted as vertices, in order along it."""
    if not points:
        return line
    base = list(line.coords)
    at = np.concatenate(([0.0], np.cumsum(np.hypot(*np.diff(np.array(base), axis=0).T))))
    items = [(float(a), tuple(c)) for a, c in zip(at, base)]
    items += [(float(line.project(shapely.Point(p))), p) for p in points]
    items.sort(key=lambda t: t[0])
    ordered = [items[0][1]]
    for _, c in items[1:]:
        if math.dist(c, ordered[-1]) > 1e-6:
            ordered.append(c)
    return shapely.LineString(ordered if len(ordered) > 1 else ordered * 2)
