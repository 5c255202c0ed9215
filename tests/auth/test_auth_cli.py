"""create-user and set-roles on the command line."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from app.models import AuditEntry, User

GOOD = "a fine password"


def users(db):
    db.rollback()  # end any read transaction, then forget what was loaded
    db.expire_all()
    return {u.email: u for u in db.exec(sa.select(User)).scalars()}


def test_create_user_with_several_roles(runner, db):
    result = runner.invoke(args=["create-user", "Boss@Example.org", "--role", "organiser", "--role", "caller",
                                 "--password", GOOD, "--name", "Boss"])
    assert result.exit_code == 0, result.output
    user = users(db)["boss@example.org"]
    assert (user.roles, user.name) == ("organiser caller", "Boss")
    assert check_password_hash(user.password_hash, GOOD) and user.password_hash.startswith("scrypt:")
    assert db.exec(sa.select(AuditEntry.action)).scalars().all() == ["user.create"]


def test_create_user_prompts_for_password(runner, db):
    result = runner.invoke(args=["create-user", "p@example.org", "--role", "canvasser"], input=f"{GOOD}\n{GOOD}\n")
    assert result.exit_code == 0, result.output
    assert check_password_hash(users(db)["p@example.org"].password_hash, GOOD)


@pytest.mark.parametrize("args, message", [
    (["x@example.org", "--role", "admin", "--password", GOOD], "'admin' is not one of 'organiser', 'canvasser', 'caller'"),
    (["x@example.org", "--password", GOOD], "Missing option '--role'"),
    (["x@example.org", "--role", "caller", "--password", "short"], "at least 10 characters"),
    (["not-an-email", "--role", "caller", "--password", GOOD], "is not an email address"),
    (["taken@example.org", "--role", "caller", "--password", GOOD], "already has an account"),
])
def test_create_user_refuses_bad_input(runner, db, make_user, args, message):
    make_user(email="taken@example.org")
    result = runner.invoke(args=["create-user", *args])
    assert result.exit_code != 0
    assert message in result.output
    assert set(users(db)) == {"taken@example.org"}


def test_set_roles(runner, db, make_user):
    make_user(email="a@example.org", roles="organiser")
    make_user(email="v@example.org", roles="canvasser")
    result = runner.invoke(args=["set-roles", "V@example.org", "--role", "caller", "--role", "canvasser"])
    assert result.exit_code == 0, result.output
    assert users(db)["v@example.org"].roles == "canvasser caller"
    assert db.exec(sa.select(AuditEntry.action)).scalars().all() == ["role.change"]


@pytest.mark.parametrize("email, roles, message", [
    ("nobody@example.org", ["caller"], "There is no account for nobody@example.org"),
    ("a@example.org", ["caller"], "last active organiser"),
    ("a@example.org", ["boss"], "'boss' is not one of"),
])
def test_set_roles_refuses(runner, db, make_user, email, roles, message):
    make_user(email="a@example.org", roles="organiser")
    result = runner.invoke(args=["set-roles", email, *[x for r in roles for x in ("--role", r)]])
    assert result.exit_code != 0 and message in result.output
    assert users(db)["a@example.org"].roles == "organiser"
