"""The support scale the campaign runs on: the database's once seeded (organisers edit it), else
config.toml's. ``campaign_settings`` lays it over the typed settings, so everything that reads
``settings().support_scale`` (validation, the phone, summaries, universes, dashboards, exports)
reads the one scale. app.config.settings() calls it once per request or command (cached in g)."""
from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..models import SupportValue

LEANINGS = {"supporter": "Supporter", "undecided": "Undecided", "against": "Against"}

_SCALE = sa.select(SupportValue.__table__.c.value, SupportValue.__table__.c.label, SupportValue.__table__.c.leaning) \
    .order_by(SupportValue.__table__.c.position, SupportValue.__table__.c.id)


def campaign_settings(session: Session, base: Settings) -> Settings:
    rows = session.connection().execute(_SCALE).all()
    if not rows:
        return base
    return dataclasses.replace(
        base, support_scale=tuple((value, label) for value, label, _ in rows),
        supporter_values=frozenset(value for value, _, leaning in rows if leaning == "supporter"),
        against_values=frozenset(value for value, _, leaning in rows if leaning == "against"))
