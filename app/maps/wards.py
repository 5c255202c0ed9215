"""The statewide map's ward shapes as their own JSON (GET /maps/city/wards.json), apart from the page.

Shapes change when boundaries are imported; the coverage figures change with every door. So the
page carries only the figures (a row per ward, from the rollup) and points at this JSON, which the
browser keeps and revalidates: an unchanged set of boundaries is a 304 after three small queries,
and a worker builds the JSON once per version of the boundaries, not once per load.

The shapes are simplified for the whole-area view (the drill-down, the ward overview, draws the
ward's own boundary): shared edges simplified once for both neighbours (shapely's coverage
simplification), so no slivers open between wards.
"""
from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass

import numpy as np
import orjson
import shapely
import shapely.errors
import shapely.geometry
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
    bounds: list | None   # [[south, west], [north, east]]
    count: int


_lock = threading.Lock()
_cache: dict[tuple, Shapes] = {}


def boundaries_version(session: Session) -> tuple:
    """What changes when the wards' shapes or names do: their count and highest id (a ward added or
    removed) and the last boundary import (import_boundaries updates shapes and names in place and
    audits it). A ward edited in the database by hand is not seen: import it instead."""
    count, top = session.execute(sa.select(sa.func.count(Ward.id), sa.func.max(Ward.id))).one()
    imported = session.execute(sa.select(sa.func.max(AuditEntry.id))
                               .where(AuditEntry.action == "import.boundaries")).scalar()
    return count, top, imported


def _simplified(geoms: list, tolerance: float) -> list:
    """Each geometry simplified by ``tolerance`` degrees; None where there was no shape."""
    present = [i for i, g in enumerate(geoms) if g is not None]
    shapes = [geoms[i] for i in present]
    out = [None] * len(geoms)
    if not shapes:
        return out
    try:
        simple = list(shapely.coverage_simplify(np.array(shapes, dtype=object), tolerance))
    except shapely.errors.GEOSException:
        simple = []
    # Overlapping wards are no coverage: simplified one by one there (their edges may part a little).
    if len(simple) != len(shapes) or not all(shapely.is_valid(simple)):
        simple = list(shapely.simplify(np.array(shapes, dtype=object), tolerance, preserve_topology=True))
    for i, geom in zip(present, simple):
        out[i] = geom
    return out


def _geojson(geom) -> dict | None:
    if geom is None or geom.is_empty:
        return None
    data = json.loads(shapely.to_geojson(shapely.set_precision(geom, 10 ** -PLACES)))
    return {"type": data["type"], "coordinates": data["coordinates"]}


def _parse(text: str | None):
    if not text:
        return None
    try:
        geom = json.loads(text)
        geom = geom.get("geometry", geom) if geom.get("type") == "Feature" else geom
        shape = shapely.geometry.shape(geom)
    except (ValueError, TypeError, AttributeError, KeyError):
        return None  # the import checks every boundary; a broken one is drawn as no shape, not a 500
    return shape if shape.geom_type in ("Polygon", "MultiPolygon") and shape.is_valid else None


def build(session: Session) -> Shapes:
    rows = session.execute(sa.select(Ward.id, Ward.name, Ward.boundary).order_by(Ward.code)).all()
    geoms = [_parse(boundary) for _, _, boundary in rows]
    present = [g for g in geoms if g is not None]
    bounds, tolerance = None, 0.0
    if present:
        west, south, east, north = shapely.total_bounds(np.array(present, dtype=object))
        bounds = [[round(south, PLACES), round(west, PLACES)], [round(north, PLACES), round(east, PLACES)]]
        tolerance = max(east - west, north - south) * DETAIL
    simple = _simplified(geoms, tolerance) if tolerance > 0 else geoms
    features = [{"type": "Feature", "geometry": _geojson(geom),
                 "properties": {"id": ward_id, "name": name, "url": url_for("maps.overview", ward=ward_id)}}
                for (ward_id, name, _), geom in zip(rows, simple)]
    body = orjson.dumps({"type": "FeatureCollection", "features": features})
    etag = hashlib.sha256(body).hexdigest()[:32]
    return Shapes(etag=etag, body=body, bounds=bounds, count=len(rows))


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
