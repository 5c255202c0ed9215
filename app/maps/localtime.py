"""Stored (UTC) times as the campaign's wall-clock time. Kept apart from render.py so pages that
only format times (the dashboard, walk sheets) do not import folium (about a second)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from ..clock import as_utc


def local_time(when: datetime | None, tz: str, fmt: str = "%a %-d %b %H:%M") -> str:
    """A stored (UTC) time as the campaign's local wall-clock time."""
    if when is None:
        return ""
    return as_utc(when).astimezone(ZoneInfo(tz)).strftime(fmt)
