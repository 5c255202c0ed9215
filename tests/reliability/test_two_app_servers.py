"""Two app servers on one database (README "Many app servers (PostgreSQL)"): two create_app()
objects, each with its own engine, connection pool and door-knock write group, as two gunicorn
processes have. Whatever one server knows, the other must find in the database. (Rate limits in Redis need two
processes: two apps in one process share Flask-Limiter's object; tests/reliability/test_many_servers.py.)

On SQLite by default, on PostgreSQL when LEGWORK_TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import random
import uuid
from collections import Counter

import pytest
import sqlalchemy as sa

from app import create_app
from app.config import settings as app_settings
from app.contacts import Actor, record_contacts_grouped
from app.db import engine_for, session_scope
from app.models import CallAttempt, ContactEvent, HouseholdSummary
from app.phonebank import queue

from tests.support.phonebank import NOON_EAST, make_callee, make_caller, settings  # noqa: F401  (fixtures)
from tests.support.threads import run_together

THREADS = 8  # per server


@pytest.fixture
def second(app):
    """Another server of the same campaign: the same configuration, nothing else shared."""
    other = create_app({**app.config, "DATABASE_POOL_SIZE": THREADS})
    yield other
    engine_for(other).dispose()


@pytest.mark.parametrize("app", [{"DATABASE_POOL_SIZE": THREADS}], indirect=True)
def test_the_same_door_knocks_sent_to_two_servers_at_once_are_stored_and_counted_once(app, second, db, make_household):
    households = [make_household() for _ in range(6)]
    events = [{"id": str(uuid.uuid4()), "household_id": h.id, "code": "spoke",
               "recorded_at": f"2026-11-01T10:{i:02d}:00Z"} for i, h in enumerate(households * 4)]
    answers: list[tuple[str, str]] = []

    def post(server):
        batch = random.Random(id(server)).sample(events, len(events))  # each phone's retry in its own order
        with server.app_context(), session_scope(server) as session:
            statuses = record_contacts_grouped(session, events=batch, actor=Actor(label="test"), settings=app_settings())
        answers.extend((s.id, s.status) for s in statuses)

    assert run_together(post, [app, second] * THREADS) == []
    stored = Counter(event_id for event_id, status in answers if status == "stored")
    assert set(stored) == {e["id"] for e in events} and set(stored.values()) == {1}, \
        "each door knock is answered 'stored' once, and 'duplicate' to every other send"
    db.expire_all()
    assert db.execute(sa.select(sa.func.count()).select_from(ContactEvent)).scalar_one() == len(events)
    counts = dict(db.execute(sa.select(HouseholdSummary.household_id, HouseholdSummary.door_events)).all())
    assert counts == {h.id: 4 for h in households}, "a door knock stored once is counted once in the summary"


@pytest.mark.slow
@pytest.mark.parametrize("app", [{"DATABASE_POOL_SIZE": THREADS}], indirect=True)
def test_callers_on_two_servers_pressing_next_at_once_never_share_a_person(app, second, db, make_callee, make_caller):
    callers = [make_caller(f"Caller {i}").id for i in range(2 * THREADS)]
    for _ in range(2 * THREADS + 3):
        make_callee()

    def claim(job):
        server, caller_id = job
        with server.app_context(), session_scope(server) as session:
            queue.claim(session, caller_id=caller_id, now=NOON_EAST, settings=app_settings())

    assert run_together(claim, [((app, second)[i % 2], c) for i, c in enumerate(callers)]) == []
    db.expire_all()
    rows = db.execute(sa.select(CallAttempt.caller_id, CallAttempt.person_id)).all()
    assert sorted(c for c, _ in rows) == sorted(callers), "every caller got one person"
    assert len({p for _, p in rows}) == len(rows), "two callers got the same person"
