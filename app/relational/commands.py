"""People you know on the command line: a volunteer's subject-access export."""
from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from ..audit import audit
from ..db import session_scope, write_transaction
from ..models import User
from ..params import MAX_ID
from .privacy import volunteer_entries


@click.command("export-volunteer")
@click.argument("user_id", type=int)
@with_appcontext
def export_volunteer_command(user_id):
    """Print a volunteer's account and the people they listed as JSON (subject-access request)."""
    with session_scope() as session:
        user = session.get(User, user_id) if 0 < user_id <= MAX_ID else None
        if user is None:
            raise click.ClickException(f"no volunteer with id {user_id}")
        data = {"account": user.model_dump(include={"email", "name", "phone", "roles", "created_at", "last_login_at"}),
                "people_you_know": volunteer_entries(session, user_id=user_id)}
        write_transaction(session, lambda s: audit(s, action="export.volunteer", actor_label="cli",
                                                   target=f"user:{user_id}"))
    click.echo(json.dumps(data, indent=2, default=str))


commands = [export_volunteer_command]
