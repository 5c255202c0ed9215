"""The reliability tests' real servers: Debian's nginx (or a skip with the reason), and a database
for a gunicorn started outside the test process (a PostgreSQL schema of its own, or SQLite)."""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from tests.reliability.slowloris import find_nginx
from tests.support.env import PG_URL
from tests.support.gunicorn import server_env


@pytest.fixture
def nginx():
    found = find_nginx()
    if not found:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: scripts/test installs it (apt-get install nginx)")
        pytest.skip("nginx is not installed (apt-get install nginx; scripts/test installs it)")
    return found


@pytest.fixture
def env(tmp_path):
    from app import create_app, db as dbmod

    schema = None
    if PG_URL:
        schema = "s_" + uuid.uuid4().hex[:12]
        admin = sa.create_engine(dbmod.database_url_from(PG_URL))
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    env = server_env(PG_URL or f"sqlite:///{tmp_path / 'slow.db'}", schema)
    app = create_app({"TESTING": True, "DATABASE_URL": env["LEGWORK_DATABASE_URL"], "DATABASE_SCHEMA": schema})
    dbmod.create_all(app)
    dbmod.engine_for(app).dispose()
    yield env
    if PG_URL:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
