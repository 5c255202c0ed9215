"""The live call queue: claim, release, expire, and the retry rules after a disposition.

A claim must never hand one person to two callers. PostgreSQL locks the chosen row with
``SELECT ... FOR UPDATE SKIP LOCKED`` so concurrent callers each skip to a different row;
SQLite has one writer at a time, so a single ``UPDATE ... WHERE id = (SELECT ...) RETURNING``
is atomic on its own. Every function takes ``now`` (aware UTC; naive is read as UTC) so tests can freeze time.
A knock-up sheet's entry whose person has voted is never served (app.phonebank.strikeoff).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..clock import as_utc
from ..config import Code, Settings
from ..db import is_sqlite, write_transaction
from ..models import CallAttempt, CallQueueEntry, Person, QueueStatus
from .hours import in_calling_window, local_time, timezone_for_number, to_utc  # noqa: F401  (queue.X callers)
from .queue_sql import (LIVE, _available, _callable, _due, _live, _not_skipped_by, _queue,  # noqa: F401  (queue.X callers)
                        _ready_select, _skip_cutoff, _skipped_by, queued_zones, zones_in_window)
from .strikeoff import close_if_struck_off


# ---- claiming ---------------------------------------------------------------------------
def current_attempt(session: Session, *, caller_id: int, now: datetime) -> CallAttempt | None:
    """The caller's unexpired claim and its open attempt, if they have one (e.g. after a reload)."""
    return session.exec(
        select(CallAttempt).join(CallQueueEntry, CallQueueEntry.id == CallAttempt.queue_entry_id)
        .where(CallQueueEntry.status == QueueStatus.CLAIMED, CallQueueEntry.claimed_by_id == caller_id,
               CallQueueEntry.claim_expires_at > now, CallAttempt.caller_id == caller_id,
               CallAttempt.disposition.is_(None))
        .order_by(CallAttempt.id.desc()).limit(1)
    ).first()


def claim(session: Session, *, caller_id: int, now: datetime, settings: Settings) -> CallAttempt | None:
    """Claim the next callable number for this caller and open an attempt; None if no one is due.

    Runs in its own write transaction (db.write_transaction) and commits, so the claim is final
    and visible to other callers as soon as this returns.
    """
    now = as_utc(now)
    return write_transaction(session, lambda s: _claim(s, caller_id=caller_id, now=now, settings=settings))


def _claim(session: Session, *, caller_id: int, now: datetime, settings: Settings) -> CallAttempt | None:
    existing = current_attempt(session, caller_id=caller_id, now=now)
    if existing is not None:
        return existing
    expires = now + timedelta(minutes=settings.phonebank.claim_minutes)
    renewed = _renew(session, caller_id=caller_id, now=now, expires=expires, settings=settings)
    if renewed is not None:
        return renewed
    values = dict(status=QueueStatus.CLAIMED, claimed_by_id=caller_id, claimed_at=now, claim_expires_at=expires)
    while True:
        claimed_id = _claim_next(session, caller_id=caller_id, now=now, settings=settings, values=values)
        if claimed_id is None:
            return None
        # Told as voted, perhaps a second ago: closed inside this claim, so no caller gets them.
        # Each pass closes an entry for good; a claim pays for the voted entries ahead of its pick.
        if not close_if_struck_off(session, entry_id=claimed_id):
            break
    entry = session.get(CallQueueEntry, claimed_id, populate_existing=True)
    attempt = CallAttempt(queue_entry_id=entry.id, person_id=entry.person_id, caller_id=caller_id,
                          phone=entry.phone, started_at=now)
    session.add(attempt)
    session.flush()
    return attempt


def _claim_next(session: Session, *, caller_id: int, now: datetime, settings: Settings, values: dict) -> int | None:
    ready = _ready_select(session, caller_id=caller_id, now=now, settings=settings)
    if is_sqlite(session):
        return session.execute(
            sa.update(_queue).where(_queue.c.id == ready.scalar_subquery(), _available(_queue, now))
            .values(**values).returning(_queue.c.id)
        ).scalar()
    claimed_id = session.execute(ready.with_for_update(skip_locked=True)).scalar()
    if claimed_id is not None:
        session.execute(sa.update(_queue).where(_queue.c.id == claimed_id).values(**values))
    return claimed_id


def _renew(session: Session, *, caller_id: int, now: datetime, expires: datetime,
           settings: Settings) -> CallAttempt | None:
    """The caller's own lapsed claim that nobody took meanwhile, with a new expiry: never the old
    expiry, which would leave the person claimable by a second caller while this one rings them.

    The UPDATE re-checks the claim is still this caller's, so on PostgreSQL a caller who locked
    the row first (SKIP LOCKED) wins and this renews nothing.
    """
    open_attempt = session.exec(
        select(CallAttempt).join(CallQueueEntry, CallQueueEntry.id == CallAttempt.queue_entry_id)
        .where(CallQueueEntry.status == QueueStatus.CLAIMED, CallQueueEntry.claimed_by_id == caller_id,
               CallAttempt.caller_id == caller_id, CallAttempt.disposition.is_(None),
               CallAttempt.ended_at.is_(None))
        .order_by(CallAttempt.id.desc()).limit(1)
    ).first()
    if open_attempt is None:
        return None
    zones = zones_in_window(session, now=now, settings=settings)
    renewed = session.execute(
        sa.update(_queue).where(_queue.c.id == open_attempt.queue_entry_id, _queue.c.status == QueueStatus.CLAIMED,
                                _queue.c.claimed_by_id == caller_id, _queue.c.timezone.in_(zones),
                                _callable(_queue))
        .values(claim_expires_at=expires).returning(_queue.c.id)
    ).scalar()
    if renewed is None:
        return None
    session.get(CallQueueEntry, renewed, populate_existing=True)
    return open_attempt


def holds_entry(session: Session, *, entry: CallQueueEntry | None, attempt: CallAttempt) -> bool:
    """May this attempt still change its queue entry? Only while the entry is live and claimed by
    nobody or by the attempt's caller through this very attempt: a Skip or a late outcome from an
    old tab must not un-claim or re-queue a person someone (even the same caller) now holds."""
    if entry is None or entry.status not in LIVE:
        return False
    if entry.claimed_by_id is None:
        return True
    if entry.claimed_by_id != attempt.caller_id:
        return False
    newer = session.execute(
        select(CallAttempt.id).where(CallAttempt.queue_entry_id == entry.id, CallAttempt.id > attempt.id,
                                     CallAttempt.disposition.is_(None), CallAttempt.ended_at.is_(None)).limit(1)
    ).first()
    return newer is None


def release(session: Session, *, attempt: CallAttempt, now: datetime) -> None:
    """Give a claimed number back (the caller skipped it). The caller commits.

    The number goes to the back of the queue (due now, so behind everyone already waiting at its
    priority) and is kept from this caller for phonebank.skip_minutes; other callers still get it.
    """
    now = as_utc(now)
    entry = session.get(CallQueueEntry, attempt.queue_entry_id) if attempt.queue_entry_id else None
    if entry is not None and entry.status == QueueStatus.CLAIMED and holds_entry(session, entry=entry, attempt=attempt):
        _unclaim(entry, status=QueueStatus.QUEUED)
        entry.next_call_at = now
        entry.skipped_by_id, entry.skipped_at = attempt.caller_id, now
    if attempt.twilio_call_sid is None:
        # Never dialled through us: forget it, which also ends the caller's sight of the household.
        session.delete(attempt)
    else:
        attempt.ended_at = now


def expire_claims(session: Session, *, now: datetime) -> int:
    """Return expired claims to the queue (claim() also takes them over); the caller commits."""
    now = as_utc(now)
    result = session.execute(
        sa.update(_queue).where(_queue.c.status == QueueStatus.CLAIMED, _queue.c.claim_expires_at <= now)
        .values(status=QueueStatus.QUEUED, claimed_by_id=None, claimed_at=None, claim_expires_at=None)
    )
    return result.rowcount or 0


def _unclaim(entry: CallQueueEntry, *, status: str) -> None:
    entry.status = status
    entry.claimed_by_id = entry.claimed_at = entry.claim_expires_at = None


# ---- after a disposition ------------------------------------------------------------------
def apply_disposition(session: Session, *, entry: CallQueueEntry | None, attempt: CallAttempt, code: Code,
                      now: datetime, settings: Settings, call_back_at: datetime | None = None) -> None:
    """The retry rules from the disposition's flags (config.toml [phonebank.dispositions]).

    The number-level effect (retire) always applies; the queue entry only changes while the claim
    is this caller's (or nobody's): a claim that expired and went to someone else is theirs now.
    """
    now = as_utc(now)
    if code.retire_number:
        session.execute(sa.update(Person.__table__).where(Person.phone == attempt.phone,
                                                          Person.phone_retired_at.is_(None))
                        .values(phone_retired_at=now))
    if not holds_entry(session, entry=entry, attempt=attempt):
        return
    entry.passes += 1
    entry.last_disposition = code.code
    if code.retire_number:
        _unclaim(entry, status=QueueStatus.RETIRED)
        session.execute(sa.update(_queue).where(_queue.c.phone == attempt.phone, _queue.c.status == QueueStatus.QUEUED)
                        .values(status=QueueStatus.RETIRED))
    elif code.dnc or code.final:
        _unclaim(entry, status=QueueStatus.DONE)
    elif code.schedule:
        if call_back_at is None:
            raise ValueError("a scheduled disposition needs call_back_at")
        _unclaim(entry, status=QueueStatus.QUEUED)
        entry.next_call_at = call_back_at
    elif code.retry and entry.passes < settings.phonebank.max_passes:
        _unclaim(entry, status=QueueStatus.QUEUED)
        entry.next_call_at = now + timedelta(minutes=settings.phonebank.retry_after_minutes)
    else:
        _unclaim(entry, status=QueueStatus.DONE)  # reached, or out of passes


# ---- why nobody is served -------------------------------------------------------------------
@dataclass(frozen=True)
class Waiting:
    ready: int            # callable now
    outside_hours: int    # due, but it is outside calling hours where they live
    later: int            # scheduled for a retry or a call-back
    next_due: datetime | None = None  # when the first of ``later`` comes due (UTC); only looked up when none is ready
    skipped: int = 0      # callable now, but this caller skipped them lately (not in ``ready``)
    cap: int | None = None  # counts were stopped past this many (see ``shown``)

    def shown(self, n: int) -> str:  # "1,000+" once a count passed the cap
        return f"{self.cap:,}+" if self.cap is not None and n > self.cap else f"{n:,}"


def _count(session: Session, where: list, cap: int | None) -> int:
    # A cap stops after cap + 1: each entry checks the ledger, so a state's whole queue took seconds.
    head = select(_queue.c.id).where(*where).limit(None if cap is None else cap + 1).subquery()
    return session.execute(select(sa.func.count()).select_from(head)).scalar_one()


def waiting(session: Session, *, now: datetime, settings: Settings, caller_id: int | None = None,
            cap: int | None = None) -> Waiting:
    now, q = as_utc(now), _queue
    zones = set(zones_in_window(session, now=now, settings=settings))
    live = [_available(q, now), _callable(q)]
    due, here = [*live, _due(q, now)], q.c.timezone.in_(zones)
    skipped, since = 0, _skip_cutoff(now, settings)
    if caller_id is not None:
        skipped = _count(session, [*due, here, _skipped_by(q, caller_id, since)], cap)
    ready = _count(session, [*due, here, *([_not_skipped_by(q, caller_id, since)] if caller_id is not None else [])], cap)
    later = _count(session, [*live, ~_due(q, now)], cap)
    next_due = (session.execute(select(sa.func.min(q.c.next_call_at)).where(*live, ~_due(q, now))).scalar_one()
                if later and not ready else None)
    return Waiting(ready=ready, outside_hours=_count(session, [*due, ~here], cap), later=later,
                   next_due=as_utc(next_due) if next_due is not None else None, skipped=skipped, cap=cap)
