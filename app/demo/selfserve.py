"""The demo's "canvass near me": the lead's team opens its whole patch to self-serve canvassing,
and the demo canvasser joins the team, so they can take a list near them (README, the demo)."""
from __future__ import annotations

from sqlmodel import Session, select

from ..config import settings
from ..models import TeamMember, User
from ..nearme.rules import save_rules, team_area_keys
from ..teams import operations as teams


def seed_selfserve(session: Session, *, lead: User, canvasser: User) -> dict:
    team_id = session.exec(select(TeamMember.team_id).where(TeamMember.user_id == lead.id,
                                                            TeamMember.is_lead.is_(True))).first()
    if team_id is None:
        return {}
    teams.add_member(session, team_id=team_id, email=canvasser.email, actor=lead)
    areas = sorted(team_area_keys(session, team_id=team_id))
    config = settings().selfserve
    save_rules(session, team_id=team_id, enabled=bool(areas), areas=areas, universe_id=None,
               return_minutes=config.return_minutes, actor_id=lead.id, default_return=config.return_minutes)
    return {"self-serve teams": 1 if areas else 0}
