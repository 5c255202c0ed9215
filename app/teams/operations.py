"""Team changes: create, rename, delete, choose areas, add and remove members, make and unmake
leads. Every one is audited; callers run them in ``write_transaction``."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from ..audit import audit
from ..errors import Conflict, NotFound, ValidationError
from ..models import Event, Neighbourhood, Team, TeamArea, TeamMember, TeamSelfServe, User, Ward


def _audit(session: Session, action: str, actor, team_id: int | None, **detail) -> None:
    audit(session, action=action, actor_user_id=getattr(actor, "id", None),
          actor_label=getattr(actor, "email", "cli"), target=f"team:{team_id}", detail=detail or None)


def get_team(session: Session, *, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise NotFound("There is no such team.")
    return team


def _clean_name(session: Session, name: str, *, team_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise ValidationError("A team name is 1 to 120 characters.")
    clash = session.exec(select(Team.id).where(sa.func.lower(Team.name) == name.lower(), Team.id != (team_id or 0))).first()
    if clash is not None:
        raise Conflict(f"There is already a team called {name}.")
    return name


def create_team(session: Session, *, name: str, description: str = "", actor=None) -> Team:
    team = Team(name=_clean_name(session, name), description=(description or "").strip()[:2000],
                created_by_id=getattr(actor, "id", None))
    session.add(team)
    session.flush()
    _audit(session, "team.create", actor, team.id, name=team.name)
    return team


def update_team(session: Session, *, team_id: int, name: str, description: str = "", actor=None) -> Team:
    team = get_team(session, team_id=team_id)
    before = team.name
    team.name = _clean_name(session, name, team_id=team_id)
    team.description = (description or "").strip()[:2000]
    session.add(team)
    session.flush()
    _audit(session, "team.update", actor, team.id, **{"from": before, "to": team.name})
    return team


def delete_team(session: Session, *, team_id: int, actor=None) -> str:
    """Delete a team with its areas and memberships; refused while it has events."""
    team = get_team(session, team_id=team_id)
    events = session.exec(select(sa.func.count(Event.id)).where(Event.team_id == team_id)).one()
    if events:
        raise Conflict(f"{team.name} has {events} event{'s' if events != 1 else ''}: move or delete them first.")
    name = team.name
    session.execute(sa.delete(TeamArea).where(TeamArea.team_id == team_id))
    session.execute(sa.delete(TeamMember).where(TeamMember.team_id == team_id))
    session.execute(sa.delete(TeamSelfServe).where(TeamSelfServe.team_id == team_id))  # lists out: refused below
    session.delete(team)
    try:
        session.flush()
    except sa.exc.IntegrityError:  # something added since (another feature's rows point at it)
        raise Conflict(f"{name} is still in use elsewhere and cannot be deleted.") from None
    _audit(session, "team.delete", actor, team_id, name=name)
    return name


def parse_area_keys(session: Session, keys) -> tuple[set[int], set[int]]:
    """"ward:<id>" and "hood:<id>" keys -> (ward ids, neighbourhood ids), every one existing."""
    wards, hoods = set(), set()
    for key in keys:
        kind, _, raw = str(key).partition(":")
        if kind not in ("ward", "hood") or not raw.isdigit() or len(raw) > 18:
            raise ValidationError(f"Unknown area {str(key)[:40]!r}.")
        (wards if kind == "ward" else hoods).add(int(raw))
    if wards and len(session.exec(select(Ward.id).where(Ward.id.in_(wards))).all()) != len(wards):
        raise ValidationError("One of those wards does not exist.")
    if hoods and len(session.exec(select(Neighbourhood.id).where(Neighbourhood.id.in_(hoods))).all()) != len(hoods):
        raise ValidationError("One of those neighbourhoods does not exist.")
    return wards, hoods


def set_areas(session: Session, *, team_id: int, keys, actor=None) -> tuple[set[int], set[int]]:
    """Replace the team's areas with these whole wards and single neighbourhoods."""
    get_team(session, team_id=team_id)
    wards, hoods = parse_area_keys(session, keys)
    session.execute(sa.delete(TeamArea).where(TeamArea.team_id == team_id))
    session.add_all([TeamArea(team_id=team_id, ward_id=w) for w in sorted(wards)]
                    + [TeamArea(team_id=team_id, neighbourhood_id=h) for h in sorted(hoods)])
    session.flush()
    _audit(session, "team.areas", actor, team_id, wards=sorted(wards), neighbourhoods=sorted(hoods))
    return wards, hoods


def _membership(session: Session, team_id: int, user_id: int) -> TeamMember | None:
    return session.exec(select(TeamMember).where(TeamMember.team_id == team_id, TeamMember.user_id == user_id)).first()


def add_member(session: Session, *, team_id: int, email: str, lead: bool = False, actor=None) -> TeamMember:
    """Add someone who has an account (found by email) to the team, as a lead if ``lead``."""
    team = get_team(session, team_id=team_id)
    email = (email or "").strip().lower()
    user = session.exec(select(User).where(sa.func.lower(User.email) == email)).first() if email else None
    if user is None:
        raise ValidationError("No one has an account with that email: they sign up (or are invited) first.")
    if _membership(session, team_id, user.id) is not None:
        raise Conflict(f"{user.name or user.email} is already in {team.name}.")
    member = TeamMember(team_id=team_id, user_id=user.id, is_lead=bool(lead))
    session.add(member)
    session.flush()
    _audit(session, "team.member.add", actor, team_id, user=user.id, lead=bool(lead))
    return member


def remove_member(session: Session, *, team_id: int, user_id: int, actor=None) -> None:
    get_team(session, team_id=team_id)
    member = _membership(session, team_id, user_id)
    if member is None:
        raise ValidationError("That person is not a member of this team.")
    session.delete(member)
    session.flush()
    _audit(session, "team.member.remove", actor, team_id, user=user_id)


def set_lead(session: Session, *, team_id: int, user_id: int, lead: bool, actor=None) -> TeamMember:
    get_team(session, team_id=team_id)
    member = _membership(session, team_id, user_id)
    if member is None:
        raise ValidationError("That person is not a member of this team.")
    if member.is_lead != bool(lead):
        member.is_lead = bool(lead)
        session.add(member)
        session.flush()
        _audit(session, "team.lead" if lead else "team.unlead", actor, team_id, user=user_id)
    return member
