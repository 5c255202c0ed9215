"""``flask --app app seed-training``: the starter training modules, created where missing."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import session_scope, write_transaction
from .operations import seed_modules


@click.command("seed-training")
@with_appcontext
def seed_training_command():
    """Create the starter training modules that are missing (by slug); never changes existing ones."""
    with session_scope(current_app) as session:
        made = write_transaction(session, seed_modules)
    if made:
        click.echo("Created training modules: " + ", ".join(made) + ".")
    else:
        click.echo("Every starter training module is already there (existing modules are left as they are).")


commands = [seed_training_command]
