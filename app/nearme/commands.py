"""``flask selfserve-tidy``: what "canvass near me" also does lazily, for a cron job (every few
minutes): untouched lists go back to the pool, positions from before today are deleted."""
from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import json

import click
from flask.cli import with_appcontext
from sqlmodel import select

from ..clock import campaign_today
from ..config import settings
from ..audit import audit
from ..db import session_scope, write_transaction
from ..models import SelfServeCheckout, User, WalkPosition
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


def export_walks(session, *, user_id: int) -> dict:
    """What "canvass near me" holds about one volunteer: their list, and the positions they shared."""
    checkouts = session.exec(select(SelfServeCheckout).where(SelfServeCheckout.user_id == user_id)).all()
    positions = session.exec(select(WalkPosition).where(WalkPosition.user_id == user_id)
                             .order_by(WalkPosition.recorded_at)).all()
    return {"checkouts": [c.model_dump(include={"walk_list_id", "team_id", "checked_out_at", "sharing_since"})
                          for c in checkouts],
            "positions": [p.model_dump(include={"lat", "lon", "recorded_at"}) for p in positions]}


@click.command("selfserve-export")
@click.argument("user_id", type=int)
@with_appcontext
def export_command(user_id):
    """Print what canvass near me holds about one volunteer (USER_ID) as JSON (subject access)."""
    with session_scope() as session:
        if session.get(User, user_id) is None:
            raise click.ClickException(f"no volunteer account with id {user_id}")
        data = export_walks(session, user_id=user_id)
        write_transaction(session, lambda s: audit(s, action="export.selfserve", actor_label="cli",
                                                   target=f"user:{user_id}"))
    click.echo(json.dumps(data, indent=2, default=str))


commands = [tidy_command, export_command]
