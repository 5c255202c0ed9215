"""Every write goes through the one retrying write path, ``app.db.write_transaction``.

Two guards: no ``.commit(`` in app code outside app/db.py (a scan), and, at run time, the engine
listener of ``tests/write_guard.py`` that fails any test whose request or command writes outside
a write transaction. These tests check that the guard itself bites."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.db import get_session, write_transaction
from app.models import AuditEntry
from tests.write_guard import WriteOutsideTransaction

APP = Path(__file__).resolve().parents[2] / "app"
COMMIT = re.compile(r"\.commit\(")


def test_no_commit_in_app_code_outside_the_write_path():
    found = [f"{path.relative_to(APP.parent)}:{n}"
             for path in sorted(APP.rglob("*.py")) if path.name != "db.py" and "migrations" not in path.parts
             for n, line in enumerate(path.read_text().splitlines(), 1) if COMMIT.search(line)]
    assert found == [], "commit through app.db.write_transaction instead: " + ", ".join(found)


def _audit(session):
    session.add(AuditEntry(action="test.write", actor_label="guard"))


def test_a_request_that_writes_outside_write_transaction_is_caught(app, write_guard):
    with app.test_request_context("/"):
        session = get_session()
        _audit(session)
        with pytest.raises(WriteOutsideTransaction):
            session.flush()
        session.rollback()
    assert len(write_guard) == 1
    write_guard.clear()  # seen: this test's own violation must not fail it


def test_the_same_write_inside_write_transaction_passes(app, db, write_guard):
    with app.test_request_context("/"):
        write_transaction(get_session(), _audit)
    assert write_guard == []
    assert db.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one() == 1
