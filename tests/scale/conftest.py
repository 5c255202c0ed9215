"""A made-up statewide campaign (scripts/bench/statewide), built once per session into its own
PostgreSQL database beside the test database, for the query-plan checks."""
from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app import create_app
from app import db as dbmod
from tests.conftest import shared_data_dir
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
