import sqlite3

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app import create_app
from app import db as dbmod
from app.migrate import upgrade


def test_sqlite_pragmas(tmp_path):
    engine = dbmod.make_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout_ms=1234, pool_size=8)
    assert engine.pool.size() == 8  # as many as the server's threads: no overflow connections opened per burst
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_size_limit").scalar() == 64 * 1024 * 1024


def test_sqlite_wal_file_shrinks_back_after_a_reader_held_it(tmp_path):
    """A long reader stops checkpoints from catching up, so the -wal file grows; once it is gone,
    the next writes cut the file back to the limit instead of keeping its high-water mark."""
    path = tmp_path / "x.db"
    engine = dbmod.make_engine(f"sqlite:///{path}", wal_size_limit=64 * 1024)
    wal = tmp_path / "x.db-wal"
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x BLOB)")

    def write(rows: int) -> None:
        for _ in range(rows):
            with engine.begin() as conn:
                conn.exec_driver_sql("INSERT INTO t VALUES (randomblob(500))")

    with engine.connect() as reader:
        reader.exec_driver_sql("SELECT count(*) FROM t").all()  # holds its snapshot (BEGIN) until closed
        write(3000)
        grown = wal.stat().st_size
    write(1200)
    assert grown > 8 * 1024 * 1024
    assert wal.stat().st_size < grown / 4


def test_default_database_is_sqlite_under_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("LEGWORK_DATABASE_URL", raising=False)
    app = create_app({"TESTING": True, "DATABASE_URL": ""})
    assert dbmod.database_url(app).startswith("sqlite:///")
    assert dbmod.database_url(app).endswith("instance/legwork.db")


@pytest.mark.parametrize("url, expected", [
    ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
    ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
    ("sqlite:///x.db", "sqlite:///x.db"),
])
def test_database_url_normalised(url, expected):
    assert dbmod.database_url_from(url) == expected


def test_migrations_build_the_same_schema_as_the_models(app):
    """A model change without a migration fails here (alembic's autogenerate finds a diff)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    engine = dbmod.engine_for(app)
    dbmod.drop_all(app)
    try:
        upgrade(app)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}),
                                    SQLModel.metadata)
            assert sa.inspect(conn).has_table("contact_events")
        assert diff == []
    finally:
        # leave the tables as the models make them: on PostgreSQL the schema outlives this test
        dbmod.drop_all(app)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        dbmod.create_all(app)


@pytest.mark.parametrize("key, value, message", [
    ("SQLITE_WAL_SIZE_LIMIT", "lots", "sqlite_wal_size_limit must be a whole number of at least 0, not 'lots'"),
    ("SQLITE_WAL_SIZE_LIMIT", -1, "sqlite_wal_size_limit must be a whole number of at least 0, not -1"),
    ("SQLITE_BUSY_TIMEOUT_MS", 2.5, "sqlite_busy_timeout_ms must be a whole number of at least 0, not 2.5"),
    ("DATABASE_POOL_SIZE", 0, "database_pool_size must be a whole number of at least 1, not 0"),
    ("DATABASE_POOL_SIZE", True, "database_pool_size must be a whole number of at least 1, not True"),
])
def test_bad_database_settings_refuse_to_start(tmp_path, key, value, message):
    from app.config import ConfigError

    with pytest.raises(ConfigError) as err:
        create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", key: value})
    assert str(err.value) == message


def test_a_write_that_cannot_get_the_lock_fails_as_sqlalchemy_error_after_retries(tmp_path):
    """BEGIN IMMEDIATE goes straight to the driver; its "database is locked" must still be the
    SQLAlchemy error that write_transaction retries and then raises."""
    path = tmp_path / "x.db"
    engine = dbmod.make_engine(f"sqlite:///{path}", busy_timeout_ms=50)
    engine.connect().close()  # the pool's connection is open (WAL set) before the other writer starts
    other = sqlite3.connect(path, isolation_level=None)  # a writer outside Legwork's file lock
    other.execute("BEGIN IMMEDIATE")
    try:
        with Session(engine) as session, pytest.raises(sa.exc.OperationalError, match="database is locked"):
            dbmod.write_transaction(session, lambda s: s.connection(), attempts=2)
    finally:
        other.rollback()
        other.close()
    with Session(engine) as session:  # and once the other writer is gone, it goes through
        assert dbmod.write_transaction(session, lambda s: s.connection().exec_driver_sql("SELECT 1").scalar()) == 1


def test_a_failing_statement_keeps_its_values_out_of_the_error(app, db):
    """Errors are logged (a 500's traceback): their text must not carry a note or a place."""
    secret = "Ask Mrs Example about her eviction"
    with pytest.raises(sa.exc.IntegrityError) as failed:
        db.connection().execute(sa.text(
            "INSERT INTO contact_events (id, channel, code, household_id, recorded_at, received_at, notes, lat, lon)"
            " VALUES (:id, 'door', 'spoke', 987654, '2026-11-01', '2026-11-01', :notes, :lat, :lon)"),
            {"id": "00000000-0000-4000-8000-000000000001", "notes": secret, "lat": 42.123456, "lon": -71.654321})
    db.rollback()
    assert secret not in str(failed.value) and "42.123456" not in str(failed.value)
