"""Calling hours and time zones of the call queue, pinned where the mutation check
(scripts/bench/mutation.py) found behaviour no other test held. Pure functions: no database."""
from datetime import datetime, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from app.phonebank.queue import in_calling_window, local_time, timezone_for_number, to_utc


def settings(window=("09:00", "21:00"), zone="America/New_York"):
    return SimpleNamespace(phonebank={"calling_window": list(window)}, timezone=zone)


def at_new_york(hour, minute=0):
    """That wall-clock time in New York on 15 October 2024, as aware UTC."""
    return datetime(2024, 10, 15, hour, minute, tzinfo=ZoneInfo("America/New_York")).astimezone(timezone.utc)


@pytest.mark.parametrize("phone, expected", [
    ("+16175551234", "America/New_York"),   # one zone: the number's own
    ("+15555550100", "Europe/Paris"),       # phonenumbers says Etc/Unknown: the campaign's zone
    ("+80012345678", "Europe/Paris"),       # international freephone: Etc/Unknown too
    ("not a number", "Europe/Paris"),
    (None, "Europe/Paris"),
])
def test_timezone_for_number_falls_back_to_the_campaign_zone(phone, expected):
    assert timezone_for_number(phone, "Europe/Paris") == expected


def test_an_unknown_zone_name_reads_the_clock_in_the_campaign_zone():
    now = at_new_york(12)
    assert local_time("Not/AZone", now=now, settings=settings()).hour == 12
    assert to_utc(datetime(2024, 10, 15, 12, 0), "Not/AZone", settings=settings()) == now
    assert in_calling_window("Not/AZone", now=at_new_york(8), settings=settings()) is False


@pytest.mark.parametrize("hour, minute, inside", [
    (8, 59, False), (9, 0, True), (20, 59, True), (21, 0, False), (23, 0, False),
])
def test_calling_window_includes_its_start_and_excludes_its_end(hour, minute, inside):
    now = at_new_york(hour, minute)
    assert in_calling_window("America/New_York", now=now, settings=settings()) is inside


@pytest.mark.parametrize("hour, minute, inside", [
    (21, 59, False), (22, 0, True), (23, 30, True), (0, 0, True), (1, 59, True), (2, 0, False), (12, 0, False),
])
def test_a_window_past_midnight_wraps_round(hour, minute, inside):
    now = at_new_york(hour, minute)
    assert in_calling_window("America/New_York", now=now, settings=settings(("22:00", "02:00"))) is inside


@pytest.mark.parametrize("hour", [0, 3, 9, 21, 23])
def test_a_window_whose_start_is_its_end_has_no_limit(hour):
    window = settings(("00:00", "00:00"))
    assert in_calling_window("America/New_York", now=at_new_york(hour), settings=window) is True
