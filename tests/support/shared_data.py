"""Where the shared real-world data lives, and what to do when it is missing; and an independent
measure of a route's metres (great-circle), to check Route.length_m against.

Self-contained so it can be promoted to tests/conftest.py as is. The folder is $LEGWORK_SHARED_DATA,
or <repo>/../shared/data. When it is missing, tests skip with the reason, unless
LEGWORK_REQUIRE_SHARED_DATA=1, in which case they fail (CI that must exercise the real data).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    env = os.environ.get("LEGWORK_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def require_shared_data(*parts: str) -> Path:
    """Path to the shared data (or a file in it); skip, or fail if required, when absent."""
    path = shared_data_dir().joinpath(*parts)
    if not path.exists():
        reason = (
            f"shared data not found at {path} (set LEGWORK_SHARED_DATA to the folder holding "
            "cambridge-ma/)"
        )
        if os.environ.get("LEGWORK_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(reason + "; LEGWORK_REQUIRE_SHARED_DATA=1 makes this a failure", pytrace=False)
        pytest.skip(reason)
    return path


def walked_m(points: list[tuple[float, float]]) -> float:
    """Great-circle metres along (lon, lat) points: an independent check of Route.length_m."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(points, points[1:]):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
        total += 2 * 6_371_008.8 * math.asin(math.sqrt(h))
    return total


def route_points(route) -> list[tuple[float, float]]:
    return ([route.start] if route.start else []) + [(d.lon, d.lat) for d in route.doors]
