import pytest
import sqlalchemy as sa

from app import create_app
from app import db as dbmod
from app.migrate import upgrade


def test_sqlite_pragmas(tmp_path):
    engine = dbmod.make_engine(f"sqlite:///{tmp_path / 'x.db'}", busy_timeout_ms=1234)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 1234
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


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
