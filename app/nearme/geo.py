"""Distances near one point: an equirectangular projection in metres, plenty within a walk."""
from __future__ import annotations

import math

M_PER_DEG_LAT = 111_320.0


def metres_per_deg_lon(lat: float) -> float:
    return M_PER_DEG_LAT * math.cos(math.radians(lat))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    kx = metres_per_deg_lon((lat1 + lat2) / 2)
    return math.hypot((lon2 - lon1) * kx, (lat2 - lat1) * M_PER_DEG_LAT)


def bbox(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of the square around a circle of ``radius_m``."""
    dlat = radius_m / M_PER_DEG_LAT
    dlon = radius_m / max(metres_per_deg_lon(lat), 1.0)
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def sketch(points: list[tuple[float, float]], *, size: int = 120, pad: int = 8,
           marks: list[tuple[float, float]] = (), line: list[tuple[float, float]] = ()) -> dict:
    """A list's doors (lon, lat) scaled into a ``size`` square for a small SVG: no tiles, works
    offline, and only pixels in the page (no coordinates). ``marks`` (a start point, a last
    position) and ``line`` (the walk along the streets; else straight from door to door) are
    scaled with them, so a street the walk goes round stays in the picture."""
    line = list(line) or list(points)
    every = list(points) + list(marks) + line
    if not every:
        return {"size": size, "doors": [], "marks": [], "line": []}
    lat0 = sum(p[1] for p in every) / len(every)
    kx = math.cos(math.radians(lat0))
    xs, ys = [p[0] * kx for p in every], [p[1] for p in every]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1e-6
    scale = (size - 2 * pad) / span

    def at(p):
        return (round(pad + (p[0] * kx - min(xs)) * scale, 1), round(size - pad - (p[1] - min(ys)) * scale, 1))

    drawn: list[tuple[float, float]] = []
    for p in map(at, line):
        if not drawn or p != drawn[-1]:  # a street's fine bends within a pixel: one point
            drawn.append(p)
    return {"size": size, "doors": [at(p) for p in points], "marks": [at(p) for p in marks], "line": drawn}
