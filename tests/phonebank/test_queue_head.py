"""A claim on PostgreSQL reads the head of the queue (ix_call_queue_next), not every waiting entry:
with 25,000 waiting a claim took 140 ms, checking and sorting them all, and grew with the queue
(BENCHMARKS.md, "many app servers behind nginx"). Entries past the head are still served when
every entry at the head is blocked."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.models import CallQueueEntry, DoNotContact
from app.phonebank import queue

from tests.support.env import PG_URL
from tests.support.phonebank import NOON_EAST


def test_callers_are_served_past_a_head_whose_people_are_all_blocked(db, make_callee, make_caller, settings, monkeypatch):
    monkeypatch.setattr(queue, "HEAD", 3)
    blocked = [make_callee(priority=0.0) for _ in range(4)]  # the head (3) and one more, all on the ledger
    for person in blocked:
        db.add(DoNotContact(person_id=person.id, channel="phone", reason="asked"))
    db.commit()
    last = make_callee(priority=1.0)
    attempt = queue.claim(db, caller_id=make_caller().id, now=NOON_EAST, settings=settings)
    assert attempt is not None and attempt.person_id == last.id


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL's plan (SQLite claims with one UPDATE, one writer at a time)")
def test_a_claim_reads_the_head_of_a_long_queue_in_index_order(db, make_callee, settings):
    person = make_callee()
    db.execute(sa.insert(CallQueueEntry), [{"person_id": person.id, "phone": person.phone, "timezone": "America/New_York",
                                           "priority": float(i % 3), "status": "queued" if i % 2 else "done", "passes": 0}
                                          for i in range(5000)])
    db.commit()
    db.execute(sa.text("ANALYZE call_queue"))
    db.execute(sa.text("ANALYZE people"))
    select = queue._ready_select(db, caller_id=1, now=NOON_EAST, settings=settings, head=queue.HEAD)
    compiled = select.with_for_update(skip_locked=True).compile(dialect=db.get_bind().dialect,
                                                                 compile_kwargs={"literal_binds": True})
    plan = "\n".join(db.execute(sa.text(f"EXPLAIN {compiled}")).scalars())
    assert "Index Scan using ix_call_queue_next" in plan, plan
