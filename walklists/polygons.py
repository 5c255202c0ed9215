"""Hand-drawn turfs: check a polygon an organiser drew on the map, and find the doors inside it.

A drawn turf is one outline (no holes, no second part) of 3 to ``MAX_VERTICES`` corners in WGS84
degrees that does not cross itself. Point in polygon is the even-odd rule on the degrees themselves:
over a turf (a few km at most) the difference from a projected test is far below the error of a
parcel-centroid door position. A door exactly on the outline may fall either side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterable, Sequence

import numpy as np
import shapely

from .doors import Door
from .errors import InvalidPolygonError

__all__ = ["MAX_VERTICES", "TurfPolygon", "parse_polygon", "doors_inside"]

#: Corners a drawn turf may have: a careful street-by-street outline has a few dozen.
MAX_VERTICES = 500


@dataclass(frozen=True)
class TurfPolygon:
    """An open ring of (lon, lat) corners (the first is not repeated at the end)."""

    ring: tuple[tuple[float, float], ...]

    def contains(self, lon: Sequence[float] | np.ndarray, lat: Sequence[float] | np.ndarray) -> np.ndarray:
        """Boolean array: is each (lon, lat) inside the outline (even-odd rule)?"""
        x = np.asarray(lon, dtype=float).reshape(-1)
        y = np.asarray(lat, dtype=float).reshape(-1)
        inside = np.zeros(x.shape[0], dtype=bool)
        ring = np.asarray(self.ring, dtype=float)
        for (x1, y1), (x2, y2) in zip(ring, np.roll(ring, -1, axis=0)):
            crosses = (y1 > y) != (y2 > y)  # the edge spans the point's latitude (half-open: no double count)
            with np.errstate(divide="ignore", invalid="ignore"):
                at = x1 + (y - y1) * (x2 - x1) / (y2 - y1)
            inside ^= crosses & (x < at)
        return inside

    def as_geojson(self) -> dict:
        coords = [list(p) for p in self.ring]
        return {"type": "Polygon", "coordinates": [coords + [coords[0]]]}


def _number(value: object, what: str, lo: float, hi: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float)
                                                                         and not math.isfinite(value)):
        raise InvalidPolygonError(f"{what} must be a number, got {value!r}")
    if not lo <= value <= hi:
        raise InvalidPolygonError(f"{what} must be between {lo:g} and {hi:g}, got {value!r}")
    return float(value)


def _ring(geometry: object) -> list:
    if isinstance(geometry, dict) and geometry.get("type") == "Feature":
        geometry = geometry.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") != "Polygon":
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise InvalidPolygonError(f"The turf must be a GeoJSON Polygon, got {kind!r}")
    rings = geometry.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise InvalidPolygonError("The polygon has no coordinates")
    if len(rings) > 1:
        raise InvalidPolygonError("Draw the turf as one outline without holes")
    if not isinstance(rings[0], list):
        raise InvalidPolygonError("The polygon's outline must be a list of [longitude, latitude] points")
    return rings[0]


def parse_polygon(geometry: object, *, max_vertices: int = MAX_VERTICES) -> TurfPolygon:
    """A checked TurfPolygon from a GeoJSON Polygon geometry (or a Feature holding one).

    Raises InvalidPolygonError naming the first problem: not a polygon, holes, a point that is not
    [lon, lat] in range, fewer than 3 distinct corners, more than max_vertices, no area, or an
    outline that crosses itself.
    """
    raw = _ring(geometry)
    if len(raw) > max_vertices + 1:  # + 1: GeoJSON repeats the first corner at the end
        raise InvalidPolygonError(f"The turf has {len(raw)} corners; at most {max_vertices} are allowed")
    points: list[tuple[float, float]] = []
    for i, p in enumerate(raw):
        if not isinstance(p, (list, tuple)) or len(p) not in (2, 3):
            raise InvalidPolygonError(f"Point {i + 1} must be [longitude, latitude], got {p!r}"[:200])
        point = (_number(p[0], f"Point {i + 1}'s longitude", -180, 180),
                 _number(p[1], f"Point {i + 1}'s latitude", -90, 90))
        if not points or points[-1] != point:  # a double click leaves a repeated corner: harmless
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        raise InvalidPolygonError(f"A turf needs at least 3 corners, got {len(points)}")
    if len(points) > max_vertices:
        raise InvalidPolygonError(f"The turf has {len(points)} corners; at most {max_vertices} are allowed")
    ring = shapely.LinearRing(points)
    if shapely.MultiPoint(points).convex_hull.area <= 0:
        raise InvalidPolygonError("The turf has no area: its corners are in a line")
    if not ring.is_simple:
        raise InvalidPolygonError("The turf's outline crosses itself: redraw it without crossing lines")
    return TurfPolygon(tuple(points))


def doors_inside(polygon: TurfPolygon, doors: Iterable[Door]) -> list[Door]:
    """The doors inside the polygon, in the order given."""
    ds = list(doors)
    if not ds:
        return []
    mask = polygon.contains([d.lon for d in ds], [d.lat for d in ds])
    return [d for d, keep in zip(ds, mask) if keep]
