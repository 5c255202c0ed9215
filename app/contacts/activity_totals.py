"""All-time activity per walk list and per volunteer (``activity_totals``, app/models/summary.py):
the day rollup's rows summed over days, folded with them (app.contacts.rollup.fold_rollups) and
recomputed from them (``rebuild_activity_totals``, after a rebuild, a wipe or a purge changed
day rows), so the all-time dashboard ranks its busiest lists and volunteers by an index.

A channel's counts go where the dashboard's Tally puts them: door -> knocks and door_contacts,
relational -> talks and talked, any other (phone) -> calls and connected; ``activity`` is knocks
and calls.
"""
from __future__ import annotations

import sqlalchemy as sa

from ..models import ActivityDay, ActivityTotal, Channel
from ..sql import chunks, on_conflict

KEY = ("kind", "first_id", "second_id")
COUNTS = ("activity", "knocks", "door_contacts", "calls", "connected", "talks", "talked", "dnc", "supporters",
          "undecided", "against")


def _keys(walk_list: int, user: int, pin: int) -> list[tuple]:
    out = [("list", walk_list, 0)] if walk_list else []
    return out + ([("volunteer", user, pin)] if user or pin else [])


def _counts(channel: str, events, contacts, dncs, yes, unsure, no) -> tuple:
    door, talk = channel == Channel.DOOR, channel == Channel.RELATIONAL
    phone = not (door or talk)
    return (0 if talk else events, events if door else 0, contacts if door else 0, events if phone else 0,
            contacts if phone else 0, events if talk else 0, contacts if talk else 0, dncs, yes, unsure, no)


def fold_activity_totals(conn, days: dict) -> None:
    """Add the day rollup's new rows (app.contacts.rollup.rollup's keys and counts)."""
    grouped: dict[tuple, list[int]] = {}
    for (_day, _ward, _hood, walk_list, user, pin, channel), values in days.items():
        counts = _counts(channel, *values)
        for key in _keys(walk_list, user, pin):
            total = grouped.setdefault(key, [0] * len(COUNTS))
            for i, n in enumerate(counts):
                total[i] += n
    rows = [dict(zip(KEY, key), **dict(zip(COUNTS, grouped[key]))) for key in sorted(grouped)]
    if rows:  # sorted: one lock order for every writer
        table = ActivityTotal.__table__
        stmt = on_conflict(conn, table, name="activity_totals.add", build=lambda i: i.on_conflict_do_update(
            index_elements=list(KEY), set_={c: table.c[c] + i.excluded[c] for c in COUNTS}))
        for chunk in chunks(rows):
            conn.execute(stmt, chunk)


def totals_query(kind: str):
    """Every list's or volunteer's totals summed from the day rollup (what the rows must equal)."""
    d = ActivityDay.__table__.c
    door, talk = d.channel == Channel.DOOR.value, d.channel == Channel.RELATIONAL.value
    phone = sa.not_(sa.or_(door, talk))

    def total(value, when):
        return sa.func.coalesce(sa.func.sum(sa.case((when, value), else_=0)), 0)

    first, second = (d.walk_list_id, sa.literal(0)) if kind == "list" else (d.actor_user_id, d.actor_pin_id)
    present = d.walk_list_id != 0 if kind == "list" else sa.or_(d.actor_user_id != 0, d.actor_pin_id != 0)
    columns = [total(d.events, sa.not_(talk)), total(d.events, door), total(d.contacts, door), total(d.events, phone),
               total(d.contacts, phone), total(d.events, talk), total(d.contacts, talk),
               *(sa.func.coalesce(sa.func.sum(d[c]), 0) for c in ("dncs", "supporters", "undecided", "against"))]
    groups = (d.walk_list_id,) if kind == "list" else (d.actor_user_id, d.actor_pin_id)
    return (sa.select(sa.literal(kind), first, second, *(c.label(n) for c, n in zip(columns, COUNTS)))
            .where(present).group_by(*groups))


def rebuild_activity_totals(conn) -> None:
    table = ActivityTotal.__table__
    conn.execute(sa.delete(table))
    for kind in ("list", "volunteer"):
        conn.execute(sa.insert(table).from_select([*KEY, *COUNTS], totals_query(kind)))
