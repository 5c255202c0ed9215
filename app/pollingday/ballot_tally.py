"""The chase page's statewide "ballots by status" table, for a state-size election.

A campaign with up to ``ballot_tally_above`` ballots counts the table on every opening of the page
(``chase.status_counts``). Past that, one count is a pass over every ballot joined to the
supporters (about 2 s at 1.5 million ballots), so the last count is kept in ``ballot_tallies`` for
every app server and counted again when older than ``ballot_tally_seconds``: by one request at a
time (a claim), and after the page has been sent (``static/pollingday/chase-counts.js`` asks
``/polling-day/chase/counts``). The page says when the figures were counted. A ward's or a team
lead's table stays live: their households' index bounds the work.

Why not counts kept exact by triggers: supporters by ballot status span two tables written at once
(the ballot file's import, answers at the door), and exact counts need each write to lock the person
against the other, so a canvasser's answer would wait on a running ballot import (BENCHMARKS.md,
issue 22). Here nothing a door writes reads or waits for the tally.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..models import BallotStatus, BallotTally
from ..sql import on_conflict
from .ballot_mapping import STATUSES

STATE = "state"
CLAIM_SECONDS = 120  # a count not stored by then is counted again by the next asker (its server died)


@dataclass(frozen=True)
class Tally:
    counts: dict[str, tuple[int, int]]   # status -> (supporters, everyone), as chase.status_counts
    counted_at: datetime                 # when the count began: every ballot and answer stored by then
    fresh: bool                          # younger than ballot_tally_seconds


def many_ballots(session: Session, *, settings: Settings) -> bool:
    """More ballots than ``ballot_tally_above``: reads no further than that many index entries."""
    limit = settings.pollingday.ballot_tally_above  # 0 or more (checked at start-up)
    seen = session.execute(sa.select(sa.func.count()).select_from(
        sa.select(BallotStatus.person_id).limit(limit + 1).subquery())).scalar_one()
    return seen > limit


def _supporters(settings: Settings) -> str:
    return ",".join(sorted(settings.supporter_values))


def read(session: Session, *, settings: Settings, now: datetime) -> Tally | None:
    """The last count, or None: never counted, forgotten (a new ballot file, a purge), or counted
    with other supporter values than the campaign's now."""
    row = session.execute(sa.select(BallotTally.counts, BallotTally.supporter_values, BallotTally.counted_at)
                          .where(BallotTally.key == STATE)).first()
    if row is None or row.counted_at is None or row.supporter_values != _supporters(settings):
        return None
    stored = json.loads(row.counts)
    age = (now - row.counted_at).total_seconds()
    return Tally(counts={s: tuple(stored.get(s, (0, 0))) for s in STATUSES}, counted_at=row.counted_at,
                 fresh=age < settings.pollingday.ballot_tally_seconds)


def claim(session: Session, *, now: datetime) -> bool:
    """Take the next count for this request (call in a write transaction). False while another
    request's count, begun under CLAIM_SECONDS ago, is running: it will store the figures."""
    conn = session.connection()
    session.execute(on_conflict(conn, BallotTally.__table__, name="ballot_tallies.create", build=lambda insert: (
        insert.on_conflict_do_nothing(index_elements=["key"]))),
        {"key": STATE, "counts": "{}", "supporter_values": ""})
    taken = session.execute(sa.update(BallotTally).where(
        BallotTally.key == STATE,
        sa.or_(BallotTally.counting_since.is_(None), BallotTally.counting_since < now - timedelta(seconds=CLAIM_SECONDS))
    ).values(counting_since=now))
    return taken.rowcount == 1


def store(session: Session, *, claimed: datetime, counts: dict, settings: Settings) -> bool:
    """Keep a count begun at ``claimed`` (call in a write transaction). Dropped (False) if the tally
    was forgotten or taken over meanwhile: a ballot file imported during the count is not in it."""
    kept = session.execute(sa.update(BallotTally).where(
        BallotTally.key == STATE, BallotTally.counting_since == claimed
    ).values(counts=json.dumps({s: list(pair) for s, pair in counts.items()}),
             supporter_values=_supporters(settings), counted_at=claimed, counting_since=None))
    return kept.rowcount == 1


def release(session: Session, *, claimed: datetime) -> None:
    """A count that failed gives its claim back (call in a write transaction)."""
    session.execute(sa.update(BallotTally).where(BallotTally.key == STATE, BallotTally.counting_since == claimed)
                    .values(counting_since=None))


def forget(session: Session) -> None:
    """The figures no longer hold (ballots imported or purged): the next opening counts afresh.
    In the caller's write transaction."""
    session.execute(sa.delete(BallotTally))
