"""A made-up statewide campaign (scripts/bench/statewide), built once per session into its own
PostgreSQL database beside the test database, for the query-plan checks."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app import create_app
from werkzeug.security import generate_password_hash

from app import db as dbmod
from tests.conftest import shared_data_dir
from tests.scale.plans import PASSWORD
from tests.support.env import PG_URL

# 60,000 doors: 120,000 people, 480,000 events, 1,250 lists, 240 precincts; about a minute to load
# on a quiet 2-core machine (the tables a page must not scan are then well over 10,000 rows).
HOUSEHOLDS = int(os.environ.get("LEGWORK_SCALE_HOUSEHOLDS", "60000"))
BIG_TABLE_ROWS = 10_000


@pytest.fixture(scope="session")
def statewide_url() -> str:
    if not PG_URL:
        pytest.skip("query plans are PostgreSQL's: set LEGWORK_TEST_DATABASE_URL (CI's PostgreSQL pass runs this)")
    from scripts.bench.statewide.generate import generate

    shared_data = shared_data_dir()
    if not (shared_data / "cambridge-ma" / "addresses.csv").exists():
        reason = f"the Cambridge streets not found at {shared_data} (set LEGWORK_SHARED_DATA)"
        if os.environ.get("LEGWORK_REQUIRE_SHARED_DATA") == "1":
            pytest.fail(reason + "; LEGWORK_REQUIRE_SHARED_DATA=1 makes this a failure")
        pytest.skip(reason)

    given = os.environ.get("LEGWORK_SCALE_DATABASE_URL")  # a campaign generated before (the full state): used as is
    if given:
        if not _loaded(given):
            pytest.fail("LEGWORK_SCALE_DATABASE_URL names no generated campaign")
        return given
    url = make_url(PG_URL)
    url = url.set(database=f"{url.database}_statewide").render_as_string(hide_password=False)
    if not (os.environ.get("LEGWORK_SCALE_REUSE") == "1" and _loaded(url)):  # reuse: developers re-running
        generate(households=HOUSEHOLDS, url=url, seed=1, data=shared_data)
    return url


def _loaded(url: str) -> bool:
    engine = sa.create_engine(dbmod.database_url_from(url))
    try:
        with engine.connect() as conn:
            return bool(conn.execute(sa.text("SELECT count(*) FROM households")).scalar_one())
    except sa.exc.SQLAlchemyError:
        return False
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def statewide_app(statewide_url):
    application = create_app({"SECRET_KEY": "statewide-test", "DATABASE_URL": statewide_url, "TESTING": True,
                              "RATELIMIT_ENABLED": False})
    yield application
    dbmod.engine_for(application).dispose()


@pytest.fixture(scope="session")
def big_tables(statewide_app) -> frozenset[str]:
    """Tables of more than BIG_TABLE_ROWS rows (the planner's own estimate, after ANALYZE)."""
    with dbmod.engine_for(statewide_app).connect() as conn:
        rows = conn.execute(sa.text("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > :n "
                                    "AND relnamespace = 'public'::regnamespace"), {"n": BIG_TABLE_ROWS})
        return frozenset(r[0] for r in rows)


@pytest.fixture(scope="module")
def places(statewide_app) -> dict:
    """Ids the pages are asked about: a ward in the middle, its first precinct and list, and the
    canvasser holding an active list (given a password so the test can sign in as them)."""
    with dbmod.engine_for(statewide_app).begin() as conn:
        ward = conn.execute(sa.text("SELECT id FROM wards ORDER BY id OFFSET (SELECT count(*) / 2 FROM wards) LIMIT 1")).scalar_one()
        hood = conn.execute(sa.text("SELECT min(id) FROM neighbourhoods WHERE ward_id = :w"), {"w": ward}).scalar_one()
        walk = conn.execute(sa.text("SELECT w.id, a.user_id, u.email FROM walk_lists w JOIN assignments a ON "
                                    "a.walk_list_id = w.id AND a.unassigned_at IS NULL JOIN users u ON u.id = a.user_id "
                                    "WHERE w.status = 'active' AND w.ward_id = :w ORDER BY w.id LIMIT 1"), {"w": ward}).one()
        door = conn.execute(sa.text("SELECT household_id FROM walk_list_doors WHERE walk_list_id = :l ORDER BY position "
                                    "LIMIT 1"), {"l": walk.id}).scalar_one()
        conn.execute(sa.text("UPDATE users SET password_hash = :h WHERE id = :u"),
                     {"h": generate_password_hash(PASSWORD), "u": walk.user_id})
    return {"ward": ward, "hood": hood, "list": walk.id, "canvasser": walk.email, "door": door}
