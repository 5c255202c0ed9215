"""Test-only guard: app code that writes outside ``app.db.write_transaction`` fails its test.
Production pays nothing: the listeners exist only in the test process.

App code gets its sessions from ``app.db`` (``get_session``, ``session_scope``); for the length of
each test those are of a marked class, and every connection a marked session begins is noted. A
statement that changes rows, sent on such a connection while no write transaction runs (the flag
``write_transaction`` sets), is recorded and raised. Test code (the ``db`` fixture, factories,
seeding) uses plain sessions and is not checked. Writes that bypass SQLAlchemy's statement path
(PostgreSQL COPY in ``imports.bulk``) are not seen; their callers are (they begin with ordinary
statements in the same transaction).
"""
from __future__ import annotations

import weakref

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app import db as dbmod

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "CREATE", "DROP", "ALTER", "TRUNCATE")
violations: list[str] = []
_app_connections: "weakref.WeakSet[sa.Connection]" = weakref.WeakSet()


class WriteOutsideTransaction(AssertionError):
    """App code wrote without ``write_transaction`` (no write lock, no retry on SQLite)."""


class AppSession(Session):
    """The sessions app.db hands out during tests."""


@sa.event.listens_for(AppSession, "after_begin")
def _note(_session, _transaction, connection):
    _app_connections.add(connection)


@sa.event.listens_for(sa.engine.Engine, "before_cursor_execute")
def _check(conn, _cursor, statement, _params, _context, _executemany):
    if dbmod._immediate.get() or conn not in _app_connections:
        return
    text = statement.strip()
    if text and text.split(None, 1)[0].upper() in WRITES:
        violations.append(text[:200])
        raise WriteOutsideTransaction(f"written outside write_transaction: {text[:200]}")


@pytest.fixture(autouse=True)
def write_guard(monkeypatch):
    """Marks app.db's sessions; fails the test if app code wrote outside write_transaction, even
    where the error was caught and turned into a page."""
    monkeypatch.setattr(dbmod, "Session", AppSession)
    violations.clear()
    yield violations
    found, violations[:] = list(violations), []
    assert found == [], f"written outside app.db.write_transaction: {found}"
