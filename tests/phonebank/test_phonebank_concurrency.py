"""Twenty callers pressing "Next call" at the same moment, each on its own connection.

Runs on SQLite by default and on PostgreSQL when LEGWORK_TEST_DATABASE_URL is set (the claim
takes a different path on each: one atomic UPDATE ... RETURNING, or FOR UPDATE SKIP LOCKED).
"""
from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from app.db import session_scope, write_transaction
from app.models import CallAttempt, CallQueueEntry, User
from app.phonebank import operations, queue

from tests.support.phonebank import NOON_EAST, new_id
from tests.support.threads import run_together

CALLERS = 20
# a connection per caller on PostgreSQL (the app fixture reads request.param as extra config)
pytestmark = [pytest.mark.slow, pytest.mark.parametrize("app", [{"DATABASE_POOL_SIZE": CALLERS}], indirect=True)]


def test_twenty_callers_claim_at_once_and_never_share_a_person(app, db, make_callee, make_caller, settings):
    people = {make_callee().id for _ in range(CALLERS + 5)}
    callers = [make_caller(f"Caller {i}").id for i in range(CALLERS)]
    got: dict[int, int | None] = {}

    def claim(caller_id):
        with session_scope(app) as session:
            attempt = queue.claim(session, caller_id=caller_id, now=NOON_EAST, settings=settings)
            got[caller_id] = attempt.person_id if attempt else None

    assert run_together(claim, callers) == []
    served = [p for p in got.values() if p is not None]
    assert len(served) == CALLERS, "a caller got nobody while people were waiting"
    assert len(set(served)) == CALLERS, "two callers got the same person"
    assert set(served) <= people
    db.expire_all()
    rows = db.exec(sa.select(CallQueueEntry.status, CallQueueEntry.claimed_by_id)).all()
    assert Counter(status for status, _ in rows) == {"claimed": CALLERS, "queued": 5}
    assert len({by for status, by in rows if status == "claimed"}) == CALLERS


def test_twenty_callers_work_the_queue_dry_and_everyone_is_called_once(app, db, make_callee, make_caller, settings):
    people = {make_callee().id for _ in range(2 * CALLERS + 7)}
    callers = [make_caller(f"Caller {i}").id for i in range(CALLERS)]

    def work(caller_id):
        while True:
            with session_scope(app) as session:
                attempt = queue.claim(session, caller_id=caller_id, now=NOON_EAST, settings=settings)
                if attempt is None:
                    return
                event_id = new_id()  # one id for every retry: recording stays idempotent
                write_transaction(session, lambda s: operations.record_disposition(
                    s, attempt_id=attempt.id, caller=s.get(User, caller_id), event_id=event_id, code="spoke",
                    settings=settings, now=NOON_EAST))

    assert run_together(work, callers) == []
    db.expire_all()
    called = Counter(db.exec(sa.select(CallAttempt.person_id).where(CallAttempt.disposition == "spoke")).scalars())
    assert set(called) == people, "someone was lost"
    assert set(called.values()) == {1}, "someone was called twice"
    assert set(db.exec(sa.select(CallQueueEntry.status)).scalars()) == {"done"}
