"""``flask --app app demo-logins``: print demo logins that work, checked against the database.

``instance/demo-logins.txt`` is written when a demo is built; the database can change under it
(another ``--data`` run, a database from elsewhere, a demo user who changed their password), and
``scripts/run`` used to print the file as it stood. This checks each printed password against the
account's hash, gives a new password only to the demo accounts whose printed one no longer works
(or that the file lacks), rewrites the file and prints it. Accounts that are not in the database
are never created here: a real campaign's database gets no demo organiser by this command.
"""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session
from werkzeug.security import check_password_hash

from ..audit import audit
from ..auth import operations as auth_ops
from ..db import session_scope, write_transaction
from .commands import DEMO_USERS, LOGINS_FILE, logins_text

LINE = re.compile(r"^\s*(\S+@\S+)\s+password:\s+(\S+)\s*$")


def read_logins(path: Path) -> dict[str, str]:
    """{email: password} from a logins file; an absent or unreadable file holds none."""
    try:
        text = path.read_text()
    except (OSError, UnicodeDecodeError):
        return {}
    return {m.group(1): m.group(2) for m in map(LINE.match, text.splitlines()) if m}


def _works(user, password: str | None) -> bool:
    return bool(password and user.password_hash and check_password_hash(user.password_hash, password))


def _demo_accounts(session: Session) -> list:
    return [u for u in (auth_ops.user_by_email(session, email=email) for email, _, _ in DEMO_USERS) if u is not None]


def stale_logins(session: Session, *, printed: dict[str, str]) -> list[str]:
    """The demo accounts in the database whose printed password does not sign in (reads only)."""
    return [u.email for u in _demo_accounts(session) if not _works(u, printed.get(u.email))]


def refresh_logins(session: Session, *, printed: dict[str, str]) -> tuple[list[tuple[str, str, object]], list[str]]:
    """Run in write_transaction: ([(email, password, user)] for every demo account in the database,
    the emails given a new password). Passwords that work are kept."""
    logins, reset = [], []
    for user in _demo_accounts(session):
        password = printed.get(user.email)
        if not _works(user, password):
            password = secrets.token_urlsafe(9)
            user.password_hash = auth_ops.hash_password(password)
            session.add(user)
            reset.append(user.email)
        logins.append((user.email, password, user))
    if reset:
        audit(session, action="demo.logins_reset", actor_label="demo", detail={"reset": reset})
    return logins, reset


def save_logins(path: Path, logins: list[tuple[str, str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(logins_text(logins))
    os.chmod(path, 0o600)


@click.command("demo-logins")
@with_appcontext
def demo_logins_command():
    """Print the demo logins, after checking each against the database (fixing those that fail)."""
    path = Path(current_app.instance_path) / LOGINS_FILE
    printed = read_logins(path)
    try:
        logins, reset, off = _check(printed)
    except (sa.exc.OperationalError, sa.exc.ProgrammingError) as err:
        text = str(getattr(err, "orig", err))
        if "no such table" not in text and "does not exist" not in text:
            raise
        raise click.ClickException("The database has no tables yet: run flask --app app init-db first.") from None
    if not logins:
        path.unlink(missing_ok=True)  # logins for some other database: they would not work here
        click.echo("No demo logins in this database; make an account with:\n"
                   "  flask --app app create-user you@example.org --role organiser")
        return
    save_logins(path, logins)
    if reset:
        click.echo(f"New passwords for {', '.join(reset)} (the ones on record no longer matched the database).")
    click.echo(f"Demo logins (checked against the database; also in instance/{LOGINS_FILE}):")
    click.echo(logins_text([login for login in logins if login[0] not in off]), nl=False)
    if off:
        click.echo(f"Deactivated by an organiser (reactivate at /organiser/volunteers): {', '.join(off)}")


def _check(printed: dict[str, str]) -> tuple[list, list[str], list[str]]:
    with session_scope(current_app) as session:
        if stale_logins(session, printed=printed):
            logins, reset = write_transaction(session, lambda s: refresh_logins(s, printed=printed))
        else:
            logins, reset = [(u.email, printed[u.email], u) for u in _demo_accounts(session)], []
        off = [email for email, _, user in logins if not user.is_active]  # read before the session ends
        session.rollback()
    return logins, reset, off


commands = [demo_logins_command]
