"""``flask --app app create-user`` and ``set-roles``: accounts from the command line (the first
organiser of a new campaign is made this way)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..db import session_scope, write_transaction
from ..errors import LegworkError
from ..models import ROLES
from . import operations as ops

_role_option = click.option("--role", "roles", multiple=True, required=True, type=click.Choice(ROLES),
                            help="A role to give; repeat for several.")


@click.command("create-user")
@click.argument("email")
@_role_option
@click.option("--password", help="The password (at least 10 characters). Prompted for when left out.")
@click.option("--name", default="", help="The person's name.")
@with_appcontext
def create_user_command(email, roles, password, name):
    """Create an account with one or more roles."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        with session_scope(current_app) as session:
            user = write_transaction(session, lambda s: ops.create_user(s, email=email, roles=roles,
                                                                        password=password, name=name))
            summary = f"Created {user.email} ({user.roles})."
    except LegworkError as err:
        raise click.ClickException(err.message) from None
    click.echo(summary)


@click.command("set-roles")
@click.argument("email")
@_role_option
@with_appcontext
def set_roles_command(email, roles):
    """Replace an account's roles."""
    try:
        with session_scope(current_app) as session:
            user = write_transaction(session, lambda s: _set_roles(s, email=email, roles=roles))
            summary = f"{user.email} now has roles: {user.roles}."
    except LegworkError as err:
        raise click.ClickException(err.message) from None
    click.echo(summary)


def _set_roles(session, *, email: str, roles):
    user = ops.user_by_email(session, email=email)
    if user is None:
        raise click.ClickException(f"There is no account for {ops.normalise_email(email)}.")
    return ops.set_roles(session, user=user, roles=roles, actor_label="cli")


commands = [create_user_command, set_roles_command]
