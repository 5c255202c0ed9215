"""``flask send-reminders``: run from cron (every 15 minutes); sends only what is due and unsent."""
from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("send-reminders")
@with_appcontext
def send_reminders_command():
    """Email (and, with Twilio set up, text) going volunteers before their events."""
    from ..config import settings
    from ..db import session_scope
    from .reminders import send_reminders

    if not settings().volunteers.public_base_url:
        click.echo("Note: [volunteers] public_base_url is empty; links in reminders point at localhost.", err=True)
    with session_scope() as session:
        tallies = send_reminders(session)
    for channel, tally in tallies.items():
        click.echo(f"{channel}: {tally.sent} sent, {tally.failed} failed")
        for line in tally.errors[:20]:
            click.echo(f"  {line}", err=True)


commands = [send_reminders_command]
