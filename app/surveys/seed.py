"""config.toml seeds the campaign's survey: the support scale and a default survey (the phone
script from [phonebank], a door script) are copied in on the first organiser edit, or by
`flask seed-survey` (scripts/run runs it, so a demo or a fresh database has them at once).

Why not in the migration: a migration cannot read config.toml (it runs before the app's
settings exist, and the same migration serves every campaign). Until the seed runs, nothing
reads these tables' absence as a change: the campaign runs on config.toml exactly as before.
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlmodel import Session, select

from ..audit import audit
from ..config import Settings
from ..models import SupportValue, Survey

DEFAULT_NAME = "Main survey"
DEFAULT_DOOR_SCRIPT = ("Hi, I'm {canvasser_name}, a volunteer with {campaign}. We're talking to neighbours on "
                       "{street} about the election. Can I ask how you're thinking of voting?")


def leaning_of(value: str, settings: Settings) -> str:
    if value in settings.supporter_values:
        return "supporter"
    if value in settings.against_values:
        return "against"
    return "undecided"


def seed_from_config(session: Session, *, settings: Settings, actor_label: str = "cli") -> bool:
    """Copy config.toml's scale and scripts in where the database has none; True if it did.
    Idempotent: callers run it at the start of every survey edit."""
    seeded = False
    if session.exec(select(SupportValue.id)).first() is None:
        for position, (value, label) in enumerate(settings.support_scale):
            session.add(SupportValue(value=value, label=label, leaning=leaning_of(value, settings), position=position))
        seeded = True
    if session.exec(select(Survey.id)).first() is None:
        session.add(Survey(name=DEFAULT_NAME, door_script=DEFAULT_DOOR_SCRIPT, phone_script=settings.phonebank.script,
                           is_default=True))
        seeded = True
    if seeded:
        session.flush()
        audit(session, action="survey.seed", actor_label=actor_label, target="survey",
              detail={"scale": [v for v, _ in settings.support_scale]})
    return seeded


@click.command("seed-survey")
@with_appcontext
def seed_survey_command():
    """Copy config.toml's support scale and phone script into the database (once; idempotent)."""
    from ..config import settings
    from ..db import get_session, write_transaction

    done = write_transaction(get_session(), lambda s: seed_from_config(s, settings=settings()))
    click.echo("survey seeded from config.toml" if done else "survey already in the database: nothing to do")
