"""Flask CLI commands (``flask --app app <command>``). Feature commands live beside their
feature in ``commands.py`` and are registered here; each is a thin wrapper over operations."""
from __future__ import annotations

import importlib

import click
from flask import Flask
from flask.cli import with_appcontext

FEATURE_COMMAND_MODULES = (
    "app.auth.commands",
    "app.imports.commands",
    "app.demo.commands",
    "app.demo.commands_logins",
    "app.phonebank.commands",
    "app.ops",
    "app.contacts.commands",
    "app.nearme.commands",
    "app.events.commands",
    "app.training.commands",
    "app.pollingday.commands",
    "app.pollingday.commands_history",
    "app.pollingday.commands_wipe",
    "app.volunteers.commands",
    "app.streets.commands",
)


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create or upgrade the database schema (Alembic migrations)."""
    from flask import current_app

    from .contacts import rebuild_if_stale
    from .db import session_scope, write_transaction
    from .migrate import upgrade
    from .walk_lists.sort_keys import refresh_sort_keys

    upgrade(current_app)
    with session_scope() as session:
        if write_transaction(session, rebuild_if_stale):
            click.echo("Rebuilt the maps' and dashboard's summaries from the contact events already stored.")
        # Lists stored by a version whose natural order differed (or by hand) get today's keys.
        if rekeyed := write_transaction(session, lambda s: refresh_sort_keys(s.connection())):
            click.echo(f"Re-keyed {rekeyed:,} walk lists' names for the list of lists' order.")
    click.echo("Database is up to date.")


@click.command("make-migration")
@click.argument("message")
@with_appcontext
def make_migration_command(message):
    """Autogenerate a migration from the models (developers)."""
    from flask import current_app

    from .migrate import revision

    revision(current_app, message)


def register_commands(app: Flask) -> None:
    app.cli.add_command(init_db_command)
    app.cli.add_command(make_migration_command)
    for name in FEATURE_COMMAND_MODULES:
        module = importlib.import_module(name)
        for command in getattr(module, "commands", []):
            app.cli.add_command(command)
