"""Which teams cover a point: each team's areas (a whole ward, or one neighbourhood) as polygons.

Parsed polygons are cached per process, keyed by the boundary's GeoJSON text itself, and the
text is read from the database on every lookup (one small query). So the cache can never be
stale: a re-imported boundary is new text and is parsed afresh, a team that gains or loses an
area changes the rows read, and each lookup keeps only the texts it saw, so the cache never
outgrows the areas in use. What it saves is the parsing, not the reading.
"""
from __future__ import annotations

import json
import logging
import threading

import shapely
import sqlalchemy as sa
from shapely.geometry import shape
from sqlmodel import Session

from ..models import Neighbourhood, TeamArea, Ward

log = logging.getLogger(__name__)
_shapes: dict[str, object] = {}
_lock = threading.Lock()

_AREAS = (sa.select(TeamArea.team_id, sa.func.coalesce(Ward.boundary, Neighbourhood.boundary))
          .select_from(TeamArea)
          .outerjoin(Ward, Ward.id == TeamArea.ward_id)
          .outerjoin(Neighbourhood, Neighbourhood.id == TeamArea.neighbourhood_id))


def _parse(text: str):
    try:
        geometry = shape(json.loads(text))
        shapely.prepare(geometry)
        return geometry
    except (ValueError, TypeError, KeyError, AttributeError, shapely.errors.ShapelyError):
        log.warning("a team area's boundary is not readable GeoJSON: skipped")
        return None


def teams_covering(session: Session, *, lat: float, lon: float) -> list[int]:
    """Ids of the teams with an area containing (lat, lon), in id order."""
    global _shapes
    rows = session.execute(_AREAS).all()
    known = _shapes
    current = {}
    for _team_id, text in rows:
        if text is not None and text not in current:
            current[text] = known[text] if text in known else _parse(text)
    with _lock:
        _shapes = current
    point = shapely.Point(lon, lat)
    found = {team_id for team_id, text in rows
             if text is not None and current[text] is not None and current[text].covers(point)}
    return sorted(found)
