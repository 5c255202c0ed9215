"""The demo's universes: whom an organiser would target first, ready to count, cut lists and make
call sheets from (app/universes). Built like an organiser's, through the operation, so audited."""
from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from ..clock import campaign_today
from ..config import Settings
from ..models import User
from ..universes.operations import create_universe


def seed_universes(session: Session, *, organiser: User, settings: Settings) -> dict:
    """Three universes over the demo's data. The caller commits."""
    scale = [value for value, _ in settings.support_scale]
    supporters = [v for v in scale if v in settings.supporter_values]
    middle = [v for v in scale if v not in settings.supporter_values and v not in settings.against_values]
    fortnight = (campaign_today() - timedelta(days=14)).isoformat()
    plans = {}
    if supporters:  # a campaign's scale may have none marked (config.toml [survey])
        plans["Supporters not knocked this fortnight"] = {"kind": "and", "of": [
            {"kind": "support", "levels": supporters},
            {"kind": "not", "of": {"kind": "attempted", "channel": "door", "from": fortnight}}]}
    plans["Persuadables to phone"] = {"kind": "and", "of": [
        {"kind": "support", "levels": middle, "unknown": True}, {"kind": "has_phone"},
        {"kind": "never_reached", "channel": "phone"}]}
    plans["Not home last time"] = {"kind": "not_home_last"}
    for name, tree in plans.items():
        create_universe(session, name=name, definition=tree, settings=settings, actor=organiser)
    return {"universes": len(plans)}
