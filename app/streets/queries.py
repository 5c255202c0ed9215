"""The stored street network near some doors, as walklists values."""
from __future__ import annotations

import json
import math
from typing import Iterable

import sqlalchemy as sa
from sqlmodel import Session

from walklists import StreetLine, StreetNetwork

from ..models import StreetLineRow

# Lines this far around the doors' box: enough for the walk between any two of them.
MARGIN_M = 400.0
_M_PER_DEG = 111_195.0


def network_near(session: Session, *, points: Iterable[tuple[float, float]],
                 margin_m: float = MARGIN_M) -> StreetNetwork | None:
    """The stored lines whose box comes within margin_m of these (lon, lat) points' box; None when
    no line does (no network imported, or none here): routes then go on straight lines."""
    pts = [(lon, lat) for lon, lat in points if lon is not None and lat is not None]
    if not pts:
        return None
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    dlat = margin_m / _M_PER_DEG
    dlon = dlat / max(math.cos(math.radians((min(lats) + max(lats)) / 2)), 0.05)
    rows = session.execute(sa.select(StreetLineRow.ref, StreetLineRow.name, StreetLineRow.kind, StreetLineRow.coords)
                           .where(StreetLineRow.max_lon >= min(lons) - dlon, StreetLineRow.min_lon <= max(lons) + dlon,
                                  StreetLineRow.max_lat >= min(lats) - dlat, StreetLineRow.min_lat <= max(lats) + dlat)
                           .order_by(StreetLineRow.id)).all()
    if not rows:
        return None
    return StreetNetwork(StreetLine(ref, name, tuple(map(tuple, json.loads(coords))), kind)
                         for ref, name, kind, coords in rows)


def has_streets(session: Session) -> bool:
    return session.execute(sa.select(StreetLineRow.id).limit(1)).first() is not None
