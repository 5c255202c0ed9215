"""Deleting a call attempt on a made-up statewide campaign (tests/scale/conftest.py): PostgreSQL's
foreign-key check for contact events that name it reads the partial index of calls
(ix_contact_events_call_attempt, migration 0026), never every door knock. Counted by the
transaction's own scan statistics, so the check is what the database did, not a plan it might pick."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import db as dbmod

pytestmark = pytest.mark.timeout(900)

SCANS = sa.text("SELECT seq_scan, coalesce(idx_scan, 0) FROM pg_stat_xact_user_tables WHERE relname = 'contact_events'")


@pytest.mark.shared_data
def test_deleting_a_call_attempt_does_not_scan_the_contact_events(statewide_app, big_tables):
    assert "contact_events" in big_tables  # else the planner would scan it whatever the indexes
    with dbmod.engine_for(statewide_app).connect() as conn:
        trans = conn.begin()
        try:
            person, caller = conn.execute(sa.text("SELECT (SELECT min(id) FROM people), (SELECT min(id) FROM users)")).one()
            attempt = conn.execute(sa.text("INSERT INTO call_attempts (person_id, caller_id, phone, started_at) "
                                           "VALUES (:p, :c, '+16175550100', now()) RETURNING id"),
                                   {"p": person, "c": caller}).scalar_one()
            before = conn.execute(SCANS).one()
            conn.execute(sa.text("DELETE FROM call_attempts WHERE id = :a"), {"a": attempt})
            after = conn.execute(SCANS).one()
        finally:
            trans.rollback()
    assert after[0] == before[0], "the delete's foreign-key check read contact_events by a sequential scan"
    assert after[1] > before[1], "the foreign-key check did not read contact_events at all"
