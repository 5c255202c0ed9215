"""Calling hours: which time zone a number rings in, and whether it is inside the campaign's calling
window there now (``[phonebank] calling_window``, in the callee's local time)."""
from __future__ import annotations

from datetime import datetime, time, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import timezone as phone_timezones

from ..clock import as_utc
from ..config import Settings


def timezone_for_number(phone: str | None, default: str) -> str:
    """The number's time zone when phonenumbers knows exactly one, else the campaign's."""
    try:
        zones = phone_timezones.time_zones_for_number(phonenumbers.parse(phone or "", None))
    except phonenumbers.NumberParseException:
        return default
    if len(zones) == 1 and zones[0] != "Etc/Unknown":
        return zones[0]
    return default


def _zone(name: str, default: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(default)


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def in_calling_window(zone: str, *, now: datetime, settings: Settings) -> bool:
    """Is it inside the calling window (e.g. 09:00 to 21:00, end excluded) in that zone now?

    A window whose start equals its end ("00:00", "00:00") has no limit: the clock never matters.
    """
    start, end = (_clock(t) for t in settings.phonebank.calling_window)
    if start == end:
        return True
    local = as_utc(now).astimezone(_zone(zone, settings.timezone)).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end  # a window that runs past midnight


def local_time(zone: str, *, now: datetime, settings: Settings) -> datetime:
    return as_utc(now).astimezone(_zone(zone, settings.timezone))


def to_utc(local: datetime, zone: str, *, settings: Settings) -> datetime:
    """A wall-clock time in the callee's zone (from a datetime-local input) as aware UTC."""
    return local.replace(tzinfo=_zone(zone, settings.timezone)).astimezone(timezone.utc)


# ---- who may be served ------------------------------------------------------------------
