"""The write path's command: ``flask --app app rebuild-summary``."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from .summary import rebuild_summary


@click.command("rebuild-summary")
@with_appcontext
def rebuild_summary_command():
    """Recompute the per-household contact summary (maps) and the activity rollups (dashboard) from all contact events."""
    from ..db import session_scope, write_transaction

    with session_scope() as session:
        count = write_transaction(session, rebuild_summary)
    click.echo(f"Rebuilt the contact summary: {count} households with outcomes.")


commands = [rebuild_summary_command]
