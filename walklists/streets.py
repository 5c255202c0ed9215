"""Street centre-lines in: the one value type that routing and cutting on a street network share.

A network comes from a GeoJSON file of line strings (Cambridge's centre-lines, OS Open Roads, an
OpenStreetMap extract). Footpaths count: a canvasser walks them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Hashable

from .errors import InvalidStreetError

__all__ = ["StreetLine"]


@dataclass(frozen=True)
class StreetLine:
    """One piece of street centre-line.

    id: the line's id in its file (unique within one network). name: the street's name as doors
    spell it ("" for an unnamed footpath or service road). coords: two or more (lon, lat) points in
    WGS84 degrees. kind: the file's road class (OSM "highway", e.g. "footway"), "" when unknown.
    """

    id: Hashable
    name: str
    coords: tuple[tuple[float, float], ...]
    kind: str = ""

    def __post_init__(self) -> None:
        try:
            points = tuple((float(lon), float(lat)) for lon, lat in self.coords)
        except (TypeError, ValueError):
            raise InvalidStreetError(f"street line {self.id!r}: coordinates must be (lon, lat) number pairs") from None
        if len(points) < 2:
            raise InvalidStreetError(f"street line {self.id!r}: needs at least 2 points, got {len(points)}")
        for lon, lat in points:
            if not (math.isfinite(lon) and math.isfinite(lat) and abs(lon) <= 180 and abs(lat) <= 90):
                raise InvalidStreetError(f"street line {self.id!r}: point ({lon}, {lat}) is out of range")
        object.__setattr__(self, "coords", points)
        object.__setattr__(self, "name", "" if self.name is None else str(self.name))
        object.__setattr__(self, "kind", "" if self.kind is None else str(self.kind))
