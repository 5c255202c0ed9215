"""The statewide map's ward shapes as their own JSON (GET /maps/city/wards.json), apart from the page.

Shapes change when boundaries are imported; the coverage figures change with every door. So the
page carries only the figures (a row per ward, from the rollup) and points at this JSON, which the
browser keeps and revalidates: an unchanged set of boundaries is a 304 after two small queries,
and a worker builds the JSON once per version of the boundaries, not once per load.

The shapes are simplified for the whole-area view (the drill-down, the ward overview, draws the
ward's own boundary): shared edges simplified once for both neighbours (shapely's coverage
simplification), so no slivers open between wards.
"""
from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass

import numpy as np
import orjson
import shapely
import shapely.errors
import sqlalchemy as sa
from flask import url_for
from sqlmodel import Session

from ..models import AuditEntry, Ward

# Part of the version: a change to what the JSON holds or how it is simplified is a new ETag.
FORMAT = 1
# Of the areas' extent: about one pixel when the whole state fills a 4,000-pixel-wide window, so
# the outlines stay true two zoom levels in from the first view (4,096 = 2 ** 12).
DETAIL = 1 / 4096
PLACES = 5  # decimal places of a degree kept (about a metre)


@dataclass(frozen=True)
class Shapes:
    etag: str
    body: bytes
    gzipped: bytes  # nothing in front of the app compresses; shapes are mostly digits (about 3x smaller)
    bounds: list | None   # [[south, west], [north, east]]
    count: int


_lock = threading.Lock()
_cache: dict[tuple, Shapes] = {}


def boundaries_version(session: Session) -> tuple:
    """What changes when the wards' shapes or names do: their count and highest id (a ward added or
    removed), the last boundary import (import_boundaries updates shapes and names in place and
    audits it), and the total length of the shapes and names (a ward edited by hand, mostly: one
    edited to the same length is seen at the next import)."""
    size = sa.func.octet_length if session.get_bind().dialect.name == "postgresql" else sa.func.length
    count, top, length = session.execute(sa.select(
        sa.func.count(Ward.id), sa.func.max(Ward.id),
        sa.func.coalesce(sa.func.sum(size(Ward.boundary) + size(Ward.name)), 0))).one()
    imported = session.execute(sa.select(sa.func.max(AuditEntry.id))
                               .where(AuditEntry.action == "import.boundaries")).scalar()
    return count, top, int(length), imported


def _simplified(shapes: np.ndarray, tolerance: float) -> np.ndarray:
    try:
        simple = shapely.coverage_simplify(shapes, tolerance)
    except shapely.errors.GEOSException:
        simple = None
    # Overlapping wards are no coverage: simplified one by one there (their edges may part a little).
    if simple is None or not shapely.is_valid(simple).all():
        simple = shapely.simplify(shapes, tolerance, preserve_topology=True)
    return simple


def _parse(texts: list) -> np.ndarray:
    """Polygons from the stored GeoJSON (a geometry or a Feature), in one call to GEOS; None where
    a boundary is missing, broken or no polygon (the import checks them: drawn as no shape, no 500)."""
    geoms = shapely.from_geojson(np.array([t or "null" for t in texts], dtype=object), on_invalid="ignore")
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6)) & shapely.is_valid(geoms)
    return np.where(polygonal, geoms, None)


def build(session: Session) -> Shapes:
    rows = session.execute(sa.select(Ward.id, Ward.name, Ward.boundary).order_by(Ward.code)).all()
    geoms = _parse([boundary for _, _, boundary in rows])
    present = np.flatnonzero(geoms != None)  # noqa: E711 (numpy compares element by element)
    bounds = None
    if len(present):
        west, south, east, north = shapely.total_bounds(geoms[present])
        bounds = [[round(south, PLACES), round(west, PLACES)], [round(north, PLACES), round(east, PLACES)]]
        tolerance = max(east - west, north - south) * DETAIL
        shapes = _simplified(geoms[present], tolerance) if tolerance > 0 else geoms[present]
        # Rounded in place (set_precision would re-node every edge: a quarter of a second here).
        shapes = shapely.set_coordinates(shapes, np.round(shapely.get_coordinates(shapes), PLACES))
        geoms[present] = shapes
    texts = [b"null"] * len(rows)
    for i, text in zip(present, shapely.to_geojson(geoms[present]) if len(present) else ()):
        texts[i] = text.encode()
    features = b",".join(
        b'{"type":"Feature","geometry":%s,"properties":%s}' % (text, orjson.dumps(
            {"id": ward_id, "name": name, "url": url_for("maps.overview", ward=ward_id)}))
        for (ward_id, name, _), text in zip(rows, texts))
    body = b'{"type":"FeatureCollection","features":[' + features + b"]}"
    etag = hashlib.sha256(body).hexdigest()[:32]
    return Shapes(etag=etag, body=body, gzipped=gzip.compress(body, compresslevel=6, mtime=0), bounds=bounds,
                  count=len(rows))


def ward_shapes(session: Session) -> Shapes:
    """The wards' shapes as JSON, built once per version of the boundaries (per database and
    per mount point: the drill-down links hold the script root)."""
    from flask import request

    key = (str(session.get_bind().url), request.script_root, FORMAT, boundaries_version(session))
    found = _cache.get(key)
    if found is None:
        found = build(session)
        with _lock:
            stale = [k for k in _cache if k[:3] == key[:3]]
            for k in stale:
                del _cache[k]
            _cache[key] = found
    return found
