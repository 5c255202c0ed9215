"""``rebuild_summary`` on PostgreSQL: the fold of app/contacts/summary.py and rollup.py as
INSERT .. SELECT .. GROUP BY, so no event crosses the wire (Python folding each event, read
twice, was most of the rebuild's cost). Each statement states the Python fold's own rule exactly:

- "latest" is the greatest (recorded_at, channel, code) or (recorded_at, level) tuple: strings
  compared under COLLATE "C", which is code-point order, as Python compares str;
- the campaign-local day and hour come from a table that Python fills with ``local_day`` and
  ``local_hour_start`` themselves, one row per UTC quarter hour holding events (every zone's
  offset and every transition falls on a quarter hour; the table is checked to be constant
  within each quarter, else the caller falls back to the Python fold).

Events are read a range of households at a time (PostgreSQL's memory stays bounded too). The
answers are joined to their events once, into a temporary table indexed by household: joining
them per range made PostgreSQL scan every answer once per range, which grows with the square of
the campaign. The rollups are summed per range into a temporary table at (day, hour) grain and
folded into days and hours at the end, as one household range shares day keys with the next.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import distinct_on

from ..config import Settings
from ..models import (ActivityDay, ActivityHour, Channel, ContactEvent, Household, HouseholdSummary, PersonSupport,
                      SurveyResponse, WalkListDoor)
from .rollup import (DAY_COUNTS, DAY_KEY, HOUR_COUNTS, HOUR_KEY, NONE, SHARDS, household_ranges, local_day,
                     local_hour_start)

QUARTER = timedelta(minutes=15)
MAX_QUARTERS = 200_000  # ~5.7 years between the first and last event; beyond, only the quarters that occur
# Households per statement: no rows come back to Python, so the step only bounds PostgreSQL's work
# per statement (its hash aggregates spill to disk past work_mem rather than grow).
SQL_STEP = 50_000
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

_meta = sa.MetaData()


def _temp(name: str, *columns) -> sa.Table:
    return sa.Table(name, _meta, *columns, prefixes=["TEMPORARY"], postgresql_on_commit="DROP")


CLOCK = _temp("rebuild_clock", sa.Column("start", sa.DateTime(timezone=True), primary_key=True),
              sa.Column("day", sa.Date), sa.Column("hour_start", sa.DateTime(timezone=True)))
ANSWERS = _temp("rebuild_answers", sa.Column("household_id", sa.Integer), sa.Column("event_id", sa.String),
                sa.Column("recorded_at", sa.DateTime(timezone=True)), sa.Column("person_id", sa.Integer),
                sa.Column("support_level", sa.String))
ACTIVITY = _temp("rebuild_activity", sa.Column("day", sa.Date), sa.Column("hour_start", sa.DateTime(timezone=True)),
                 *(sa.Column(c, sa.Integer) for c in DAY_KEY[1:-1]), sa.Column("channel", sa.String),
                 *(sa.Column(c, sa.BigInteger) for c in DAY_COUNTS))


def _c(column):
    return sa.collate(column, "C")


def _quarter(at) -> sa.ColumnElement:
    """The UTC quarter hour holding ``at`` (date_bin: integer arithmetic, PostgreSQL 14+)."""
    return sa.func.date_bin(sa.literal(QUARTER), at, sa.literal(EPOCH))


def _quarter_of(at: datetime) -> datetime:
    since = at - EPOCH
    return EPOCH + QUARTER * ((since.days * 86_400 + since.seconds) // QUARTER.seconds)


def _clock_rows(conn, tz: ZoneInfo) -> list[dict] | None:
    """(quarter, local day, local hour start) for every quarter hour holding events; None when some
    quarter is not constant in this zone (then only the Python fold is exact)."""
    ev = ContactEvent.__table__.c
    first, last = conn.execute(sa.select(sa.func.min(ev.recorded_at), sa.func.max(ev.recorded_at))).one()
    if first is None:
        return []
    first, last = _quarter_of(first), _quarter_of(last)
    if (last - first) / QUARTER < MAX_QUARTERS:
        quarters = [first + QUARTER * i for i in range(int((last - first) / QUARTER) + 1)]
    else:  # a phone with a wild clock: read the quarters that occur rather than make decades of them
        quarters = conn.execute(sa.select(_quarter(ev.recorded_at)).distinct()).scalars().all()
    return clock_rows(quarters, tz)


def clock_rows(quarters, tz: ZoneInfo) -> list[dict] | None:
    """Each UTC quarter hour's local day and local hour start, by ``local_day`` and
    ``local_hour_start``; None when one of them changes within a quarter in this zone."""
    rows = []
    for start in quarters:
        end = start + QUARTER - timedelta(microseconds=1)
        day, hour = local_day(start, tz), local_hour_start(start, tz)
        if ((local_day(end, tz), local_hour_start(end, tz)) != (day, hour)
                or start.astimezone(tz).utcoffset() != end.astimezone(tz).utcoffset()):
            return None
        rows.append({"start": start, "day": day, "hour_start": hour})
    return rows


def _fresh(conn, table: sa.Table) -> None:
    table.drop(conn, checkfirst=True)  # a second rebuild in the same transaction
    table.create(conn)


def rebuild_in_sql(conn, settings: Settings) -> int | None:
    """Recompute household_summaries, person_supports, the day and hour rollups and list doors'
    last_door_at from every event; the number of summary rows, or None (nothing written) when
    the campaign's timezone cannot be expressed exactly (see ``clock_rows``) or PostgreSQL is
    older than 14."""
    if (conn.dialect.server_version_info or (0,)) < (14,):  # date_bin
        return None
    clock = _clock_rows(conn, ZoneInfo(settings.timezone))
    if clock is None:
        return None
    # Each range's sorts and hashes in memory (4 MB by default: they spilled to disk); this transaction only.
    conn.exec_driver_sql("SET LOCAL work_mem = '64MB'")
    for table in (CLOCK, ANSWERS, ACTIVITY):
        _fresh(conn, table)
    for start in range(0, len(clock), 1000):
        conn.execute(sa.insert(CLOCK), clock[start:start + 1000])
    ev, sr = ContactEvent.__table__.c, SurveyResponse.__table__.c
    conn.execute(sa.insert(ANSWERS).from_select(
        ["household_id", "event_id", "recorded_at", "person_id", "support_level"],
        sa.select(ev.household_id, ev.id, ev.recorded_at, sr.person_id, sr.support_level)
        .select_from(SurveyResponse.__table__.join(ContactEvent.__table__, ev.id == sr.event_id))
        .where(sr.support_level.is_not(None))))
    conn.exec_driver_sql("CREATE INDEX ON rebuild_answers (household_id)")  # after the rows: built once
    conn.exec_driver_sql("ANALYZE rebuild_answers")
    conn.exec_driver_sql("ANALYZE rebuild_clock")
    for table in (HouseholdSummary, ActivityDay, ActivityHour, PersonSupport):
        conn.execute(sa.delete(table.__table__))
    flags = Flags(settings)
    for low, high in household_ranges(conn, SQL_STEP):
        conn.execute(_summaries(flags, low, high))
        conn.execute(_activity(flags, low, high))
        conn.execute(_list_doors(low, high))
    _fold_activity(conn)
    _person_supports(conn)
    return conn.execute(sa.select(sa.func.count()).select_from(HouseholdSummary.__table__)).scalar_one()


class Flags:
    """The config's code flags and support classes as SQL expressions."""

    def __init__(self, settings: Settings):
        codes = [(str(ch), c) for ch in Channel for c in settings.codes(ch).values()]
        self.contact = [(ch, c.code) for ch, c in codes if c.contact]
        self.dnc = [(ch, c.code) for ch, c in codes if c.dnc]
        self.supporter, self.against = list(settings.supporter_values), list(settings.against_values)

    @staticmethod
    def _when(pairs, channel, code, then):
        return sa.case((sa.tuple_(channel, code).in_(pairs), then), else_=0) if pairs else sa.literal(0)

    def counts(self, channel, code, then):
        return self._when(self.contact, channel, code, then), self._when(self.dnc, channel, code, then)

    def support_classes(self, level) -> list:
        """count(*) of answers per class, in DAY_COUNTS' order (supporters, undecided, against)."""
        supporter = level.in_(self.supporter) if self.supporter else sa.false()
        against = sa.and_(sa.not_(supporter), level.in_(self.against)) if self.against else sa.false()
        return [sa.func.count().filter(supporter), sa.func.count().filter(sa.not_(sa.or_(supporter, against))),
                sa.func.count().filter(against)]


def _zero(expr):
    return sa.func.coalesce(expr, 0)


def _summaries(flags: Flags, low: int, high: int) -> sa.Insert:
    ev, ans = ContactEvent.__table__.c, ANSWERS.c
    # Per (household, channel, code) first: the covering index gives them in this order, and the
    # latest event of a household is the greatest of these groups' (latest, channel, code).
    n = sa.func.count()
    g = (sa.select(ev.household_id, ev.channel, ev.code, n.label("n"), sa.func.max(ev.recorded_at).label("at"),
                   *(flag.label(name) for flag, name in zip(flags.counts(ev.channel, ev.code, n),
                                                            ("contacts", "dncs"))))
         .where(ev.household_id >= low, ev.household_id < high).group_by(ev.household_id, ev.channel, ev.code).cte("g"))
    contact, dnc = g.c.contacts, g.c.dncs
    counts = sa.select(g.c.household_id, *(
        _zero(sa.func.sum(n).filter(g.c.channel == ch)).label(f"{ch}_{what}")
        for ch in Channel for what, n in (("events", g.c.n), ("contacts", contact))),
        _zero(sa.func.sum(dnc)).label("dnc_events")).group_by(g.c.household_id).subquery("counts")
    last = (sa.select(g.c.household_id, g.c.at, g.c.channel, g.c.code).ext(distinct_on(g.c.household_id))
            .order_by(g.c.household_id, g.c.at.desc(), _c(g.c.channel).desc(), _c(g.c.code).desc()).subquery("last"))
    door = (sa.select(g.c.household_id, g.c.at, g.c.code).where(g.c.channel == Channel.DOOR)
            .ext(distinct_on(g.c.household_id))
            .order_by(g.c.household_id, g.c.at.desc(), _c(g.c.code).desc()).subquery("door"))
    answers = sa.select(ans.household_id, ans.recorded_at, ans.support_level).where(
        ans.household_id >= low, ans.household_id < high).cte("a")
    classes = (sa.select(answers.c.household_id, *(n.label(name) for n, name in zip(
        flags.support_classes(answers.c.support_level), DAY_COUNTS[3:])))
               .group_by(answers.c.household_id).subquery("classes"))
    support = (sa.select(answers.c.household_id, answers.c.recorded_at, answers.c.support_level)
               .ext(distinct_on(answers.c.household_id))
               .order_by(answers.c.household_id, answers.c.recorded_at.desc(), _c(answers.c.support_level).desc())
               .subquery("support"))
    columns = {
        "household_id": counts.c.household_id, "last_at": last.c.at, "last_channel": last.c.channel,
        "last_code": last.c.code, "door_at": door.c.at, "door_code": door.c.code,
        **{c.name: counts.c[c.name] for c in counts.c if c.name != "household_id"},
        "support_level": support.c.support_level, "support_at": support.c.recorded_at,
        **{name: _zero(classes.c[name]) for name in DAY_COUNTS[3:]},
    }
    select = (sa.select(*columns.values())
              .select_from(counts.join(last, last.c.household_id == counts.c.household_id)
                           .outerjoin(door, door.c.household_id == counts.c.household_id)
                           .outerjoin(classes, classes.c.household_id == counts.c.household_id)
                           .outerjoin(support, support.c.household_id == counts.c.household_id)))
    return sa.insert(HouseholdSummary.__table__).from_select(list(columns), select)


def _activity(flags: Flags, low: int, high: int) -> sa.Insert:
    """The range's events summed per (local day, local hour, area, list, actor, channel)."""
    ev, h, ans = ContactEvent.__table__.c, Household.__table__.c, ANSWERS.c
    answers = (sa.select(ans.event_id, *(n.label(name) for n, name in zip(
        flags.support_classes(ans.support_level), DAY_COUNTS[3:])))
               .where(ans.household_id >= low, ans.household_id < high).group_by(ans.event_id).subquery("answers"))
    contact, dnc = flags.counts(ev.channel, ev.code, 1)
    keys = [CLOCK.c.day, CLOCK.c.hour_start, _zero(h.ward_id), _zero(h.neighbourhood_id), _zero(ev.walk_list_id),
            _zero(ev.actor_user_id), _zero(ev.actor_pin_id), ev.channel]
    select = (sa.select(*keys, sa.func.count(), sa.func.sum(contact), sa.func.sum(dnc),
                        *(_zero(sa.func.sum(answers.c[name])) for name in DAY_COUNTS[3:]))
              .select_from(ContactEvent.__table__.join(CLOCK, CLOCK.c.start == _quarter(ev.recorded_at))
                           .join(Household.__table__, sa.and_(h.id == ev.household_id, h.id >= low, h.id < high))
                           .outerjoin(answers, answers.c.event_id == ev.id))
              .where(ev.household_id >= low, ev.household_id < high).group_by(*keys))
    return sa.insert(ACTIVITY).from_select([c.name for c in ACTIVITY.c], select)


def _fold_activity(conn) -> None:
    a = ACTIVITY.c
    day_keys = [a[k] for k in DAY_KEY]
    conn.execute(sa.insert(ActivityDay.__table__).from_select(
        [*DAY_KEY, *DAY_COUNTS], sa.select(*day_keys, *(sa.func.sum(a[c]) for c in DAY_COUNTS)).group_by(*day_keys)))
    shard = sa.case((a.actor_user_id != NONE, a.actor_user_id), else_=a.actor_pin_id) % SHARDS
    hour_keys = [a.hour_start, a.channel, shard]
    conn.execute(sa.insert(ActivityHour.__table__).from_select(
        [*HOUR_KEY, *HOUR_COUNTS],
        sa.select(*hour_keys, *(sa.func.sum(a[c]) for c in HOUR_COUNTS)).group_by(*hour_keys)))


def _list_doors(low: int, high: int) -> sa.Update:
    """Each list door of the range to its newest door event on its list (NULL without one),
    writing only the doors whose value changes."""
    ev, doors = ContactEvent.__table__.c, WalkListDoor.__table__
    latest = (sa.select(ev.walk_list_id, ev.household_id, sa.func.max(ev.recorded_at).label("at"))
              .where(ev.channel == Channel.DOOR, ev.walk_list_id.is_not(None), ev.household_id >= low,
                     ev.household_id < high).group_by(ev.walk_list_id, ev.household_id).subquery("latest"))
    d = doors.alias("d")
    target = (sa.select(d.c.id, latest.c.at)
              .select_from(d.outerjoin(latest, sa.and_(latest.c.walk_list_id == d.c.walk_list_id,
                                                       latest.c.household_id == d.c.household_id)))
              .where(d.c.household_id >= low, d.c.household_id < high).subquery("target"))
    return (sa.update(doors).values(last_door_at=target.c.at)
            .where(doors.c.id == target.c.id, doors.c.last_door_at.is_distinct_from(target.c.at)))


def _person_supports(conn) -> None:
    """Each person's latest answer (by recorded_at, then event id), as rebuild_person_supports."""
    ans = ANSWERS.c
    latest = (sa.select(ans.person_id, ans.support_level, ans.recorded_at, ans.event_id)
              .where(ans.person_id.is_not(None)).ext(distinct_on(ans.person_id))
              .order_by(ans.person_id, ans.recorded_at.desc(), _c(ans.event_id).desc()))
    conn.execute(sa.insert(PersonSupport.__table__).from_select(
        ["person_id", "support_level", "support_at", "event_id"], latest))
