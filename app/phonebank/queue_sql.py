"""The queue's SQL conditions, shared by a claim and the counts of what is waiting: who may be
served (the number is still the person's, no do-not-contact ledger bars it), when (due, in a
zone inside its calling hours, not skipped by this caller lately), and the serving order."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..config import Settings
from ..db import is_sqlite
from ..models import CallQueueEntry, DncChannel, DoNotContact, Person, QueueStatus
from .hours import in_calling_window
from .strikeoff import struck_off

LIVE = (QueueStatus.QUEUED, QueueStatus.CLAIMED)
_queue = CallQueueEntry.__table__


# ---- time zones and calling hours ------------------------------------------------------

def _not_blocked(q):
    """SQL: the entry's person still has this number, it is not retired, and the ledger is clear.
    The ledger is three NOT EXISTS, one per index of do_not_contact, not one with an OR that no
    index serves (which read the whole ledger for each entry)."""
    person_ok = (select(Person.id).where(Person.id == q.c.person_id, Person.phone == q.c.phone,
                                          Person.phone_retired_at.is_(None)).exists())
    # Explicit: auto-correlation reaches only the nearest enclosing SELECT, and q is two levels up.
    household = select(Person.household_id).where(Person.id == q.c.person_id).correlate(q).scalar_subquery()
    barred = DoNotContact.channel.in_((DncChannel.ALL, DncChannel.PHONE))
    ledger = (select(DoNotContact.id).where(barred, DoNotContact.person_id == q.c.person_id).exists(),
              select(DoNotContact.id).where(barred, DoNotContact.phone == q.c.phone).exists(),
              select(DoNotContact.id).where(barred, DoNotContact.person_id.is_(None),
                                            DoNotContact.household_id == household).exists())
    return sa.and_(person_ok, *(~entry for entry in ledger))


def _entry_by_entry(condition):
    """SQL: ``condition`` checked for each entry as the queue is walked in serving order. Inside a
    CASE, PostgreSQL neither turns its subqueries into joins nor believes its guess that almost no
    entry passes (phone = phone), which made it check and sort the whole queue for every claim
    (138 ms with 25,000 waiting) instead of stopping at the first entry it may serve."""
    return sa.case((condition, sa.true()), else_=sa.false())


def _callable(q):
    """SQL: neither blocked nor struck off: what the queue's counts and a renewal may serve."""
    return sa.and_(_not_blocked(q), ~struck_off(q))


def _available(q, now: datetime):
    claimable = sa.and_(q.c.status == QueueStatus.CLAIMED, q.c.claim_expires_at <= now)  # a lapsed claim
    return sa.or_(q.c.status == QueueStatus.QUEUED, claimable)


def _due(q, now: datetime):
    return sa.or_(q.c.next_call_at.is_(None), q.c.next_call_at <= now)


def _skip_cutoff(now: datetime, settings: Settings) -> datetime:
    return now - timedelta(minutes=settings.phonebank.skip_minutes)


def _skipped_by(q, caller_id: int, since: datetime):
    """SQL: this caller skipped the entry after ``since`` (it is kept from them until then)."""
    return sa.and_(q.c.skipped_by_id == caller_id, q.c.skipped_at > since)


def _not_skipped_by(q, caller_id: int, since: datetime):
    """SQL: the negation of _skipped_by, spelled out because NOT (NULL ...) is NULL, not true."""
    return sa.or_(q.c.skipped_at.is_(None), q.c.skipped_at <= since, q.c.skipped_by_id != caller_id)


def _live(q):
    """SQL: a live entry, spelled with literals: SQLite uses a partial index only when the query
    repeats the index's own condition, which a bound parameter does not."""
    return q.c.status.in_([sa.literal_column(f"'{status.value}'") for status in LIVE])


_LIVE_SQL = "status IN ('queued', 'claimed')"  # ix_call_queue_zones' own condition, so both databases use it
# Each step probes ix_call_queue_zones for the next zone: a handful of probes, not a pass over the queue.
_QUEUED_ZONES = sa.text(f"""
    WITH RECURSIVE zones(zone) AS (
        SELECT min(timezone) FROM call_queue WHERE {_LIVE_SQL}
        UNION ALL
        SELECT (SELECT min(timezone) FROM call_queue WHERE {_LIVE_SQL} AND timezone > zones.zone)
        FROM zones WHERE zones.zone IS NOT NULL)
    SELECT zone FROM zones WHERE zone IS NOT NULL""")


def queued_zones(session: Session) -> list[str]:
    """The time zones of live entries, in order."""
    return list(session.execute(_QUEUED_ZONES).scalars())


def zones_in_window(session: Session, *, now: datetime, settings: Settings) -> list[str]:
    return [z for z in queued_zones(session) if in_calling_window(z, now=now, settings=settings)]


def _ready_select(session: Session, *, caller_id: int, now: datetime, settings: Settings):
    q = _queue.alias("ready")
    zones = zones_in_window(session, now=now, settings=settings)
    zone = q.c.timezone
    if is_sqlite(session):  # "|| ''": else SQLite reads the zones' entries by ix_call_queue_zones and sorts them
        zone = zone + sa.literal_column("''")
    return (select(q.c.id)
            .where(_live(q), _available(q, now), _due(q, now), zone.in_(zones), _entry_by_entry(_not_blocked(q)),
                   _not_skipped_by(q, caller_id, _skip_cutoff(now, settings)))
            .order_by(q.c.priority, sa.func.coalesce(q.c.next_call_at, q.c.created_at), q.c.id)
            .limit(1))
