"""What counts as a shift, for streaks and the recruiting ladder: a day a volunteer knocked
doors or made calls (the activity rollup's per-volunteer days, already on the campaign's
clock), or an event they were checked in at or marked as attending.

The day rollup holds a row per day, list, area and channel for each volunteer: 500,000 in a
state. Weeks are grouped in SQL (a row per volunteer and week), and whether a volunteer ever
worked is read from the all-time rollup (a row per volunteer), not from every day they worked."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session

from ..clock import campaign_today
from ..models import ActivityDay, ActivityTotal, Event, Rsvp
from ..sql import CHUNK, chunks


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


class _Monday(FunctionElement):
    """The Monday of a date's week, in SQL (weeks run Monday to Sunday, as ``monday``)."""
    type = sa.Date()
    name = "monday_of"
    inherit_cache = True


@compiles(_Monday, "postgresql")
def _monday_pg(element, compiler, **kw):
    return f"CAST(date_trunc('week', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(_Monday)
def _monday_sqlite(element, compiler, **kw):
    # 'weekday 0' moves on to the Sunday ending the week (a Sunday stays): six days before is its Monday
    return f"date({compiler.process(element.clauses, **kw)}, 'weekday 0', '-6 days')"


class _WeeksAfter(FunctionElement):
    """Whole weeks from a Monday (the second argument) to a date on or after it."""
    type = sa.Integer()
    name = "weeks_after"
    inherit_cache = True


@compiles(_WeeksAfter, "postgresql")
def _weeks_after_pg(element, compiler, **kw):
    day, start = list(element.clauses)
    return f"(({compiler.process(day, **kw)} - CAST({compiler.process(start, **kw)} AS DATE)) / 7)"


@compiles(_WeeksAfter)
def _weeks_after_sqlite(element, compiler, **kw):
    day, start = list(element.clauses)
    return f"(CAST(julianday({compiler.process(day, **kw)}) - julianday({compiler.process(start, **kw)}) AS INTEGER) / 7)"


class _BitOr(FunctionElement):
    """The bits set in any row's value: an aggregate (SQLite has no bit_or; the sum of the
    distinct powers of two is the same, but PostgreSQL sorts for a DISTINCT, not hashes)."""
    type = sa.BigInteger()
    name = "bit_or_of"
    inherit_cache = True


@compiles(_BitOr, "postgresql")
def _bit_or_pg(element, compiler, **kw):
    return f"bit_or({compiler.process(element.clauses, **kw)})"


@compiles(_BitOr)
def _bit_or_sqlite(element, compiler, **kw):
    return f"sum(DISTINCT {compiler.process(element.clauses, **kw)})"


SPAN = 62  # weeks one volunteer's bitmask holds (a signed 64-bit integer)


def _batches(user_ids):
    # Many volunteers (an organiser's whole state): one pass filtered here, not a pass per chunk.
    return [None] if user_ids is None or len(user_ids) > CHUNK else list(chunks(sorted(user_ids)))


def _attended(batch, since: date | None):
    query = (sa.select(Rsvp.user_id, Event.starts_at).join(Event, Event.id == Rsvp.event_id)
             .where(sa.or_(Rsvp.checked_in_at.is_not(None), Rsvp.attended.is_(True)))
             .where(sa.or_(Rsvp.attended.is_(None), Rsvp.attended.is_(True))))
    if batch is not None:
        query = query.where(Rsvp.user_id.in_(batch))
    if since is not None:
        # a day early: the campaign's day may start before UTC's; the exact cut is made by the caller
        query = query.where(Event.starts_at >= datetime.combine(since - timedelta(days=1), datetime.min.time(),
                                                                tzinfo=timezone.utc))
    return query


def _keep(user_ids):
    return (lambda _u: True) if user_ids is None else user_ids.__contains__


def shift_days(session: Session, *, user_ids: set[int] | None, since: date | None = None) -> dict[int, set[date]]:
    """Each volunteer's shift days (since ``since``, campaign-local); ``user_ids`` None: everyone.
    A row per volunteer and day worked: for a team's or one volunteer's, not a state's."""
    days: dict[int, set[date]] = defaultdict(set)
    keep = _keep(user_ids)
    for batch in _batches(user_ids):
        worked = (sa.select(ActivityDay.actor_user_id, ActivityDay.day)
                  .where(ActivityDay.actor_user_id > 0, ActivityDay.events > 0)
                  .group_by(ActivityDay.actor_user_id, ActivityDay.day))
        if batch is not None:
            worked = worked.where(ActivityDay.actor_user_id.in_(batch))
        if since is not None:
            worked = worked.where(ActivityDay.day >= since)
        for user_id, day in session.execute(worked):
            if keep(user_id):
                days[user_id].add(day)
        for user_id, starts_at in session.execute(_attended(batch, since)):
            day = campaign_today(starts_at)
            if keep(user_id) and (since is None or day >= since):
                days[user_id].add(day)
    return days


def shift_weeks(session: Session, *, user_ids: set[int] | None, since: date | None = None) -> dict[int, set[date]]:
    """Each volunteer's weeks with a shift (their Mondays), from the week of ``since`` on; the
    days are grouped into weeks in SQL. From ``since``: a row per volunteer, their weeks a bitmask
    (a state's 5,000 volunteers' recent weeks are 30,000 groups, twice the time to hash); without:
    a row per volunteer and week."""
    found: dict[int, set[date]] = defaultdict(set)
    keep = _keep(user_ids)
    start = monday(since) if since is not None else None
    week = _Monday(ActivityDay.day)
    for batch in _batches(user_ids):
        worked = (sa.select(ActivityDay.actor_user_id, week.label("week"))
                  .where(ActivityDay.actor_user_id > 0, ActivityDay.events > 0)
                  .group_by(ActivityDay.actor_user_id, week))
        if batch is not None:
            worked = worked.where(ActivityDay.actor_user_id.in_(batch))
        if start is not None:
            end = start + timedelta(weeks=SPAN)
            bit = sa.literal(1, sa.BigInteger).op("<<")(_WeeksAfter(ActivityDay.day, sa.literal(start, sa.Date)))
            masks = (sa.select(ActivityDay.actor_user_id, _BitOr(bit))
                     .where(ActivityDay.actor_user_id > 0, ActivityDay.events > 0, ActivityDay.day >= start,
                            ActivityDay.day < end)
                     .group_by(ActivityDay.actor_user_id))
            if batch is not None:
                masks = masks.where(ActivityDay.actor_user_id.in_(batch))
            mondays = [start + timedelta(weeks=i) for i in range(SPAN)]
            for user_id, mask in session.execute(masks):
                if keep(user_id):
                    found[user_id] |= _mondays(int(mask), mondays)
            worked = worked.where(ActivityDay.day >= end)  # a day so far ahead: only ever a few
        for user_id, monday_of in session.execute(worked):
            if keep(user_id):
                found[user_id].add(monday_of)
        for user_id, starts_at in session.execute(_attended(batch, start)):
            day = campaign_today(starts_at)
            if keep(user_id) and (start is None or day >= start):
                found[user_id].add(monday(day))
    return found


def _mondays(mask: int, weeks_from: list[date]) -> set[date]:
    return {weeks_from[i] for i in range(mask.bit_length()) if mask >> i & 1}


def ever_worked(session: Session, *, user_ids: set[int] | None) -> set[int]:
    """The volunteers with any shift at all: a day's work in the all-time rollup (knocks and calls,
    ``activity``, and conversations, ``talks``: every event of the day rows) or an event attended."""
    found: set[int] = set()
    keep = _keep(user_ids)
    for batch in _batches(user_ids):
        totals = (sa.select(ActivityTotal.first_id).where(ActivityTotal.kind == "volunteer", ActivityTotal.first_id > 0)
                  .group_by(ActivityTotal.first_id)
                  .having(sa.func.sum(ActivityTotal.activity + ActivityTotal.talks) > 0))
        attended = _attended(batch, None).with_only_columns(Rsvp.user_id).distinct()
        if batch is not None:
            totals = totals.where(ActivityTotal.first_id.in_(batch))
        found |= {u for u in session.execute(totals).scalars() if keep(u)}
        found |= {u for u in session.execute(attended).scalars() if keep(u)}
    return found


def weeks(days: set[date]) -> set[date]:
    """The Mondays of the weeks with a shift."""
    return {monday(d) for d in days}


def streak(days: set[date], *, today: date) -> int:
    """Weeks in a row with a shift, ending this week; a week not yet worked does not break it
    until it is over (a streak through last week still counts this Monday morning). ``days`` may
    be the weeks' Mondays themselves (``shift_weeks``)."""
    worked, week = weeks(days), monday(today)
    if week not in worked:
        week -= timedelta(days=7)
    count = 0
    while week in worked:
        count += 1
        week -= timedelta(days=7)
    return count
