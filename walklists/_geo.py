"""Projection from WGS84 degrees to local metres.

An equirectangular projection about the doors' own centre: over a city (tens of km) its distance
error is well under 1%, far below the error of parcel-centroid door positions, and it costs two
multiplications per door.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from .doors import Door

EARTH_RADIUS_M = 6_371_008.8
_M_PER_DEG = EARTH_RADIUS_M * math.pi / 180.0


def reference_point(lon: np.ndarray, lat: np.ndarray) -> tuple[float, float]:
    """Centre of the bounding box: independent of input order, unlike a floating-point mean."""
    return (float(lon.min() + lon.max()) / 2.0, float(lat.min() + lat.max()) / 2.0)


def project(
    lon: np.ndarray, lat: np.ndarray, ref: tuple[float, float] | None = None
) -> np.ndarray:
    """(n, 2) array of x (east) and y (north) in metres from ref (lon, lat) in degrees."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if ref is None:
        ref = reference_point(lon, lat)
    kx = _M_PER_DEG * math.cos(math.radians(ref[1]))
    xy = np.empty((lon.shape[0], 2))
    xy[:, 0] = (lon - ref[0]) * kx
    xy[:, 1] = (lat - ref[1]) * _M_PER_DEG
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
