"""Per-sheet and per-caller progress: attempts, connects, outcomes. Reads only."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ..auth.access import Scope as AreaScope, sheet_in_scope
from ..config import Settings
from ..models import CallAttempt, CallQueueEntry, CallSheet, CallSheetEntry, Channel, QueueStatus, User


@dataclass
class Tally:
    attempts: int = 0
    connects: int = 0             # dispositions that reached a person (contact = true)
    outcomes: Counter = field(default_factory=Counter)

    def add(self, code: str, n: int, contact_codes: set[str]) -> None:
        self.attempts += n
        self.outcomes[code] += n
        if code in contact_codes:
            self.connects += n


@dataclass
class SheetProgress:
    sheet: CallSheet
    numbers: int
    people: int
    queue: Counter                # status -> numbers (queued, claimed, done, retired)
    tally: Tally

    @property
    def finished(self) -> int:
        return self.queue[QueueStatus.DONE] + self.queue[QueueStatus.RETIRED]


@dataclass
class CallerProgress:
    user_id: int
    name: str
    tally: Tally
    last_call_at: datetime | None


def _contact_codes(settings: Settings) -> set[str]:
    return {c.code for c in settings.codes(Channel.PHONE).values() if c.contact}


def sheet_progress(session: Session, *, settings: Settings, scope: AreaScope | None = None) -> list[SheetProgress]:
    """Every sheet's size, queue state and outcomes; only those inside ``scope`` (a team lead's areas)."""
    contact = _contact_codes(settings)
    sizes = {sid: (numbers, people) for sid, numbers, people in session.execute(
        select(CallSheetEntry.sheet_id, sa.func.count(sa.distinct(CallSheetEntry.position)), sa.func.count())
        .group_by(CallSheetEntry.sheet_id))}
    queues: dict[int, Counter] = {}
    for sid, status, n in session.execute(select(CallQueueEntry.sheet_id, CallQueueEntry.status, sa.func.count())
                                          .where(CallQueueEntry.sheet_id.is_not(None))
                                          .group_by(CallQueueEntry.sheet_id, CallQueueEntry.status)):
        queues.setdefault(sid, Counter())[status] = n
    tallies: dict[int, Tally] = {}
    for sid, code, n in session.execute(
            select(CallQueueEntry.sheet_id, CallAttempt.disposition, sa.func.count())
            .join(CallQueueEntry, CallQueueEntry.id == CallAttempt.queue_entry_id)
            .where(CallAttempt.disposition.is_not(None), CallQueueEntry.sheet_id.is_not(None))
            .group_by(CallQueueEntry.sheet_id, CallAttempt.disposition)):
        tallies.setdefault(sid, Tally()).add(code, n, contact)
    sheets = [s for s in session.exec(select(CallSheet).order_by(CallSheet.created_at.desc(), CallSheet.id)).all()
              if sheet_in_scope(session, scope, s)]
    return [SheetProgress(sheet=s, numbers=sizes.get(s.id, (0, 0))[0], people=sizes.get(s.id, (0, 0))[1],
                          queue=queues.get(s.id, Counter()), tally=tallies.get(s.id, Tally()))
            for s in sheets]


def caller_progress(session: Session, *, settings: Settings, caller_id: int | None = None,
                    since: datetime | None = None, caller_ids: set[int] | None = None) -> list[CallerProgress]:
    """Each caller's outcomes (``caller_ids``: only these, e.g. a team lead's members)."""
    contact = _contact_codes(settings)
    query = (select(CallAttempt.caller_id, CallAttempt.disposition, sa.func.count(), sa.func.max(CallAttempt.ended_at))
             .where(CallAttempt.disposition.is_not(None))
             .group_by(CallAttempt.caller_id, CallAttempt.disposition))
    if caller_id is not None:
        query = query.where(CallAttempt.caller_id == caller_id)
    if since is not None:
        query = query.where(CallAttempt.ended_at >= since)
    if caller_ids is not None:
        query = query.where(CallAttempt.caller_id.in_(sorted(caller_ids) or [0]))
    tallies: dict[int, Tally] = {}
    last: dict[int, datetime] = {}
    for uid, code, n, at in session.execute(query):
        tallies.setdefault(uid, Tally()).add(code, n, contact)
        if at is not None and (uid not in last or at > last[uid]):
            last[uid] = at
    names = dict(session.execute(select(User.id, sa.func.coalesce(sa.func.nullif(User.name, ""), User.email))
                                 .where(User.id.in_(list(tallies)))).all()) if tallies else {}
    rows = [CallerProgress(user_id=uid, name=names.get(uid, f"user {uid}"), tally=t, last_call_at=last.get(uid))
            for uid, t in tallies.items()]
    return sorted(rows, key=lambda r: (-r.tally.attempts, r.name))
