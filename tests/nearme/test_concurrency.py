"""No door is ever checked out to two people: many volunteers ask for a list over one
neighbourhood at the same moment, each in their own session and write transaction.

On PostgreSQL 200 requests at once (READ COMMITTED: without the doors lock two transactions read
the same free doors); on SQLite a smaller burst (one writer at a time by construction). Every
request is answered with a list or a clear "nothing near", and no door is on two lists.
"""
from __future__ import annotations

import threading
from collections import Counter

import sqlalchemy as sa
from sqlmodel import Session, select

from app.config import settings
from app.db import engine_for, is_sqlite, write_transaction
from app.models import SelfServeCheckout, WalkListDoor
from app.nearme.operations import NothingNear, check_out
from tests.support.nearme import centre, make_patch
from tests.support.threads import run_together


def _clients_engine(app):
    """Where the requesting threads get their connections. On PostgreSQL a pool of its own whose
    threads wait for a free connection as long as it takes (the app's pool gives up after 30 s,
    and 200 requests queued behind one lock may take longer on a busy machine)."""
    engine = engine_for(app)
    if engine.dialect.name == "sqlite":
        return engine
    return sa.create_engine(engine.url, pool_size=10, max_overflow=0, pool_timeout=3600,
                            connect_args={"options": f"-csearch_path={app.config['DATABASE_SCHEMA']}"})


def test_concurrent_requests_never_share_a_door(app, db, make_ward, make_team, make_user):
    many, rows = (40, 6) if is_sqlite(db) else (200, 12)
    # rows x 25 doors; 15 minutes is at most 12 doors: some lists, then "nothing left" for the rest.
    patch = make_patch(db, make_ward=make_ward, make_team=make_team, make_user=make_user, rows=rows, cols=25,
                       volunteers=many)
    lat, lon = centre(rows, 25)
    config = settings().selfserve
    answers: dict[int, object] = {}
    lock = threading.Lock()
    engine = _clients_engine(app)

    def ask(user):
        with app.app_context(), Session(engine, expire_on_commit=False) as session:
            try:
                walk_list, _ = write_transaction(session, lambda s: check_out(
                    s, user=user, team_ids=[patch.team.id], lat=lat, lon=lon, minutes=15, max_km=1.0, config=config),
                    attempts=20)
                answer = walk_list.id
            except NothingNear as refusal:
                answer = refusal
        with lock:
            answers[user.id] = answer

    try:
        errors = run_together(ask, patch.volunteers)
    finally:
        if engine is not engine_for(app):
            engine.dispose()
    db.rollback()  # the test's own snapshot predates the threads' commits
    assert errors == []
    assert len(answers) == many
    lists = [a for a in answers.values() if isinstance(a, int)]
    refusals = [a for a in answers.values() if not isinstance(a, int)]
    assert lists and refusals and all("nothing is left" in r.message for r in refusals)
    doors = db.exec(select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id.in_(lists))).all()
    overlapping = [door for door, times in Counter(doors).items() if times > 1]
    assert overlapping == []
    assert sorted(doors) == patch.household_ids  # the pool was emptied before anyone was refused
    holders = db.exec(select(SelfServeCheckout.user_id, SelfServeCheckout.walk_list_id)).all()
    assert sorted(w for _, w in holders) == sorted(lists) and len({u for u, _ in holders}) == len(lists)


