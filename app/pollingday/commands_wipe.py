"""CLI: wipe-rehearsal and purge-polling-day (thin wrappers over app.pollingday.wipe)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from ..clock import campaign_today
from ..config import settings
from ..db import session_scope, write_transaction
from ..errors import LegworkError
from ..imports.commands import fail
from .wipe import purge_polling_day, wipe_rehearsal


def _counts(counts: dict) -> str:
    return ", ".join(f"{n} {name.replace('_', ' ')}" for name, n in counts.items())


@click.command("wipe-rehearsal")
@click.argument("election_id", type=click.IntRange(1, 2**31 - 1))
@with_appcontext
def wipe_rehearsal_command(election_id):
    """Delete a rehearsal's tellings, strike-off, lifts and knock-up rounds with their lists and
    door knocks, and rebuild what was derived from them. Refused for a real election."""
    try:
        with session_scope(current_app) as session:
            counts = write_transaction(session, lambda s: wipe_rehearsal(s, election_id=election_id, actor_label="cli"))
    except LegworkError as err:
        fail(err)
    click.echo(f"Wiped rehearsal {election_id}: {_counts(counts)}.")


@click.command("purge-polling-day")
@click.option("--dry-run", is_flag=True, help="Say what would be deleted; delete nothing.")
@with_appcontext
def purge_polling_day_command(dry_run):
    """Delete the polling-day data (tellings, strike-off, lifts, knock-up) of every election whose
    purge date has passed. Safe to run again: run it daily (cron or a systemd timer)."""
    today = campaign_today()
    with session_scope(current_app) as session:
        if dry_run:
            done = purge_polling_day(session, today=today, settings=settings(), dry_run=True)
            session.rollback()
        else:
            done = write_transaction(session, lambda s: purge_polling_day(s, today=today, settings=settings()))
    for purged in done:
        verb = "Would wipe" if dry_run else "Wiped"
        click.echo(f"{verb} election {purged.election_id} ({purged.name}, purge date {purged.purge_date}): "
                   f"{_counts(purged.counts)}.")
    if not done:
        click.echo(f"No election's polling-day data is due for purging (today is {today}).")


commands = [wipe_rehearsal_command, purge_polling_day_command]
