"""Polling day's knock-up sheets in the live queue: the tellers' strike-off (``voted``) takes a
person off them. A sheet is a knock-up sheet by its ``criteria`` (KNOCKUP, set by
app.pollingday.phone_knockup); other sheets never look at ``voted``.

The claim (app.phonebank.queue) checks the entry it just picked, inside its own transaction, and
closes a struck-off one (done, ``last_disposition`` VOTED) before taking the next: a telling
stored a second before "Next" still keeps that voter from the caller.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from ..models import CallQueueEntry, CallSheet, QueueStatus, Voted

KNOCKUP = "knockup"   # CallSheet.criteria of polling day's knock-up sheets
VOTED = "voted"       # last_disposition of a knock-up entry closed because its person has voted
_queue = CallQueueEntry.__table__


def struck_off(q):
    """SQL: the entry (of ``q``, the queue or an alias) is on a knock-up sheet and its person has
    voted. Two primary-key lookups, the strike-off first: outside polling day ``voted`` is empty."""
    voted = select(Voted.person_id).where(Voted.person_id == q.c.person_id).correlate(q).exists()
    knockup = (select(CallSheet.id).where(CallSheet.id == q.c.sheet_id, CallSheet.criteria == KNOCKUP)
               .correlate(q).exists())
    return sa.and_(voted, knockup)


def close_if_struck_off(session: Session, *, entry_id: int) -> bool:
    """Close the entry as voted if it is struck off; whether it was. In the caller's transaction."""
    closed = session.execute(
        sa.update(_queue).where(_queue.c.id == entry_id, struck_off(_queue))
        .values(status=QueueStatus.DONE, last_disposition=VOTED, claimed_by_id=None, claimed_at=None,
                claim_expires_at=None)
    )
    return bool(closed.rowcount)
