"""The support scale the campaign runs on: the database's once seeded (organisers edit it), else
config.toml's. ``campaign_settings`` lays it over the typed settings, so everything that reads
``settings().support_scale`` (validation, the phone, summaries, universes, dashboards, exports)
reads the one scale. app.config.settings() calls it once per request or command (cached in g)."""
from __future__ import annotations

import dataclasses

import sqlalchemy as sa

from ..config import Settings
from ..db import read_apart
from ..models import SupportValue

LEANINGS = {"supporter": "Supporter", "undecided": "Undecided", "against": "Against"}

_SCALE = sa.select(SupportValue.__table__.c.value, SupportValue.__table__.c.label, SupportValue.__table__.c.leaning) \
    .order_by(SupportValue.__table__.c.position, SupportValue.__table__.c.id)


def campaign_settings(engine: sa.Engine, base: Settings) -> Settings:
    """The settings with the database's scale, read apart from any session (``read_apart``): it may
    be asked for in the middle of another session's write transaction."""
    try:
        rows = read_apart(engine, _SCALE)
    except (sa.exc.OperationalError, sa.exc.ProgrammingError) as err:
        # A database not migrated yet (`flask db upgrade` starts the app too): config.toml's scale.
        if "support_scale_values" not in str(err):
            raise
        return base
    if not rows:
        return base
    return dataclasses.replace(
        base, support_scale=tuple((value, label) for value, label, _ in rows),
        supporter_values=frozenset(value for value, _, leaning in rows if leaning == "supporter"),
        against_values=frozenset(value for value, _, leaning in rows if leaning == "against"))
