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
    keys: dict[str, str] = {}  # one regex per street name, not per door
    for d in ds:
        key = keys.get(d.street)
        if key is None:
            key = keys[d.street] = street_name_key(d.street)
        streets.setdefault(key, []).append(d)
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
    shared vertex where they cross. (One query for all the ends: a list's few hundred neighbours
    are inferred on every route, so the per-end calls were most of the time.)"""
    tree = shapely.STRtree(lines)
    extra: list[list[tuple[float, float]]] = [[] for _ in lines]  # vertices to add to each line
    coords = [list(line.coords) for line in lines]
    n = len(lines)
    ends = shapely.points(np.array([c[end] for c in coords for end in (0, -1)]))
    owner = np.repeat(np.arange(n), 2)
    e, j = tree.query(ends, predicate="dwithin", distance=_JOIN_M)
    keep = j != owner[e]
    e, j = e[keep], j[keep]
    d = shapely.distance(np.asarray(lines, dtype=object)[j], ends[e])
    keep = d < _JOIN_M
    e, j, d = e[keep], j[keep], d[keep]
    # the nearest other line for each end (the lowest index among equals)
    order = np.lexsort((j, d, e))
    e, j, d = e[order], j[order], d[order]
    first = np.concatenate(([True], e[1:] != e[:-1])) if len(e) else np.zeros(0, bool)
    e, j, d = e[first], j[first], d[first]
    if len(e):
        targets = np.asarray(lines, dtype=object)[j]
        along = shapely.line_locate_point(targets, ends[e])
        feet = shapely.get_coordinates(shapely.line_interpolate_point(targets, along))
        for end_k, best, dist, (qx, qy) in zip(e.tolist(), j.tolist(), d.tolist(), feet.tolist()):
            i = end_k // 2
            extra[best].append((qx, qy))
            if dist > 0:
                coords[i].insert(0 if end_k % 2 == 0 else len(coords[i]), (qx, qy))
    lines = [shapely.LineString(c) for c in coords]
    tree = shapely.STRtree(lines)
    a, b = tree.query(lines, predicate="crosses")
    for i, k in zip(a.tolist(), b.tolist()):
        if k > i:
            for pt in shapely.get_coordinates(lines[i].intersection(lines[k])).tolist():
                extra[i].append(tuple(pt))
                extra[k].append(tuple(pt))
    return [(name, _with_vertices(line, more)) for name, line, more in zip(names, lines, extra)]


def _with_vertices(line, points: list[tuple[float, float]]):
    """The line with these points (on it) inserted as vertices, in order along it."""
    if not points:
        return line
    base = list(line.coords)
    at = np.concatenate(([0.0], np.cumsum(np.hypot(*np.diff(np.array(base), axis=0).T))))
    items = [(float(a), tuple(c)) for a, c in zip(at, base)]
    along = shapely.line_locate_point(line, shapely.points(np.array(points)))
    items += [(float(a), tuple(p)) for a, p in zip(along.tolist(), points)]
    items.sort(key=lambda t: t[0])
    ordered = [items[0][1]]
    for _, c in items[1:]:
        if math.dist(c, ordered[-1]) > 1e-6:
            ordered.append(c)
    return shapely.LineString(ordered if len(ordered) > 1 else ordered * 2)
