"""The event validator, over any numbers (no database: it is pure)."""
from __future__ import annotations

import math
from datetime import timedelta

from hypothesis import given
from hypothesis import strategies as st

from app.errors import ValidationError
from app.events import operations as ops
from app.models import utcnow

START = utcnow() + timedelta(days=1)


def _verdict(**kw) -> bool:
    data = ops.EventInput(kind="canvass", title="T", starts_at=START, ends_at=START + timedelta(hours=2), **kw)
    try:
        ops._validate(data)
        return True
    except ValidationError:
        return False


@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
def test_a_location_is_accepted_exactly_when_it_is_on_earth(lat, lon):
    on_earth = math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180
    assert _verdict(lat=lat, lon=lon) == on_earth


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_a_capacity_is_a_positive_whole_number(capacity):
    assert _verdict(capacity=capacity) == (1 <= capacity <= 100000)


@given(st.integers(min_value=-10**6, max_value=10**6))
def test_an_event_ends_after_it_starts(minutes):
    data = ops.EventInput(kind="canvass", title="T", starts_at=START, ends_at=START + timedelta(minutes=minutes))
    try:
        ops._validate(data)
        ok = True
    except ValidationError:
        ok = False
    assert ok == (minutes > 0)
