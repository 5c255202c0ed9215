"""The demo always has a call to make, whatever the hour: its queue holds fictional numbers in time
zones whose daytimes cover the clock, and the calling window still holds for every one of them."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import phonenumbers
import pytest
import sqlalchemy as sa

from app.config import settings
from app.db import write_transaction
from app.demo.activity import AROUND_THE_CLOCK
from app.models import CallQueueEntry, Person, User
from app.phonebank import queue
from app.phonebank.hours import in_calling_window, timezone_for_number

# A winter and a summer day: daylight saving moves London's and New York's hours, not Guam's or Hawaii's.
DAYS = (datetime(2026, 1, 14, tzinfo=timezone.utc), datetime(2026, 7, 15, tzinfo=timezone.utc))


@pytest.fixture
def demo(runner, db):
    # big enough for walk lists beyond the two the demo canvasser holds (the queued sheet's list)
    result = runner.invoke(args=["demo", "--households", "900", "--seed", "5"])
    assert result.exit_code == 0, result.output
    return db.execute(sa.select(User).where(User.email == "caller@demo.legwork")).scalar_one()


def test_the_far_numbers_are_fictional_valid_and_in_one_zone_each():
    for pattern, zone in zip(AROUND_THE_CLOCK, ("Pacific/Guam", "Europe/London", "Pacific/Honolulu")):
        for n in (0, 99) if pattern.startswith("+44") else (100, 199):
            number = pattern.format(n)
            assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number
            assert timezone_for_number(number, "America/New_York") == zone


def test_every_hour_of_the_day_has_a_callable_number_within_its_window(demo, db):
    conf = settings()
    zones = set(db.execute(sa.select(CallQueueEntry.timezone)).scalars())
    assert {"Pacific/Guam", "Europe/London", "Pacific/Honolulu"} <= zones
    db.rollback()
    for day in DAYS:
        for hour in range(24):
            now = day + timedelta(hours=hour)
            assert queue.waiting(db, now=now, settings=conf).ready >= 1, now
            attempt = queue.claim(db, caller_id=demo.id, now=now, settings=conf)
            assert attempt is not None, now
            zone = timezone_for_number(attempt.phone, conf.timezone)
            assert in_calling_window(zone, now=now, settings=conf), (now, attempt.phone)  # the window still holds
            write_transaction(db, lambda s: queue.release(s, attempt=s.merge(attempt), now=now))
    db.rollback()
    far = db.execute(sa.select(Person.phone).where(Person.phone.like("+1671%") | Person.phone.like("+4420794%")
                                                   | Person.phone.like("+1808%"))).scalars().all()
    assert len(far) == 9 and all(phonenumbers.is_valid_number(phonenumbers.parse(p)) for p in far)
