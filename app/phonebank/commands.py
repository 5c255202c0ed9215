"""Phone-bank commands: ``flask --app app phonebank-expire-claims`` (for cron) and
``phonebank-make-sheets`` (sheets, optionally straight into the live queue, without the browser)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..config import settings
from ..db import session_scope, write_transaction
from ..errors import LegworkError
from ..models import utcnow
from ..params import MAX_ID
from . import operations, queue
from .selection import CRITERIA, PRIORITIES


@click.command("phonebank-expire-claims")
@with_appcontext
def expire_claims_command():
    """Return claims older than phonebank.claim_minutes to the queue (claiming also takes them over)."""
    with session_scope(current_app) as session:
        count = write_transaction(session, lambda s: queue.expire_claims(s, now=utcnow()))
    click.echo(f"Returned {count} expired claim{'s' if count != 1 else ''} to the queue.")


@click.command("phonebank-make-sheets")
@click.argument("scope")
@click.option("--criteria", type=click.Choice(list(CRITERIA)), default="all", show_default=True)
@click.option("--priority", type=click.Choice(list(PRIORITIES)), default="not_home_first", show_default=True)
@click.option("--size", "sheet_size", type=int, default=None, help="Numbers per sheet [config: phonebank.sheet_size]")
@click.option("--queue", "to_queue", is_flag=True, help="Also put the sheets into the live queue.")
@click.option("--universe", "universe_id", type=click.IntRange(1, MAX_ID), default=None,
              help="Only the people of this universe (its id: /organiser/universes).")
@with_appcontext
def make_sheets_command(scope, criteria, priority, sheet_size, to_queue, universe_id):
    """Make call sheets for SCOPE: ward:<id>, neighbourhood:<id> or list:<id>."""
    size = sheet_size or settings().phonebank.sheet_size
    try:
        with session_scope(current_app) as session:
            def work(s):
                sheets = operations.make_call_sheets(s, scope=scope, criteria=criteria, priority=priority,
                                                     sheet_size=size, actor_user_id=None, settings=settings(),
                                                     universe_id=universe_id)
                queued = sum(operations.enqueue_sheet(s, sheet_id=sheet.id, actor_user_id=None,
                                                      settings=settings()) for sheet in sheets) if to_queue else 0
                return [sheet.name for sheet in sheets], queued

            names, queued = write_transaction(session, work)
    except LegworkError as err:
        raise click.ClickException(err.message) from None
    for name in names:
        click.echo(name)
    click.echo(f"Made {len(names)} sheet(s)" + (f"; {queued} numbers queued." if to_queue else "."))


commands = [expire_claims_command, make_sheets_command]
