"""A fresh, empty database for every test, without paying for the schema every time.

SQLite: the tables are made once per run in a template file, and each test gets a copy of it (a
file copy is ~1 ms; ``create_all`` of the 72 tables, their indexes and triggers is ~100 ms).
PostgreSQL: the run's schema is made once (``tests/conftest.py``); between tests the rows a test
left are deleted (a TRUNCATE of all 72 tables, each with its indexes, cost 0.15-1.5 s a test, most
of what made the PostgreSQL pass slower than SQLite's), and every id sequence that was used starts
again at 1, as before.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import SQLModel

import app.contacts  # noqa: F401  (registers the coverage triggers that create_all adds to the tables)
from app import db as dbmod


def make_sqlite_template(path: Path) -> Path:
    """Tables, indexes and triggers made as ``dbmod.create_all`` makes them, on an engine with the
    app's pragmas (WAL is kept in the file's header), then closed so the file holds everything."""
    engine = dbmod.make_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()  # the last connection out checkpoints the WAL into the file and removes it
    assert not Path(f"{path}-wal").exists(), "template's WAL not checkpointed"
    return path


def copy_sqlite_template(template: Path, to: Path) -> None:
    shutil.copyfile(template, to)


def empty_pg_schema(engine: sa.Engine) -> None:
    """Every table emptied, every used id sequence reset. Tables are re-created first if any is
    missing (the migration tests drop them all)."""
    tables = SQLModel.metadata.sorted_tables
    with engine.connect() as conn:
        present = set(conn.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").scalars())
    if not {t.name for t in tables} <= present:
        SQLModel.metadata.create_all(engine)
    # DELETE, children before parents, from the tables holding rows (found in one round trip): on
    # tables this small it takes milliseconds, where TRUNCATE makes new files for every table and
    # index it reaches, and its CASCADE reaches nearly all (most tables refer to users or households).
    probe = " UNION ALL ".join(f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")" for t in tables)
    order = {t.name: i for i, t in enumerate(tables)}
    with engine.begin() as conn:
        for _ in range(3):  # again if a trigger wrote while rows went (households' keeps area_coverage)
            used = sorted(conn.exec_driver_sql(probe).scalars(), key=order.__getitem__, reverse=True)
            if not used:
                break
            for name in used:
                conn.exec_driver_sql(f'DELETE FROM "{name}"')
        else:
            raise AssertionError(f"rows keep coming back in {used}")
        # A sequence moves on even when its rows are gone or rolled back: reset each one that moved.
        conn.exec_driver_sql(
            "SELECT setval((quote_ident(schemaname) || '.' || quote_ident(sequencename))::regclass, 1, false) "
            "FROM pg_sequences WHERE schemaname = current_schema() AND last_value IS NOT NULL")
