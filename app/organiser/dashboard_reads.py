"""The dashboard's sums, done by the database: a period's activity per area, and the busiest
lists and volunteers, so the page reads a row per area and a page of lists and volunteers
whatever the number of doors, days or lists. Python never loops over the day rollup's rows.

All-time area figures come from ``activity_areas`` (a row per area and channel); a period's
from ``activity_days`` of its days. ``scope``: a team lead's areas (or one ward's), as SQL.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..auth.access import Scope, scope_area_clause
from ..contacts import rollup as rollups
from ..models import ActivityArea, ActivityDay, ActivityTotal, Channel

@dataclass
class Tally:
    knocks: int = 0
    door_contacts: int = 0
    calls: int = 0
    connected: int = 0
    dnc: int = 0
    supporters: int = 0
    undecided: int = 0
    against: int = 0
    hour_knocks: int = 0
    hour_calls: int = 0
    talks: int = 0         # people-you-know conversations recorded (app/relational)
    talked: int = 0        # ...that reached the person (a relational code flagged contact)

    @property
    def contact_rate(self) -> float | None:
        return self.door_contacts / self.knocks if self.knocks else None

    @property
    def connect_rate(self) -> float | None:
        return self.connected / self.calls if self.calls else None

    @property
    def activity(self) -> int:
        return self.knocks + self.calls

    def add(self, channel: str, events: int, contacts: int, dncs: int, recent: int) -> None:
        if channel == Channel.DOOR:
            self.knocks += events
            self.door_contacts += contacts
            self.hour_knocks += recent
        elif channel == Channel.RELATIONAL:
            self.talks += events
            self.talked += contacts
        else:
            self.calls += events
            self.connected += contacts
            self.hour_calls += recent
        self.dnc += dncs


ACTIVE = (Channel.DOOR.value, Channel.PHONE.value)  # what "busiest" ranks by: knocks and calls
COUNTS = rollups.DAY_COUNTS
OTHERS = -1  # area_tallies' ward for the wards not asked for


def _within(stmt, table, *, since_day: date | None, scope: Scope | None):
    c = table.c
    if since_day is not None:
        stmt = stmt.where(c.day >= since_day)
    if scope is not None:
        stmt = stmt.where(scope_area_clause(scope, c.ward_id, c.neighbourhood_id, none=rollups.NONE))
    return stmt


def _sum(col):
    return sa.func.coalesce(sa.func.sum(col), 0)


def area_tallies(session, *, since_day: date | None, scope: Scope | None, by_neighbourhood: bool = True,
                 wards: list[int] | None = None):
    """(ward, neighbourhood, channel, *COUNTS) per area for the period (0: none); per ward only
    (neighbourhood 0) unless ``by_neighbourhood``: a state's page has no precinct rows, and its
    5,000 precincts' rows cost more to fold in Python than to sum here. ``wards``: only these
    wards' own rows, the rest summed as ward OTHERS (the period's totals stay whole): a state's
    page shows 20 of its 1,000 wards, whose 3,000 rows cost more to read and fold than to sum."""
    table = ActivityArea.__table__ if since_day is None else ActivityDay.__table__
    c = table.c
    ward = c.ward_id if wards is None else sa.case((c.ward_id.in_(wards), c.ward_id), else_=OTHERS)
    hood = c.neighbourhood_id if by_neighbourhood else sa.literal(rollups.NONE)
    keys = (ward, c.neighbourhood_id, c.channel) if by_neighbourhood else (ward, c.channel)
    stmt = sa.select(ward, hood, c.channel, *(_sum(c[name]) for name in COUNTS)).group_by(*keys)
    return session.connection().execute(_within(stmt, table, since_day=since_day, scope=scope))


def _tally_sums(c) -> list:
    """A key's Tally fields summed over its day rows' channels (as Tally.add and the dashboard's
    _add fold them), so the database hands back a row per key, not per key and channel."""
    door, talk = c.channel == Channel.DOOR.value, c.channel == Channel.RELATIONAL.value
    other = sa.and_(~door, ~talk)

    def when(cond, col):  # FILTER: a fifth less time than sum(CASE ...) over a state's week (PostgreSQL)
        return sa.func.coalesce(sa.func.sum(col).filter(cond), 0)

    return [when(door, c.events).label("knocks"), when(door, c.contacts).label("door_contacts"),
            when(other, c.events).label("calls"), when(other, c.contacts).label("connected"),
            _sum(c.dncs).label("dnc"), _sum(c.supporters).label("supporters"), _sum(c.undecided).label("undecided"),
            _sum(c.against).label("against"), when(talk, c.events).label("talks"), when(talk, c.contacts).label("talked")]


def busiest(session, keys: tuple[str, ...], *, since_day: date | None, scope: Scope | None, limit: int):
    """(how many keys had activity in the period, {key tuple: Tally}) for the ``limit`` busiest
    keys (knocks and calls), ties at the last place included; a key is a list (walk_list_id) or
    a volunteer (actor_user_id, actor_pin_id), 0 meaning none.

    The period's day rows (a state's week: 33,000, for 20,000 lists) are summed per key for the
    ranking only (one sum: the CTE, materialised as it is read thrice), the ``limit``-th highest
    activity found by a bounded top-N sort, and the full tallies summed for the keys at or above
    it alone. A rank() window over every key's full tallies sorted and numbered all 20,000 to
    keep 50: about twice this statement's time on such a week (1.3-1.7x with the tallies summed
    for every key; a fifth more again without this narrow first pass)."""
    table = ActivityDay.__table__
    d = table.c
    cols = [d[k] for k in keys]
    present = sa.or_(*(col != rollups.NONE for col in cols))
    activity = sa.func.coalesce(sa.func.sum(d.events).filter(d.channel.in_(ACTIVE)), 0).label("activity")
    ranked = _within(sa.select(*cols, activity).where(present), table, since_day=since_day,
                     scope=scope).group_by(*cols).cte("ranked")
    floor = sa.select(ranked.c.activity).order_by(ranked.c.activity.desc()).offset(limit - 1).limit(1).scalar_subquery()
    top = sa.select(*(ranked.c[k] for k in keys)).where(ranked.c.activity >= sa.func.coalesce(floor, 0))
    count = sa.select(sa.func.count()).select_from(ranked).scalar_subquery()
    key = cols[0] if len(cols) == 1 else sa.tuple_(*cols)
    stmt = _within(sa.select(*cols, *_tally_sums(d), count.label("keys")).where(key.in_(top)), table,
                   since_day=since_day, scope=scope).group_by(*cols)
    rows = session.connection().execute(stmt).mappings().all()
    return (rows[0]["keys"] if rows else 0), {tuple(r[k] for k in keys): Tally(**{n: r[n] for n in TALLY})
                                              for r in rows}


def busiest_all_time(session, kind: str, *, limit: int) -> tuple[int, dict[tuple, Tally]]:
    """As ``busiest`` for all time and every area, from ``activity_totals``: the top of its
    (kind, activity) index, ties at the last place included."""
    t = ActivityTotal.__table__.c
    conn = session.connection()
    count = conn.execute(sa.select(sa.func.count()).where(t.kind == kind, t.activity + t.talks > 0)).scalar()
    floor = conn.execute(sa.select(t.activity).where(t.kind == kind).order_by(t.activity.desc())
                         .offset(limit - 1).limit(1)).scalar() or 0
    rows = conn.execute(sa.select(ActivityTotal.__table__).where(t.kind == kind, t.activity >= floor,
                                                                  t.activity + t.talks > 0))
    keys = ("first_id",) if kind == "list" else ("first_id", "second_id")
    return count, {tuple(r[k] for k in keys): Tally(**{n: r[n] for n in TALLY})
                   for r in rows.mappings()}


TALLY = ("knocks", "door_contacts", "calls", "connected", "dnc", "supporters", "undecided", "against", "talks", "talked")
