"""Projection from WGS84 degrees to local metres.

About the doors' median point, which, unlike the bounding box's centre, stays in the main body when
a few doors are far away (a mistyped coordinate). Over a town, an equirectangular projection: two
multiplications per door, and its stretch (the error of using one latitude's metres per degree of
longitude everywhere, and of drawing meridians parallel) stays under ``EQUIRECTANGULAR_MAX_STRETCH``,
far below the error of parcel-centroid door positions. Over anything wider (a rural county, a
country, a file with far-away mistakes), an azimuthal equidistant projection: distances from the
centre are exact and others stretch by at most c / sin(c) across the line of sight (c = angle from
the centre), 0.1% at 550 km. Longitudes are not unwrapped at ±180 degrees.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .doors import Door

EARTH_RADIUS_M = 6_371_008.8
_M_PER_DEG = EARTH_RADIUS_M * math.pi / 180.0
# Largest relative distance error accepted from the equirectangular projection (0.2%: 20 cm a 100 m hop).
EQUIRECTANGULAR_MAX_STRETCH = 0.002


def reference_point(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float]:
    """Median longitude and latitude: independent of input order, and of a few far-away doors."""
    return (float(np.median(lon)), float(np.median(lat)))


def equirectangular_fits(lon: np.ndarray, lat: np.ndarray, ref: tuple[float, float]) -> bool:
    """Does the equirectangular projection about ref stretch no distance between these points by
    more than EQUIRECTANGULAR_MAX_STRETCH? (East-west scale error tan(lat0) * dlat, plus the shear
    of parallel meridians sin(lat0) * dlon, both in radians, at the farthest point.)"""
    if lon.size == 0:
        return True
    phi0 = math.radians(ref[1])
    dlat = math.radians(float(np.abs(lat - ref[1]).max()))
    dlon = math.radians(float(np.abs(lon - ref[0]).max()))
    return abs(math.tan(phi0)) * dlat + abs(math.sin(phi0)) * dlon <= EQUIRECTANGULAR_MAX_STRETCH


def project(
    lon: np.ndarray, lat: np.ndarray, ref: tuple[float, float] | None = None, equirectangular: bool | None = None
) -> np.ndarray:
    """(n, 2) array of x (east) and y (north) in metres from ref (lon, lat) in degrees.

    equirectangular: None chooses by equirectangular_fits over these points."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if ref is None:
        ref = reference_point(lon, lat)
    if equirectangular is None:
        equirectangular = equirectangular_fits(lon, lat, ref)
    xy = np.empty((lon.shape[0], 2))
    if equirectangular:
        xy[:, 0] = (lon - ref[0]) * _M_PER_DEG * math.cos(math.radians(ref[1]))
        xy[:, 1] = (lat - ref[1]) * _M_PER_DEG
        return xy
    phi0 = math.radians(ref[1])
    sin0, cos0 = math.sin(phi0), math.cos(phi0)
    phi, dlam = np.radians(lat), np.radians(lon - ref[0])
    sinp, cosp, cosd = np.sin(phi), np.cos(phi), np.cos(dlam)
    c = np.arccos(np.clip(sin0 * sinp + cos0 * cosp * cosd, -1.0, 1.0))
    sin_c = np.sin(c)
    # c / sin(c) -> 1 near the centre; at the antipode (sin c = 0) any direction will do
    k = np.where(sin_c > 1e-12, c / np.where(sin_c > 1e-12, sin_c, 1.0), 1.0)
    xy[:, 0] = EARTH_RADIUS_M * k * cosp * np.sin(dlam)
    xy[:, 1] = EARTH_RADIUS_M * k * (cos0 * sinp - sin0 * cosp * cosd)
    return xy


def project_doors(
    doors: Sequence[Door], extra: Sequence[tuple[float, float]] = ()
) -> tuple[np.ndarray, np.ndarray]:
    """Door positions in metres, plus extra (lon, lat) points projected the same way."""
    lon = np.fromiter((d.lon for d in doors), float, len(doors))
    lat = np.fromiter((d.lat for d in doors), float, len(doors))
    ref = reference_point(lon, lat)
    flat = equirectangular_fits(lon, lat, ref)
    xy = project(lon, lat, ref, flat)
    if extra:
        e = np.asarray(extra, dtype=float).reshape(-1, 2)
        return xy, project(e[:, 0], e[:, 1], ref, flat)
    return xy, np.empty((0, 2))


def pairwise(xy: np.ndarray) -> np.ndarray:
    """(n, n) straight-line distances in metres."""
    d = xy[:, None, :] - xy[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", d, d))
