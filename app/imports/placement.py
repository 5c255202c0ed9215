"""Point-in-polygon: which ward and neighbourhood each household's point falls in.

One STRtree per level and one vectorised query for all points (shapely 2), never a Python
loop over polygons: 21,504 Cambridge points against 33 precincts take milliseconds.
"""
from __future__ import annotations

import numpy as np
import shapely
import sqlalchemy as sa
from sqlmodel import Session

from ..models import Household, Neighbourhood, Ward, utcnow
from .bulk import bulk_update


class AreaIndex:
    """The areas of one level (wards or neighbourhoods) in an STRtree, by database id."""

    def __init__(self, ids: list[int], geometries: list):
        self.ids = np.asarray(ids, dtype=np.int64)
        self.geometries = geometries
        self.tree = shapely.STRtree(geometries) if geometries else None

    @classmethod
    def load(cls, session: Session, model) -> AreaIndex:
        rows = session.execute(sa.select(model.id, model.boundary).order_by(model.id)).all()
        geometries = list(shapely.from_geojson([boundary for _, boundary in rows])) if rows else []
        return cls([row[0] for row in rows], geometries)

    def locate(self, lons, lats) -> list[int | None]:
        """The id of the area each point lies in (None outside every area)."""
        lons = np.asarray(lons, dtype=float)
        result = np.full(len(lons), -1, dtype=np.int64)
        if self.tree is None or not len(lons):
            return [None] * len(lons)
        points = shapely.points(lons, np.asarray(lats, dtype=float))
        self._fill(result, points, np.arange(len(lons)), "within")
        # A point exactly on an edge is "within" neither neighbour; give it to one of them.
        left = np.flatnonzero(result < 0)
        if len(left):
            self._fill(result, points[left], left, "covered_by")
        return [int(v) if v >= 0 else None for v in result]

    def _fill(self, result, points, positions, predicate: str) -> None:
        point_idx, tree_idx = self.tree.query(points, predicate=predicate)
        if not len(point_idx):
            return
        # Overlapping areas (bad data) would give a point twice: the lowest id wins, stably.
        order = np.lexsort((tree_idx, point_idx))
        point_idx, tree_idx = point_idx[order], tree_idx[order]
        first = np.concatenate(([True], point_idx[1:] != point_idx[:-1]))
        result[positions[point_idx[first]]] = self.ids[tree_idx[first]]


class Placer:
    """Ward and neighbourhood for a batch of points, with the indexes built once."""

    def __init__(self, session: Session):
        self.wards = AreaIndex.load(session, Ward)
        self.neighbourhoods = AreaIndex.load(session, Neighbourhood)

    def place(self, lons, lats) -> tuple[list[int | None], list[int | None]]:
        return self.wards.locate(lons, lats), self.neighbourhoods.locate(lons, lats)


def replace_all_households(session: Session) -> int:
    """Re-place every household with coordinates (after boundaries change). Returns how many moved."""
    rows = session.execute(sa.select(Household.id, Household.lon, Household.lat, Household.ward_id,
                                     Household.neighbourhood_id)
                           .where(Household.lon.is_not(None), Household.lat.is_not(None))).all()
    if not rows:
        return 0
    wards, hoods = Placer(session).place([r.lon for r in rows], [r.lat for r in rows])
    now = utcnow()
    changes = [{"id": r.id, "ward_id": w, "neighbourhood_id": n, "updated_at": now}
               for r, w, n in zip(rows, wards, hoods) if (w, n) != (r.ward_id, r.neighbourhood_id)]
    bulk_update(session, Household, changes)
    return len(changes)
