"""Nothing lost under faults: the server is killed with SIGKILL mid reconnect storm and
restarted; phones retry; afterwards the database holds every outcome exactly once."""
from __future__ import annotations

import collections
import time
import uuid

import pytest
import sqlalchemy as sa

from tests.support.env import PG_URL
from tests.reliability.harness import storm, stuck_report, wait_until_acked
from tests.support.gunicorn import Server, seed, server_env, stored_ids

pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path):
    if PG_URL:
        from app import db as dbmod

        schema = "f_" + uuid.uuid4().hex[:12]
        admin = sa.create_engine(dbmod.database_url_from(PG_URL), pool_pre_ping=True)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        yield server_env(PG_URL, schema)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()
    else:
        yield server_env(f"sqlite:///{tmp_path / 'fault.db'}")


def test_kill_9_mid_storm_loses_nothing_and_duplicates_nothing(env):
    specs = seed(env, phones=12, doors=5)
    server = Server(env)
    server.start()
    kills = []

    def fault(phones):
        # once the storm is under way (a tenth answered), kill master and workers without
        # warning, then restart
        wait_until_acked(phones, 12 * 80 // 10)
        server.kill()  # returns once no process of the old server is left
        kills.append(time.monotonic())
        server.start()

    try:
        phones = storm(server.url, specs, per_phone=80, seconds=90, fault=fault)
    finally:
        server.stop()
    sent = {o for p in phones for o in p.acked}
    expected = 12 * 80
    ids = stored_ids(env)
    counts = collections.Counter(ids)
    assert kills, "the server was never killed"
    assert all(not p.outbox for p in phones), stuck_report(phones, server)
    assert len(sent) == expected
    assert set(ids) == sent, f"lost {len(sent - set(ids))}, unexpected {len(set(ids) - sent)}"
    assert max(counts.values()) == 1  # the primary key makes this certain; checked all the same
    assert sum(p.retries for p in phones) > 0, "the fault never hit a request: the test proved nothing"


def test_concurrent_writers_in_several_workers_never_show_a_volunteer_an_error(env):
    """SQLite: three gunicorn workers writing at once queue on the busy timeout and the write
    lock; no 'database is locked' (or any 5xx) reaches a phone. PostgreSQL: the same load."""
    specs = seed(env, phones=24, doors=5)
    server = Server(env, workers=3, threads=4)
    server.start()
    try:
        phones = storm(server.url, specs, per_phone=25, seconds=90)
    finally:
        server.stop()
    errors = [e for p in phones for e in p.server_errors]
    assert errors == []
    assert all(not p.outbox for p in phones), stuck_report(phones, server)
    assert len(set(stored_ids(env))) == 24 * 25


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL only (LEGWORK_TEST_DATABASE_URL)")
def test_app_survives_a_postgresql_restart_mid_load(env):
    import os

    if os.geteuid() != 0:
        pytest.skip("restarting the PostgreSQL cluster needs root")
    from tests.support.gunicorn import checkpoint_postgresql, restart_postgresql

    specs = seed(env, phones=12, doors=5)
    checkpoint_postgresql(PG_URL)
    server = Server(env)
    server.start()
    restarted = []

    def fault(phones):
        wait_until_acked(phones, 12 * 120 // 10)
        restart_postgresql()
        restarted.append(True)

    try:
        phones = storm(server.url, specs, per_phone=120, seconds=180, fault=fault)
    finally:
        server.stop()
    sent = {o for p in phones for o in p.acked}
    ids = stored_ids(env)
    assert restarted
    assert all(not p.outbox for p in phones), stuck_report(phones, server)
    assert len(ids) == len(set(ids)) == len(sent) == 12 * 120
    assert sum(p.retries for p in phones) > 0, "the restart never hit a request: the test proved nothing"
