"""What counts as a shift, for streaks and the recruiting ladder: a day a volunteer knocked
doors or made calls (the activity rollup's per-volunteer days, already on the campaign's
clock), or an event they were checked in at or marked as attending."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

import sqlalchemy as sa
from sqlmodel import Session

from ..clock import campaign_today
from ..models import ActivityDay, Event, Rsvp
from ..sql import chunks


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _batches(user_ids):
    return [None] if user_ids is None else list(chunks(sorted(user_ids)))


def shift_days(session: Session, *, user_ids: set[int] | None, since: date | None = None) -> dict[int, set[date]]:
    """Each volunteer's shift days (since ``since``, campaign-local); ``user_ids`` None: everyone."""
    days: dict[int, set[date]] = defaultdict(set)
    for batch in _batches(user_ids):
        worked = sa.select(ActivityDay.actor_user_id, ActivityDay.day).where(
            ActivityDay.actor_user_id > 0, ActivityDay.events > 0).distinct()
        attended = (sa.select(Rsvp.user_id, Event.starts_at).join(Event, Event.id == Rsvp.event_id)
                    .where(sa.or_(Rsvp.checked_in_at.is_not(None), Rsvp.attended.is_(True)))
                    .where(sa.or_(Rsvp.attended.is_(None), Rsvp.attended.is_(True))))
        if batch is not None:
            worked = worked.where(ActivityDay.actor_user_id.in_(batch))
            attended = attended.where(Rsvp.user_id.in_(batch))
        if since is not None:
            worked = worked.where(ActivityDay.day >= since)
            # a day early: the campaign's day may start before UTC's; the exact cut is below
            attended = attended.where(Event.starts_at >= datetime.combine(since - timedelta(days=1), datetime.min.time(),
                                                                          tzinfo=timezone.utc))
        for user_id, day in session.execute(worked):
            days[user_id].add(day)
        for user_id, starts_at in session.execute(attended):
            day = campaign_today(starts_at)
            if since is None or day >= since:
                days[user_id].add(day)
    return days


def weeks(days: set[date]) -> set[date]:
    """The Mondays of the weeks with a shift."""
    return {monday(d) for d in days}


def streak(days: set[date], *, today: date) -> int:
    """Weeks in a row with a shift, ending this week; a week not yet worked does not break it
    until it is over (a streak through last week still counts this Monday morning)."""
    worked, week = weeks(days), monday(today)
    if week not in worked:
        week -= timedelta(days=7)
    count = 0
    while week in worked:
        count += 1
        week -= timedelta(days=7)
    return count
