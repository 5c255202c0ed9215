"""Projection from WGS84 degrees to local metres.

An azimuthal equidistant projection about the doors' median point: distances from the centre are
exact, and other distances are stretched by at most c / sin(c) across the line of sight (c = angle
from the centre), 0.1% at 550 km, so a country-sized area keeps its street distances. The median,
unlike the bounding box's centre, stays in the main body when a few doors are far away (a
mistyped coordinate). Longitudes are not unwrapped at ±180 degrees.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .doors import Door

EARTH_RADIUS_M = 6_371_008.8


def reference_point(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float]:
    """Median longitude and latitude: independent of input order, and of a few far-away doors."""
    return (float(np.median(lon)), float(np.median(lat)))


def project(
    lon: np.ndarray, lat: np.ndarray, ref: tuple[float, float] | None = None
) -> np.ndarray:
    """(n, 2) array of x (east) and y (north) in metres from ref (lon, lat) in degrees."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if ref is None:
        ref = reference_point(lon, lat)
    phi0 = math.radians(ref[1])
    phi = np.radians(lat)
    dlam = np.radians(lon - ref[0])
    sin0, cos0 = math.sin(phi0), math.cos(phi0)
    sinp, cosp = np.sin(phi), np.cos(phi)
    cosd = np.cos(dlam)
    cos_c = np.clip(sin0 * sinp + cos0 * cosp * cosd, -1.0, 1.0)
    c = np.arccos(cos_c)
    sin_c = np.sin(c)
    # c / sin(c) -> 1 near the centre; at the antipode (sin c = 0, c = pi) any direction will do
    k = np.where(sin_c > 1e-12, c / np.where(sin_c > 1e-12, sin_c, 1.0), 1.0)
    xy = np.empty((lon.shape[0], 2))
    xy[:, 0] = EARTH_RADIUS_M * k * cosp * np.sin(dlam)
    xy[:, 1] = EARTH_RADIUS_M * k * (cos0 * sinp - sin0 * cosp * cosd)
    return xy


def project_doors(
    doors: Sequence[Door], extra: Sequence[tuple[float, float]] = ()
) -> tuple[np.ndarray, np.ndarray]:
    """Door positions in metres, plus extra (lon, lat) points projected with the same reference."""
    lon = np.fromiter((d.lon for d in doors), float, len(doors))
    lat = np.fromiter((d.lat for d in doors), float, len(doors))
    ref = reference_point(lon, lat)
    xy = project(lon, lat, ref)
    if extra:
        e = np.asarray(extra, dtype=float).reshape(-1, 2)
        return xy, project(e[:, 0], e[:, 1], ref)
    return xy, np.empty((0, 2))


def pairwise(xy: np.ndarray) -> np.ndarray:
    """(n, n) straight-line distances in metres."""
    d = xy[:, None, :] - xy[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", d, d))
