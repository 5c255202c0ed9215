"""``flask export-volunteer USER_ID``: a volunteer's subject-access answer (export-person is a
voter's). Each feature that holds something about a volunteer gives its own part."""
from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from ..audit import audit
from ..db import session_scope, write_transaction
from ..errors import NotFound
from ..nearme.privacy import export_walks
from ..recruiting.privacy import export_volunteer
from ..relational.privacy import volunteer_entries


@click.command("export-volunteer")
@click.argument("user_id", type=click.IntRange(1, 2**63 - 1))
@with_appcontext
def export_volunteer_command(user_id):
    """Print everything held about one volunteer as JSON: account, sign-up, recruiting, the people
    they listed, their self-serve lists and shared positions."""
    with session_scope() as session:
        try:
            data = export_volunteer(session, user_id=user_id)
        except NotFound as err:
            raise click.ClickException(err.message) from None
        data["people_you_know"] = volunteer_entries(session, user_id=user_id)
        data["canvass_near_me"] = export_walks(session, user_id=user_id)
        session.rollback()
        write_transaction(session, lambda s: audit(s, action="export.volunteer", actor_label="cli",
                                                   target=f"user:{user_id}"))
    click.echo(json.dumps(data, indent=2, default=str))


commands = [export_volunteer_command]
