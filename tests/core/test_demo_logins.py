"""``flask demo-logins``: the logins it prints always sign in, whatever happened to the file or
the database since the demo was built; passwords that still work are kept."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.auth import operations as auth_ops
from app.db import write_transaction
from app.demo.commands import DEMO_USERS
from app.models import AuditEntry, User
from tests.support.web import AuthActions

EMAILS = {email for email, _, _ in DEMO_USERS}


def logins(output: str) -> dict[str, str]:
    return dict(re.findall(r"(\S+@demo\.legwork)\s+password: (\S+)", output))


@pytest.fixture
def built(runner, app, db):
    result = runner.invoke(args=["demo", "--households", "60", "--seed", "3"])
    assert result.exit_code == 0, result.output
    return Path(app.instance_path) / "demo-logins.txt", logins(result.output)


def _every_login_signs_in(app, make_user, printed: dict[str, str]) -> None:
    assert set(printed) == EMAILS
    for email, password in printed.items():
        response = AuthActions(app.test_client(), make_user).login(email, password)
        assert response.status_code == 302, (email, response.get_data(as_text=True)[:200])


def test_untouched_logins_are_printed_as_they_are(built, runner, app, make_user, db):
    path, original = built
    result = runner.invoke(args=["demo-logins"])
    assert result.exit_code == 0 and logins(result.output) == original
    assert "New passwords" not in result.output
    assert db.execute(sa.select(AuditEntry).where(AuditEntry.action == "demo.logins_reset")).first() is None
    _every_login_signs_in(app, make_user, logins(result.output))


def test_a_tampered_file_and_database_are_mended(built, runner, app, make_user, db):
    path, original = built
    # The file: one password wrong, one account missing; the database: one password changed.
    text = path.read_text().replace(original["caller@demo.legwork"], "not-the-password")
    path.write_text("\n".join(line for line in text.splitlines() if "teller@" not in line) + "\n")
    canvasser = db.execute(sa.select(User).where(User.email == "canvasser@demo.legwork")).scalar_one()
    write_transaction(db, lambda s: setattr(s.merge(canvasser), "password_hash", auth_ops.hash_password("changed-1234")))

    result = runner.invoke(args=["demo-logins"])
    assert result.exit_code == 0, result.output
    printed = logins(result.output)
    reset = {"caller@demo.legwork", "teller@demo.legwork", "canvasser@demo.legwork"}
    assert {e: p for e, p in printed.items() if e not in reset} == {e: p for e, p in original.items() if e not in reset}
    assert all(printed[e] != original[e] for e in reset)
    assert "New passwords for canvasser@demo.legwork, caller@demo.legwork, teller@demo.legwork" in result.output
    assert logins(path.read_text()) == printed and path.stat().st_mode & 0o777 == 0o600
    db.rollback()
    [entry] = db.execute(sa.select(AuditEntry).where(AuditEntry.action == "demo.logins_reset")).scalars().all()
    assert set(json.loads(entry.detail)["reset"]) == reset
    _every_login_signs_in(app, make_user, printed)


def test_a_missing_file_is_written_again(built, runner, app, make_user):
    path, _ = built
    path.unlink()
    result = runner.invoke(args=["demo-logins"])
    assert result.exit_code == 0 and logins(path.read_text()) == logins(result.output)
    _every_login_signs_in(app, make_user, logins(result.output))


def test_a_database_without_the_demo_gets_no_demo_accounts(runner, app, db):
    """A real campaign's database (or a fresh one): nothing is created, and a stale file goes."""
    path = Path(app.instance_path) / "demo-logins.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("  organiser@demo.legwork   password: from-another-database\n")
    result = runner.invoke(args=["demo-logins"])
    assert result.exit_code == 0 and "No demo logins in this database" in result.output
    assert not path.exists() and logins(result.output) == {}
    assert db.execute(sa.select(sa.func.count()).select_from(User)).scalar_one() == 0


def test_a_deactivated_demo_account_is_not_printed_as_a_login(built, runner, db):
    driver = db.execute(sa.select(User).where(User.email == "driver@demo.legwork")).scalar_one()
    write_transaction(db, lambda s: setattr(s.merge(driver), "is_active", False))
    result = runner.invoke(args=["demo-logins"])
    assert "driver@demo.legwork" not in logins(result.output)
    assert "Deactivated by an organiser (reactivate at /organiser/volunteers): driver@demo.legwork" in result.output


def test_a_database_without_tables_is_explained(runner, app):
    from app.db import drop_all

    drop_all(app)
    result = runner.invoke(args=["demo-logins"])
    assert result.exit_code == 1 and "run flask --app app init-db first" in result.output
