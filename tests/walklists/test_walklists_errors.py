"""Bad input raises a specific WalklistsError naming what is wrong."""

from __future__ import annotations

import math

import pytest

from walklists import (
    Callee,
    DuplicateDoorError,
    EmptyInputError,
    InvalidCoordinateError,
    InvalidDoorError,
    InvalidPaceError,
    InvalidSheetSizeError,
    InvalidTargetSizeError,
    InvalidToleranceError,
    Door,
    Pace,
    WalklistsError,
    cut_turf,
    order_route,
    split_call_sheets,
)

A = Door("a", -71.1, 42.37, "Main St", "1")
B = Door("b", -71.1001, 42.37, "Main St", "3")


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: cut_turf([], 10), EmptyInputError, "no doors"),
        (lambda: order_route([]), EmptyInputError, "no doors"),
        (lambda: cut_turf([A, B], 0), InvalidTargetSizeError, "target_size must be an integer >= 1, got 0"),
        (lambda: cut_turf([A, B], -3), InvalidTargetSizeError, "got -3"),
        (lambda: cut_turf([A, B], 2.5), InvalidTargetSizeError, "got 2.5"),
        (lambda: cut_turf([A, B], True), InvalidTargetSizeError, "got True"),
        (lambda: cut_turf([A, B], 5, tolerance=1.5), InvalidToleranceError, "got 1.5"),
        (lambda: cut_turf([A, B], 5, tolerance=math.nan), InvalidToleranceError, "got nan"),
        (lambda: cut_turf([A, B, Door("a", 0, 0)], 5), DuplicateDoorError, "door id 'a' appears more than once"),
        (lambda: order_route([A, A]), DuplicateDoorError, "'a'"),
        (lambda: Door("x1", math.nan, 42.0), InvalidCoordinateError, "door 'x1': lon=nan"),
        (lambda: Door("x2", -71.0, math.inf), InvalidCoordinateError, "door 'x2': lat=inf"),
        (lambda: Door("x3", 200.0, 42.0), InvalidCoordinateError, "door 'x3': lon=200.0"),
        (lambda: Door("x4", -71.0, -91.0), InvalidCoordinateError, "door 'x4': lat=-91.0"),
        (lambda: Door("x5", "east", 42.0), InvalidCoordinateError, "door 'x5': lon must be a number"),
        (lambda: Door("", 0.0, 0.0), InvalidDoorError, "non-empty string"),
        (lambda: order_route([A], start=(math.nan, 0.0)), InvalidCoordinateError, "start must be (lon, lat)"),
        (lambda: order_route([A], crossing_m=-1), InvalidPaceError, "crossing_m"),
        (lambda: Pace(metres_per_minute=0), InvalidPaceError, "metres_per_minute"),
        (lambda: split_call_sheets([Callee("p", "+16175550123")], 0), InvalidSheetSizeError, "got 0"),
        (lambda: split_call_sheets([], -1), InvalidSheetSizeError, "got -1"),
    ],
)
def test_bad_input(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert message in str(info.value)
    assert isinstance(info.value, WalklistsError) and isinstance(info.value, ValueError)
