"""Legwork's walk-list engine: cut doors into balanced, walkable turfs, route them, split call sheets.

Pure Python on numpy, scipy and shapely: no web framework, no database. Units: degrees for coordinates,
metres for distances, minutes for durations.
"""

from .callsheets import CallEntry, Callee, CallSheet, split_call_sheets
from ._far import FAR_GAP_M
from .cutting import cut_turf, far_doors
from .doors import DEFAULT_CROSSING_M, DEFAULT_PACE, Door, Pace, Route, Turf
from .errors import (
    DuplicateDoorError,
    EmptyInputError,
    InvalidCoordinateError,
    InvalidDoorError,
    InvalidPaceError,
    InvalidPolygonError,
    InvalidStreetError,
    InvalidSheetSizeError,
    InvalidTargetSizeError,
    InvalidToleranceError,
    WalklistsError,
)
from .polygons import MAX_VERTICES, TurfPolygon, doors_inside, parse_polygon
from .routing import order_route
from .street_path import street_path
from .network import StreetNetwork
from .inferred import infer_network
from .streets import StreetLine

__all__ = [
    "Door",
    "Turf",
    "Route",
    "Pace",
    "DEFAULT_PACE",
    "DEFAULT_CROSSING_M",
    "cut_turf",
    "far_doors",
    "FAR_GAP_M",
    "order_route",
    "street_path",
    "split_call_sheets",
    "Callee",
    "CallEntry",
    "CallSheet",
    "WalklistsError",
    "EmptyInputError",
    "InvalidTargetSizeError",
    "InvalidToleranceError",
    "InvalidCoordinateError",
    "InvalidDoorError",
    "DuplicateDoorError",
    "InvalidPaceError",
    "InvalidSheetSizeError",
    "InvalidPolygonError",
    "InvalidStreetError",
    "StreetLine",
    "StreetNetwork",
    "infer_network",
    "TurfPolygon",
    "parse_polygon",
    "doors_inside",
    "MAX_VERTICES",
]
