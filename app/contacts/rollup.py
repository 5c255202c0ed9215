"""Keeps the activity rollups (``activity_days``, ``activity_hours``: app/models/summary.py) in
step with contact events, for the organiser's dashboard.

Like the household summaries, the rollups are derived data: ``app.contacts.summary.fold_events``
adds each newly stored event (never a replay) to its day and hour rows in the same transaction
as ``record_contacts``, and ``rebuild_rollups`` recomputes them from every event. Counts are
added, so each stored event must be folded exactly once; addition does not care in which order
batches arrive. Days and hours are the campaign's (settings.timezone) by the phone's
``recorded_at``, so after changing the timezone, or which codes count as contacts, run
``flask rebuild-summary``.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..models import ActivityDay, ActivityHour, Channel, ContactEvent, Household, SurveyResponse
from ..sql import chunks, on_conflict
from .activity_totals import fold_activity_totals, rebuild_activity_totals
from .coverage_rollup import fold_activity_areas, rebuild_activity_areas

NONE = 0  # "no list / user / PIN / area" in a rollup key (see app/models/summary.py)
SHARDS = 8
DAY_KEY = ("day", "ward_id", "neighbourhood_id", "walk_list_id", "actor_user_id", "actor_pin_id", "channel")
DAY_COUNTS = ("events", "contacts", "dncs", "supporters", "undecided", "against")
HOUR_KEY = ("hour_start", "channel", "shard")
HOUR_COUNTS = ("events", "contacts", "dncs")


def local_day(at: datetime, tz: ZoneInfo) -> date:
    return at.astimezone(tz).date()


def local_hour_start(at: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant at which the campaign-local hour holding ``at`` began (exact for zones
    whose offset is not a whole number of hours, too)."""
    return at.astimezone(tz).replace(minute=0, second=0, microsecond=0).astimezone(timezone.utc)


def rollup(events, responses, *, areas: dict[int, tuple], settings: Settings) -> tuple[dict, dict]:
    """(day rows, hour rows) keyed by DAY_KEY / HOUR_KEY values, from these events alone.

    events: mappings with id, household_id, walk_list_id, actor_user_id, actor_pin_id, channel,
    code, recorded_at; responses: mappings with event_id and support_level; areas: household id
    -> (ward id, neighbourhood id), either may be None.
    """
    tz = ZoneInfo(settings.timezone)
    flags = {(ch, c.code): (c.contact, c.dnc) for ch in Channel for c in settings.codes(ch).values()}
    days: dict[tuple, list[int]] = {}
    hours: dict[tuple, list[int]] = {}
    day_of_event: dict[str, tuple] = {}
    for e in events:
        at, channel = e["recorded_at"], e["channel"]
        ward, hood = areas.get(e["household_id"], (None, None))
        user, pin = e["actor_user_id"] or NONE, e["actor_pin_id"] or NONE
        key = (local_day(at, tz), ward or NONE, hood or NONE, e["walk_list_id"] or NONE, user, pin, channel)
        contact, dnc = flags.get((channel, e["code"]), (False, False))
        day = days.setdefault(key, [0] * len(DAY_COUNTS))
        day[0] += 1
        day[1] += contact
        day[2] += dnc
        day_of_event[e["id"]] = key
        hour = hours.setdefault((local_hour_start(at, tz), channel, (user or pin) % SHARDS), [0] * len(HOUR_COUNTS))
        hour[0] += 1
        hour[1] += contact
        hour[2] += dnc
    for r in responses:
        level, key = r["support_level"], day_of_event.get(r["event_id"])
        if level is None or key is None:
            continue
        kind = 3 if level in settings.supporter_values else 5 if level in settings.against_values else 4
        days[key][kind] += 1
    return days, hours


def _rows(grouped: dict, key_names, count_names) -> list[dict]:
    # Sorted: every writer takes the rows' locks in one order, so two batches never deadlock.
    return [dict(zip(key_names, key), **dict(zip(count_names, grouped[key]))) for key in sorted(grouped)]


def _upsert(conn, model, key_names, count_names) -> sa.Insert:
    """INSERT .. ON CONFLICT (key) DO UPDATE SET count = count + excluded.count."""
    table = model.__table__
    return on_conflict(conn, table, name=f"{table.name}.add_counts", build=lambda insert: insert.on_conflict_do_update(
        index_elements=list(key_names), set_={c: table.c[c] + insert.excluded[c] for c in count_names}))


def _write(conn, rows: list[dict], stmt) -> None:
    for chunk in chunks(rows):
        conn.execute(stmt, chunk)


def fold_rollups(session: Session, *, events: list[dict], responses: list[dict], areas: dict[int, tuple],
                 settings: Settings) -> None:
    """Add newly stored events (and their responses) to the day and hour rollups."""
    if not events:
        return
    days, hours = rollup(events, responses, areas=areas, settings=settings)
    conn = session.connection()
    _write(conn, _rows(days, DAY_KEY, DAY_COUNTS), _upsert(conn, ActivityDay, DAY_KEY, DAY_COUNTS))
    fold_activity_areas(conn, days, DAY_COUNTS)
    fold_activity_totals(conn, days)
    _write(conn, _rows(hours, HOUR_KEY, HOUR_COUNTS), _upsert(conn, ActivityHour, HOUR_KEY, HOUR_COUNTS))


def household_areas(session: Session, household_ids) -> dict[int, tuple]:
    h = Household.__table__.c
    rows = session.connection().execute(sa.select(h.id, h.ward_id, h.neighbourhood_id)
                                        .where(h.id.in_(sorted(set(household_ids)))))
    return {hid: (ward, hood) for hid, ward, hood in rows}


def rebuild_rollups(session: Session, *, settings: Settings, days=None) -> int:
    """Recompute both rollups from the contact events: all of them, or only the campaign-local
    ``days`` given (after some of their events were deleted: a rehearsal's wipe), whose day rows
    and hour rows are recomputed from those days' events. Returns the number of day rows written."""
    conn = session.connection()
    ev, h, sr = ContactEvent.__table__.c, Household.__table__.c, SurveyResponse.__table__.c
    events = sa.select(ev.id, ev.household_id, ev.walk_list_id, ev.actor_user_id, ev.actor_pin_id, ev.channel, ev.code,
                       ev.recorded_at)
    responses = sa.select(sr.event_id, sr.support_level).where(sr.support_level.is_not(None))
    day_rows, hour_rows = sa.delete(ActivityDay.__table__), sa.delete(ActivityHour.__table__)
    if days is not None:
        days = sorted(set(days))
        if not days:
            return 0
        spans = _spans(days, ZoneInfo(settings.timezone))
        # A local hour lies inside its local day, so these spans hold every hour row of these days.
        within = sa.or_(*(sa.and_(ev.recorded_at >= start, ev.recorded_at < end) for start, end in spans))
        events = events.where(within)
        responses = (responses.select_from(SurveyResponse.__table__.join(ContactEvent.__table__, ev.id == sr.event_id))
                     .where(within))
        day_rows = day_rows.where(ActivityDay.__table__.c.day.in_(days))
        hour_start = ActivityHour.__table__.c.hour_start
        hour_rows = hour_rows.where(sa.or_(*(sa.and_(hour_start >= start, hour_start < end) for start, end in spans)))
    conn.execute(day_rows)
    conn.execute(hour_rows)
    if days is not None:
        areas = {hid: (ward, hood) for hid, ward, hood in conn.execute(sa.select(h.id, h.ward_id, h.neighbourhood_id))}
        days_out, hours = rollup(conn.execute(events).mappings().all(), conn.execute(responses).mappings().all(),
                                 areas=areas, settings=settings)
    else:
        days_out, hours = {}, {}
        # A household's events and their answers are in one range, so each range's rollup is whole.
        for low, high in household_ranges(conn):
            within = sa.and_(ev.household_id >= low, ev.household_id < high)
            part = conn.execute(events.where(within)).mappings().all()
            answers = conn.execute(responses.select_from(SurveyResponse.__table__.join(
                ContactEvent.__table__, ev.id == sr.event_id)).where(within)).mappings().all()
            areas = {hid: (ward, hood) for hid, ward, hood in conn.execute(
                sa.select(h.id, h.ward_id, h.neighbourhood_id).where(h.id >= low, h.id < high))}
            part_days, part_hours = rollup(part, answers, areas=areas, settings=settings)
            _add(days_out, part_days)
            _add(hours, part_hours)
    _write(conn, _rows(days_out, DAY_KEY, DAY_COUNTS), sa.insert(ActivityDay.__table__))
    _write(conn, _rows(hours, HOUR_KEY, HOUR_COUNTS), sa.insert(ActivityHour.__table__))
    rebuild_activity_areas(conn)  # summed from the day rows just written (a few seconds for a state)
    rebuild_activity_totals(conn)
    return len(days_out)


# Households per step of a whole rebuild: the events of one step (about eight a door in a busy
# campaign) are held at once, never all of them (20 million events would not fit in memory).
REBUILD_STEP = 20_000


def household_ranges(conn, step: int | None = None):
    """[low, high) household id ranges covering every household, ``step`` ids each."""
    step = step or REBUILD_STEP
    low, high = conn.execute(sa.select(sa.func.min(Household.__table__.c.id), sa.func.max(Household.__table__.c.id))).one()
    if low is None:
        return
    for start in range(low, high + 1, step):
        yield start, start + step


def _add(total: dict, part: dict) -> None:
    for key, counts in part.items():
        have = total.get(key)
        if have is None:
            total[key] = counts
        else:
            for i, n in enumerate(counts):
                have[i] += n


def _spans(days: list[date], tz: ZoneInfo) -> list[tuple[datetime, datetime]]:
    """[start, end) in UTC of each run of consecutive campaign-local days."""
    spans: list[list[date]] = []
    for day in days:
        if spans and spans[-1][1] == day:
            spans[-1][1] = day + timedelta(days=1)
        else:
            spans.append([day, day + timedelta(days=1)])

    def utc(day: date) -> datetime:
        return datetime.combine(day, time(), tzinfo=tz).astimezone(timezone.utc)

    return [(utc(first), utc(end)) for first, end in spans]
