"""Property: the weeks grouped in SQL (shift_weeks) and who ever worked (ever_worked, from the
all-time rollup) are what reading each volunteer's shift days one by one gives (their Mondays),
whatever the days, channels, events attended and the campaign's clock; so are the streaks."""
from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from app.clock import campaign_today
from app.contacts.activity_totals import rebuild_activity_totals
from app.models import ActivityDay, ActivityTotal, Event, Rsvp
from app.recognition.shifts import ever_worked, monday, shift_weeks, streak

BASE = date(2026, 10, 5)   # a Monday
START = datetime(2026, 10, 4, 20, 0, tzinfo=timezone.utc)  # late on a Sunday: not Monday on every clock
# (volunteer, day, channel, pin, events): a rollup row, one per key as the rollup keeps them
day_rows = st.dictionaries(st.tuples(st.integers(0, 3), st.integers(0, 90), st.sampled_from(["door", "phone", "relational"]),
                                     st.integers(0, 1)), st.integers(0, 2), max_size=25)
# (volunteer, quarter hours after START, (checked in, attended)): an RSVP to an event
visits = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 90 * 24 * 4),
                            st.sampled_from([(True, None), (True, True), (True, False), (False, True), (False, None)])),
                  max_size=8)


@pytest.fixture(params=["UTC", "Pacific/Kiritimati", "America/Los_Angeles"])
def clock(app, request):
    cfg = app.extensions["legwork_settings"]
    app.extensions["legwork_settings"] = dataclasses.replace(cfg, timezone=request.param)
    yield
    app.extensions["legwork_settings"] = cfg


@pytest.fixture
def volunteers(make_user) -> list[int]:
    return [make_user(roles="volunteer").id for _ in range(4)]


def reference(rows, rsvps, ids) -> dict[int, set[date]]:
    """Each volunteer's shift days, one by one (what the ladder read for every volunteer)."""
    days = defaultdict(set)
    for (who, offset, _channel, _pin), events in rows.items():
        if events > 0:
            days[ids[who]].add(BASE + timedelta(days=offset))
    for who, quarter, (checked_in, came) in rsvps:
        if (checked_in or came is True) and came in (None, True):
            days[ids[who]].add(campaign_today(START + timedelta(minutes=15 * quarter)))
    return days


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
# since as early as 64 weeks before the days: those past a bitmask's 62 weeks are read week by week
@given(rows=day_rows, rsvps=visits, since=st.integers(-450, 95), today=st.integers(0, 110))
def test_weeks_grouped_in_sql_are_the_weeks_of_the_days(db, clock, volunteers, rows, rsvps, since, today):
    ids = volunteers
    db.add_all([ActivityDay(day=BASE + timedelta(days=offset), actor_user_id=ids[who], actor_pin_id=pin, channel=channel,
                            events=events) for (who, offset, channel, pin), events in rows.items()])
    for who, quarter, (checked_in, came) in rsvps:
        at = START + timedelta(minutes=15 * quarter)
        event = Event(kind="canvass", title="Doors", starts_at=at, ends_at=at + timedelta(hours=2),
                      checkin_code=uuid.uuid4().hex)
        db.add(event)
        db.flush()
        db.add(Rsvp(event_id=event.id, user_id=ids[who], checked_in_at=at if checked_in else None, attended=came))
    db.flush()
    rebuild_activity_totals(db.connection())
    try:
        days = reference(rows, rsvps, ids)
        expected = {u: {monday(d) for d in ds} for u, ds in days.items()}
        cut = BASE + timedelta(days=since)
        recent = {u: {w for w in ws if w >= monday(cut)} for u, ws in expected.items()}
        for wanted in ({*ids}, None, {ids[0], ids[2]}):
            keep = (lambda u: True) if wanted is None else wanted.__contains__
            assert dict(shift_weeks(db, user_ids=wanted)) == {u: w for u, w in expected.items() if keep(u)}
            assert dict(shift_weeks(db, user_ids=wanted, since=cut)) == {u: w for u, w in recent.items() if w and keep(u)}
            assert ever_worked(db, user_ids=wanted) == {u for u, ds in days.items() if ds and keep(u)}
        on = BASE + timedelta(days=today)
        found = shift_weeks(db, user_ids={*ids})
        assert [streak(found.get(u, set()), today=on) for u in ids] == [streak(days.get(u, set()), today=on) for u in ids]
    finally:
        db.rollback()
        for table in (Rsvp, Event, ActivityDay, ActivityTotal):
            db.execute(sa.delete(table))
        db.commit()
