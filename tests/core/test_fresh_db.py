"""Each test's database starts empty with the whole schema, however it is made (tests/support/fresh_db.py):
the SQLite template copy holds what create_all makes, and PostgreSQL's emptying leaves no row and no
moved id sequence behind."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel

from app import db as dbmod
from app.models import Household, User
from tests.support.fresh_db import empty_pg_schema


def _schema(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"))


def test_the_sqlite_copy_is_what_create_all_makes(app, tmp_path):
    engine = dbmod.engine_for(app)
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's template (PostgreSQL's schema is made by create_all itself)")
    fresh = dbmod.make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    SQLModel.metadata.create_all(fresh)
    try:
        made = _schema(fresh)
        assert any(kind == "trigger" for kind, _, _ in made)  # the coverage triggers come with it
        assert _schema(engine) == made
    finally:
        fresh.dispose()
    with engine.connect() as conn:
        assert [t.name for t in SQLModel.metadata.sorted_tables
                if conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()] == []


def test_emptying_postgresql_leaves_no_rows_and_restarts_ids(app):
    engine = dbmod.engine_for(app)
    if engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's emptying (SQLite gets a new file)")
    with engine.begin() as conn:
        conn.execute(sa.insert(User.__table__), [{"email": f"{n}@example.org", "roles": "canvasser"} for n in range(3)])
        conn.execute(sa.insert(Household.__table__), [{"street": "Elm St"}])
        conn.execute(sa.delete(Household.__table__))  # the table is empty again, its sequence has moved
    with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:  # a rolled-back insert moves one too
        conn.execute(sa.insert(Household.__table__), [{"street": "Elm St"}])
        conn.exec_driver_sql("SELECT 1/0")
    empty_pg_schema(engine)
    with engine.begin() as conn:
        assert [t.name for t in SQLModel.metadata.sorted_tables
                if conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()] == []
        ids = [conn.execute(sa.insert(table).returning(table.c.id), [row]).scalar_one()
               for table, row in ((User.__table__, {"email": "a@example.org", "roles": "canvasser"}),
                                  (Household.__table__, {"street": "Elm St"}))]
        triggers = conn.exec_driver_sql("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'households_coverage_%%' "
                                        "AND tgrelid = 'households'::regclass").scalar_one()
    assert ids == [1, 1]
    assert triggers == 3  # made with the run's schema, whatever the first test imported
    empty_pg_schema(engine)
