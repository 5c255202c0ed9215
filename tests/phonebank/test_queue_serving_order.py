"""A claim reads the queue from its head (issue 22): with thousands waiting, PostgreSQL walks
ix_call_queue_serve and stops at the first entry it may serve, instead of checking and sorting
every waiting entry; the live entries' time zones are found by probing, not by a pass."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import CallQueueEntry, Person
from app.phonebank import queue
from tests.support.env import PG_URL
from tests.support.phonebank import EAST, NOON_EAST, WEST


def test_queued_zones_are_the_live_entries_zones(db, make_callee):
    make_callee(EAST)
    make_callee(WEST)
    done = make_callee("+1312555{:04d}")  # Chicago, no longer waiting
    db.execute(sa.update(CallQueueEntry).where(CallQueueEntry.person_id == done.id).values(status="done"))
    db.commit()
    assert queue.queued_zones(db) == ["America/Los_Angeles", "America/New_York"]


def test_no_zones_when_nothing_waits(db):
    assert queue.queued_zones(db) == []


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL's plan: SQLite has no statistics unless analysed")
def test_a_claim_walks_the_serving_order_on_postgresql(db, make_callee, make_caller, settings):
    household_id = make_callee().household_id
    # A phone bank's shape: many people with their own numbers, thousands queued, more long done.
    people = [{"household_id": household_id, "phone": f"+1617{n:07d}", "first_name": "Made", "last_name": "Up"}
              for n in range(20000)]
    ids = db.execute(sa.insert(Person).returning(Person.id, Person.phone), people).all()
    db.execute(sa.insert(CallQueueEntry), [
        {"person_id": pid, "phone": phone, "timezone": "America/New_York", "priority": float(n % 7),
         "status": "done" if n % 4 else "queued"} for n, (pid, phone) in enumerate(ids)])
    db.commit()
    for table in (CallQueueEntry.__tablename__, Person.__tablename__):
        db.execute(sa.text(f"ANALYZE {table}"))
    ready = queue._ready_select(db, caller_id=make_caller().id, now=NOON_EAST, settings=settings)
    compiled = ready.with_for_update(skip_locked=True).compile(dialect=db.bind.dialect,
                                                               compile_kwargs={"literal_binds": True})
    plan = "\n".join(r[0] for r in db.execute(sa.text(f"EXPLAIN {compiled}")))
    assert "ix_call_queue_serve" in plan, plan
    assert "Sort" not in plan, plan
