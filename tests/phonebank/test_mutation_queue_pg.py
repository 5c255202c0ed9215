"""The PostgreSQL claim (FOR UPDATE SKIP LOCKED), where the mutation check found what the
concurrency test could not tell apart: a caller whose claim meets a row another caller has locked
takes the next person at once, rather than waiting for that caller's transaction to end."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.db import engine_for, session_scope
from app.models import CallQueueEntry
from app.phonebank import queue
from tests.support.env import PG_URL
from tests.support.phonebank import NOON_EAST

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only: on SQLite one writer at a time claims")


def test_a_claim_passes_over_a_person_another_caller_has_locked(app, db, make_callee, make_caller, settings):
    first, second = make_callee(), make_callee()
    caller = make_caller()
    engine = engine_for(app)

    def no_waiting(dbapi_conn, _record, _proxy):
        # A claim that waited for the lock would fail here (and be retried, then raised), not hang.
        with dbapi_conn.cursor() as cur:
            cur.execute("SET lock_timeout = '1s'")

    sa.event.listen(engine, "checkout", no_waiting)
    try:
        with session_scope(app) as other:  # another caller, mid-claim, holds the first person's row
            other.execute(sa.select(CallQueueEntry.id).where(CallQueueEntry.person_id == first.id)
                          .with_for_update()).scalar_one()
            with session_scope(app) as mine:
                attempt = queue.claim(mine, caller_id=caller.id, now=NOON_EAST, settings=settings)
                assert attempt.person_id == second.id
    finally:
        sa.event.remove(engine, "checkout", no_waiting)
