"""Every write goes through the one retrying write path, ``app.db.write_transaction``.

Two guards: no ``.commit(`` in app code outside app/db.py (a scan), and, at run time, the engine
listener of ``tests/support/write_guard.py`` that fails any test whose request or command writes
outside a write transaction. These tests check that the guard itself bites."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.db import get_session, write_transaction
from app.models import AuditEntry
from tests.support.write_guard import WriteOutsideTransaction

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


def _locked_once(real):
    """``real``, except that its first run (after doing its work) ends in SQLite's lock error, as a
    write that lost the race does: write_transaction rolls back and runs it again."""
    calls = []

    def wrapper(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            raise sa.exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
        return result

    return wrapper, calls


def test_an_address_upload_whose_write_is_retried_imports_the_whole_file(client, auth, db, monkeypatch):
    """The upload is read once, before the write: a retried import reads the file again from the
    start (a stream handed to the first try would be empty the second time)."""
    from app.organiser import views_imports
    from app.models import Household
    from tests.support.imports import CAMBRIDGE_STYLE, post_addresses

    wrapper, calls = _locked_once(views_imports.import_addresses)
    monkeypatch.setattr(views_imports, "import_addresses", wrapper)
    auth.login_as("organiser")
    csv_text = CAMBRIDGE_STYLE + "1,10,,Elm St,P1,B1,-71.115,42.365\n2,12,A,Elm St,P2,B2,-71.116,42.366\n"
    response = post_addresses(client, auth, csv_text)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert len(calls) == 2  # the first try was rolled back and run again
    assert db.execute(sa.select(sa.func.count()).select_from(Household)).scalar_one() == 2


def test_a_logout_whose_write_is_retried_signs_out_and_audits_once(client, auth, db, monkeypatch):
    from app.auth import operations as auth_ops

    wrapper, calls = _locked_once(auth_ops.record_sign_out)
    monkeypatch.setattr(auth_ops, "record_sign_out", wrapper)
    auth.login_as("organiser")
    assert auth.logout().status_code == 302
    assert len(calls) == 2
    assert db.execute(sa.select(sa.func.count()).select_from(AuditEntry)
                      .where(AuditEntry.action == "auth.logout")).scalar_one() == 1
    assert client.get("/organiser/volunteers").status_code in (302, 401)


def test_a_refused_write_is_rolled_back_at_once(app, db):
    """A domain refusal inside write_transaction ends the write transaction there and then: on
    SQLite it would otherwise keep the database's write lock until the request ended."""
    from app.errors import ValidationError

    def refuse(session):
        _audit(session)
        session.flush()
        raise ValidationError("no")

    with app.test_request_context("/"):
        session = get_session()
        with pytest.raises(ValidationError):
            write_transaction(session, refuse)
        assert not session.in_transaction()
    assert db.execute(sa.select(sa.func.count()).select_from(AuditEntry)).scalar_one() == 0
