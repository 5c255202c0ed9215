"""The database side of the load test (scripts/bench/loadtest.py): outcomes stored in-process
through the app's write path (the storm's "the server already had half"), and the counts read back
to prove nothing was lost or stored twice."""
from __future__ import annotations

import sqlalchemy as sa


def direct_store(env: dict):
    """Store outcomes in-process through record_contacts (the phone's first, unanswered send)."""
    from app import create_app, db as dbmod
    from app.config import settings
    from app.contacts import Actor, record_contacts

    app = create_app({"DATABASE_URL": env["LEGWORK_DATABASE_URL"], "DATABASE_SCHEMA": env.get("LEGWORK_DATABASE_SCHEMA"),
                      "SECRET_KEY": env["LEGWORK_SECRET_KEY"], "TESTING": True})

    def store(outcomes: list[dict]) -> None:
        with app.app_context(), dbmod.session_scope(app) as session:
            for start in range(0, len(outcomes), 500):
                record_contacts(session, events=outcomes[start:start + 500], actor=Actor(label="loadtest"),
                                settings=settings())
        dbmod.engine_for(app).dispose()
    return store, app


def count_code(env: dict, code: str) -> int:
    from app.db import database_url_from, make_engine

    engine = make_engine(database_url_from(env["LEGWORK_DATABASE_URL"]), schema=env.get("LEGWORK_DATABASE_SCHEMA"))
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text("SELECT count(*) FROM contact_events WHERE code = :c"), {"c": code}).scalar_one()
    finally:
        engine.dispose()


def ids_chunked(session, ids: set[str]) -> set[str]:
    from app.models import ContactEvent

    ids, out = list(ids), set()
    for start in range(0, len(ids), 10000):
        out |= set(session.execute(sa.select(ContactEvent.id).where(ContactEvent.id.in_(ids[start:start + 10000]))).scalars())
    return out
