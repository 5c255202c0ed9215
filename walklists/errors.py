"""Errors raised by the walk-list engine.

Every error is a :class:`WalklistsError`, itself a :class:`ValueError`, so callers (the web app, CLI
commands) can catch one type and show its message to an organiser unchanged.
"""

from __future__ import annotations

__all__ = [
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
]


class WalklistsError(ValueError):
    """Base class for every error the walk-list engine raises on bad input."""


class EmptyInputError(WalklistsError):
    """No doors (or no people) were given."""


class InvalidTargetSizeError(WalklistsError):
    """target_size is not an integer of at least 1."""


class InvalidToleranceError(WalklistsError):
    """tolerance is not a finite number in [0, 1)."""


class InvalidCoordinateError(WalklistsError):
    """A door's longitude/latitude is NaN, infinite or out of range."""


class InvalidDoorError(WalklistsError):
    """A door has an empty id or fields of the wrong type."""


class DuplicateDoorError(WalklistsError):
    """Two doors share one id."""


class InvalidPaceError(WalklistsError):
    """A walking pace or street-crossing cost is not a positive finite number."""


class InvalidSheetSizeError(WalklistsError):
    """sheet_size is not an integer of at least 1."""


class InvalidPolygonError(WalklistsError):
    """A hand-drawn turf is not one simple outline of 3 or more corners in range."""


class InvalidStreetError(WalklistsError):
    """A street centre-line has fewer than 2 points or a point out of range."""
