"""``households.reached``: on which channels a household has ever been reached (an event whose code
is flagged contact in config.toml), one bit a channel, so a universe's "never reached at the door"
selects the households whose bit is clear (``ix_households_reached``) instead of anti-joining every
reached household's summary (a hash of 2.25 million rows over a state).

It says exactly what the summary's ``{channel}_contacts > 0`` say, kept by the same writers in
their own transactions: ``fold_reach`` after the summary fold (contacts only grow there, so a
household is written when a channel goes from 0 to above 0), and ``sync_reach`` after any rebuild
of summaries (whole, or some households': a wipe, a purge), which writes only rows that differ.
"""
from __future__ import annotations

import sqlalchemy as sa

from ..models import Channel, Household, HouseholdSummary
from ..sql import chunks

BITS = {Channel.DOOR: 1, Channel.PHONE: 2, Channel.RELATIONAL: 4}
VALUES = range(8)  # every value the column can hold


def channels_bits(channels) -> int:
    return sum(BITS[Channel(c)] for c in channels)


def values_reached(channels) -> list[int]:
    """The column's values of a household reached on any of ``channels``: an IN list, which an index
    on (reached, id) answers and the planner's statistics count, where ``reached & bits`` is neither."""
    bits = channels_bits(channels)
    return [v for v in VALUES if v & bits]


def values_never_reached(channels) -> list[int]:
    bits = channels_bits(channels)
    return [v for v in VALUES if not v & bits]


def mask(counts) -> int:
    """The column's value from a summary's {channel}_contacts (a mapping; None: no summary)."""
    return sum(bit for channel, bit in BITS.items() if counts and (counts[f"{channel}_contacts"] or 0) > 0)


def _mask_sql(summary):
    return sum((sa.case((summary[f"{channel}_contacts"] > 0, bit), else_=0) for channel, bit in BITS.items()),
               sa.literal(0))


_SET = (sa.update(Household.__table__).where(Household.__table__.c.id == sa.bindparam("hid"))
        .values(reached=sa.bindparam("mask")))


def fold_reach(conn, *, added: dict[int, dict], after) -> None:
    """added: household id -> the counts this batch added; after: the summary fold's RETURNING rows
    (app.contacts.coverage_rollup.RETURNED: the counts now, under the row's lock, so exact)."""
    changed = []
    for row in after:
        now = row._mapping
        before = {f"{c}_contacts": now[f"{c}_contacts"] - added[now["household_id"]][f"{c}_contacts"] for c in BITS}
        if mask(now) != mask(before):
            changed.append({"hid": now["household_id"], "mask": mask(now)})
    for chunk in chunks(sorted(changed, key=lambda r: r["hid"])):  # one lock order for every writer
        conn.execute(_SET, chunk)


def sync_reach(conn, household_ids=None) -> int:
    """Set every household's (or these households') ``reached`` from its summary, writing only the
    rows that differ (none after a rebuild that changed nothing); returns the rows written.

    Whole: the households that differ are found in one pass, then written 900 a statement as some
    households' are. The area_coverage trigger (app/contacts/coverage_triggers.py) joins each
    UPDATE's old and new rows, which past work_mem spill to disk and are re-read: one statement
    rewriting 250,000 households ran for over 15 minutes."""
    h, s = Household.__table__.c, HouseholdSummary.__table__.c
    if household_ids is None:
        now = sa.func.coalesce(_mask_sql(s), 0)
        household_ids = conn.execute(sa.select(h.id).select_from(Household.__table__.outerjoin(
            HouseholdSummary.__table__, s.household_id == h.id)).where(h.reached != now)).scalars().all()
    return sum(conn.execute(_sync(conn.dialect.name, h.id.in_(part))).rowcount
               for part in chunks(sorted(set(household_ids)), 900))


def _sync(dialect: str, which) -> sa.Update:
    h, s = Household.__table__, HouseholdSummary.__table__.c
    if dialect == "postgresql":  # a join rather than a lookup per household
        target = (sa.select(h.c.id, sa.func.coalesce(_mask_sql(s), 0).label("mask"))
                  .select_from(h.outerjoin(HouseholdSummary.__table__, s.household_id == h.c.id)).where(which)
                  .subquery("target"))
        return sa.update(h).values(reached=target.c.mask).where(h.c.id == target.c.id, h.c.reached != target.c.mask)
    now = sa.func.coalesce(sa.select(_mask_sql(s)).where(s.household_id == h.c.id).scalar_subquery(), 0)
    return sa.update(h).values(reached=now).where(which, h.c.reached != now)


def shares(conn) -> dict[int, float] | None:
    """Each value's share of the households, from PostgreSQL's statistics (ANALYZE: eight values,
    all among the most common); None on SQLite or before any ANALYZE. A universe's count uses it to
    hash the smaller of the reached and the never reached households (app/universes/filters.py)."""
    if conn.dialect.name != "postgresql":
        return None
    row = conn.exec_driver_sql("SELECT most_common_vals::text, most_common_freqs FROM pg_stats WHERE schemaname = "
                               "current_schema() AND tablename = 'households' AND attname = 'reached'").first()
    if row is None or row[0] is None:
        return None
    return dict(zip((int(v) for v in row[0].strip("{}").split(",")), row[1]))
