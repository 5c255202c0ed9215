"""``flask export-volunteer USER_ID``: a volunteer's subject-access answer (export-person is a
voter's)."""
from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from ..audit import audit
from ..db import session_scope, write_transaction
from ..errors import NotFound
from .privacy import export_volunteer


@click.command("export-volunteer")
@click.argument("user_id", type=click.IntRange(1, 2**63 - 1))
@with_appcontext
def export_volunteer_command(user_id):
    """Print everything held about one volunteer's account and recruiting as JSON."""
    with session_scope() as session:
        try:
            data = export_volunteer(session, user_id=user_id)
        except NotFound as err:
            raise click.ClickException(err.message) from None
        session.rollback()
        write_transaction(session, lambda s: audit(s, action="export.volunteer", actor_label="cli",
                                                   target=f"user:{user_id}"))
    click.echo(json.dumps(data, indent=2, default=str))


commands = [export_volunteer_command]
