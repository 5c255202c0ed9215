"""``flask selfserve-tidy``: what "canvass near me" also does lazily, for a cron job (every few
minutes): untouched lists go back to the pool, positions from before today are deleted."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import click
from flask.cli import with_appcontext

from ..clock import campaign_today
from ..config import settings
from ..db import session_scope, write_transaction
from .operations import forget_old_positions, return_idle


@click.command("selfserve-tidy")
@with_appcontext
def tidy_command():
    """Return self-serve lists with nothing recorded in time to the pool; delete yesterday's positions."""
    config = settings()
    today = datetime.combine(campaign_today(), time(0), tzinfo=ZoneInfo(config.timezone))
    with session_scope() as session:
        returned = write_transaction(session, lambda s: return_idle(s, default_return=config.selfserve.return_minutes))
        forgotten = write_transaction(session, lambda s: forget_old_positions(s, before=today))
    click.echo(f"Returned {len(returned)} untouched list{'s' if len(returned) != 1 else ''} to the pool; "
               f"deleted {forgotten} shared position{'s' if forgotten != 1 else ''} from before today.")


commands = [tidy_command]
