"""Reading a near-me request (minutes, distance, location or postcode) from a query or a form."""
from __future__ import annotations

import math

from ..errors import ValidationError
from ..volunteers.queries import find_place
from .operations import check_request


def _whole(text) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 6 else None


def _number(text) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def read_request(session, values, *, limit_km: float) -> tuple[int, float, float, float]:
    """(minutes, km, lat, lon) from ``values`` (request.args or request.form), or ValidationError."""
    minutes = _whole(values.get("minutes"))
    km = _number(values.get("km"))
    check_request(minutes=minutes if minutes is not None else -1, max_km=km if km is not None else -1.0,
                  limit_km=limit_km)
    place = find_place(session, postcode=(values.get("postcode") or "")[:40], lat=values.get("lat") or None,
                       lon=values.get("lon") or None)
    if place is None:
        raise ValidationError("Tap “Use my location”, or type your postcode.")
    return minutes, km, place.lat, place.lon
