"""Callers working a knock-up sheet dry at the same moment, with a third of it struck off: nobody
who has voted is served, everyone else exactly once. Runs on SQLite by default and on PostgreSQL
when LEGWORK_TEST_DATABASE_URL is set (the claim takes a different path on each)."""
from __future__ import annotations

import uuid
from collections import Counter
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from app.db import session_scope, write_transaction
from app.models import CallQueueEntry, CallSheet, Person, User, Voted, utcnow
from app.phonebank import operations, queue
from app.phonebank.strikeoff import KNOCKUP
from tests.support.threads import run_together

CALLERS = 12
NOON = datetime(2024, 10, 15, 16, 0, tzinfo=timezone.utc)   # noon in Boston, where the numbers ring
pytestmark = [pytest.mark.slow, pytest.mark.parametrize("app", [{"DATABASE_POOL_SIZE": CALLERS}], indirect=True)]


def test_callers_never_get_a_voter_and_get_everyone_else_once(app, db, make_household, make_user, settings):
    sheet = CallSheet(name="Knock-up · Test · 12:00 · 1/1", criteria=KNOCKUP, in_queue=True,
                      timezone="America/New_York")
    db.add(sheet)
    db.commit()
    people = []
    for _ in range(3 * CALLERS):
        household_id = make_household().id
        pid, phone = db.execute(sa.select(Person.id, Person.phone).where(Person.household_id == household_id)).one()
        db.add(CallQueueEntry(person_id=pid, sheet_id=sheet.id, phone=phone, timezone="America/New_York"))
        people.append(pid)
    voters = set(people[::3])
    db.add_all(Voted(person_id=pid, telling_id=str(uuid.uuid4()), voted_at=utcnow()) for pid in voters)
    db.commit()
    callers = [make_user(roles="caller", name=f"Caller {i}").id for i in range(CALLERS)]
    served: list[int] = []

    def work(caller_id):
        while True:
            with session_scope(app) as session:
                attempt = queue.claim(session, caller_id=caller_id, now=NOON, settings=settings)
                if attempt is None:
                    return
                served.append(attempt.person_id)
                event_id = str(uuid.uuid4())
                write_transaction(session, lambda s: operations.record_disposition(
                    s, attempt_id=attempt.id, caller=s.get(User, caller_id), event_id=event_id, code="spoke",
                    settings=settings, now=NOON))

    assert run_together(work, callers) == []
    assert not voters & set(served), "a caller was given someone who has voted"
    assert Counter(served) == Counter(set(people) - voters), "someone was served twice, or never"
    db.expire_all()
    closed = dict(db.execute(sa.select(CallQueueEntry.person_id, CallQueueEntry.last_disposition)).all())
    assert {pid for pid, why in closed.items() if why == "voted"} == voters
