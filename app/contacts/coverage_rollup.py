"""Per-area rollups (app/models/summary.py: ``area_coverage``, ``activity_areas``), so the state's
dashboard and map read a row per area instead of a row per door or per day.

``area_coverage`` counts households, and households whose summary counts are above 0. Three
writers keep it exact, each in the writer's own transaction:
- triggers on ``households`` (insert, delete, a change of ward or neighbourhood) move the household
  and its summary's flags between areas: every importer, the demo and the tests' fixtures write
  households, so the database does it rather than each of them;
- ``fold_coverage``: the summary fold's RETURNING gives each household's counts after the fold, so
  "before" is after minus this batch, and a household is counted when it goes from 0 to above 0
  (the row lock of ON CONFLICT makes that exact with concurrent writers);
- ``shift_coverage`` around a partial rebuild of summaries, ``recount_coverage`` after a whole one.
``activity_areas`` is ``activity_days`` summed over days, lists and volunteers: folded with it
(app.contacts.rollup) and recomputed from it by ``rebuild_activity_areas``.
"""
from __future__ import annotations

import sqlalchemy as sa

from ..models import ActivityArea, ActivityDay, AreaCoverage, Household, HouseholdSummary
from ..sql import chunks, on_conflict

FLAGS = {"door_attempted": "door_events", "door_contacted": "door_contacts", "phone_attempted": "phone_events",
         "phone_contacted": "phone_contacts", "relational_contacted": "relational_contacts"}
AREA_KEY = ("ward_id", "neighbourhood_id")
COUNTS = ("households", *FLAGS)
RETURNED = ("household_id", *FLAGS.values())


def _add_counts(insert: sa.Insert, key, counts) -> sa.Insert:
    table = insert.table.c
    return insert.on_conflict_do_update(index_elements=list(key),
                                        set_={c: table[c] + insert.excluded[c] for c in counts})


def _write(conn, grouped: dict) -> None:
    rows = [dict(ward_id=w, neighbourhood_id=n, **dict(zip(COUNTS, v)))
            for (w, n), v in sorted(grouped.items()) if any(v)]
    if rows:  # sorted: one lock order for every writer
        stmt = on_conflict(conn, AreaCoverage.__table__, name="area_coverage.add",
                           build=lambda i: _add_counts(i, AREA_KEY, COUNTS))
        for chunk in chunks(rows):
            conn.execute(stmt, chunk)


def fold_coverage(conn, *, added: dict[int, dict], after, areas: dict[int, tuple]) -> None:
    """added: household id -> the counts this batch added; after: RETURNED rows (the counts now)."""
    grouped: dict[tuple, list[int]] = {}
    for row in after:
        hid, gained = row[0], added[row[0]]
        ward, hood = areas.get(hid, (None, None))
        counts = grouped.setdefault((ward or 0, hood or 0), [0] * len(COUNTS))
        for i, (column, value) in enumerate(zip(FLAGS.values(), row[1:]), start=1):
            counts[i] += value > 0 and value - gained[column] <= 0
    _write(conn, grouped)


def _flags_by_area(conn, household_ids):
    h, s = Household.__table__.c, HouseholdSummary.__table__.c
    return conn.execute(sa.select(sa.func.coalesce(h.ward_id, 0), sa.func.coalesce(h.neighbourhood_id, 0),
                                  *(sa.func.sum(sa.case((s[c] > 0, 1), else_=0)) for c in FLAGS.values()))
                        .select_from(HouseholdSummary.__table__.join(Household.__table__, h.id == s.household_id))
                        .where(s.household_id.in_(household_ids)).group_by(h.ward_id, h.neighbourhood_id))


def shift_coverage(conn, household_ids, sign: int) -> None:
    """Take away (-1) or add back (+1) these households' summary flags: around their rebuild."""
    grouped: dict[tuple, list[int]] = {}
    for part in chunks(sorted(set(household_ids)), 900):
        for ward, hood, *flags in _flags_by_area(conn, part):
            counts = grouped.setdefault((ward, hood), [0] * len(COUNTS))
            for i, n in enumerate(flags, start=1):
                counts[i] += sign * int(n or 0)
    _write(conn, grouped)


def recount_query():
    """Coverage per area counted from every household and its summary (what the rollup must equal)."""
    h, s = Household.__table__.c, HouseholdSummary.__table__.c
    return (sa.select(sa.func.coalesce(h.ward_id, 0).label("ward_id"),
                      sa.func.coalesce(h.neighbourhood_id, 0).label("neighbourhood_id"),
                      sa.func.count().label("households"),
                      *(sa.func.coalesce(sa.func.sum(sa.case((s[c] > 0, 1), else_=0)), 0).label(f)
                        for f, c in FLAGS.items()))
            .select_from(Household.__table__.outerjoin(HouseholdSummary.__table__, s.household_id == h.id))
            .group_by(h.ward_id, h.neighbourhood_id))  # no area is NULL here, 0 in the rollup (ids start at 1)


def recount_coverage(conn) -> None:
    conn.execute(sa.delete(AreaCoverage.__table__))
    conn.execute(sa.insert(AreaCoverage.__table__).from_select([*AREA_KEY, *COUNTS], recount_query()))


def activity_areas_query():
    d = ActivityDay.__table__.c
    counts = ("events", "contacts", "dncs", "supporters", "undecided", "against")
    return (sa.select(d.ward_id, d.neighbourhood_id, d.channel, *(sa.func.sum(d[c]).label(c) for c in counts))
            .group_by(d.ward_id, d.neighbourhood_id, d.channel)), counts


def rebuild_activity_areas(conn) -> None:
    query, counts = activity_areas_query()
    conn.execute(sa.delete(ActivityArea.__table__))
    conn.execute(sa.insert(ActivityArea.__table__).from_select([*AREA_KEY, "channel", *counts], query))


def fold_activity_areas(conn, days: dict, counts) -> None:
    """Add the day rollup's new rows (app.contacts.rollup.rollup's keys) to their areas' totals."""
    grouped: dict[tuple, list[int]] = {}
    for (_day, ward, hood, _list, _user, _pin, channel), values in days.items():
        total = grouped.setdefault((ward, hood, channel), [0] * len(counts))
        for i, n in enumerate(values):
            total[i] += n
    rows = [dict(ward_id=w, neighbourhood_id=n, channel=ch, **dict(zip(counts, v))) for (w, n, ch), v in sorted(grouped.items())]
    if rows:
        stmt = on_conflict(conn, ActivityArea.__table__, name="activity_areas.add",
                           build=lambda i: _add_counts(i, (*AREA_KEY, "channel"), counts))
        for chunk in chunks(rows):
            conn.execute(stmt, chunk)
