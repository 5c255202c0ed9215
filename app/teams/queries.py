"""What the team pages read: which teams someone may see, one team in full (areas, members and
what each has done), and the people an organiser or lead is shown."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ..auth.access import is_organiser, lead_team_ids
from ..models import CallAttempt, Channel, ContactEvent, Team, TeamArea, TeamMember, User
from ..sorting import natural_key
from ..walk_lists.queries import area_choices
from .operations import get_team


def people(session: Session, *, user_ids: set[int] | None = None) -> list[User]:
    """Accounts, active first then by email; only ``user_ids`` when given (a lead's team members)."""
    query = select(User).order_by(User.is_active.desc(), User.email)
    if user_ids is not None:
        query = query.where(User.id.in_(sorted(user_ids) or [0]))
    return list(session.exec(query).all())


def page_of_people(session: Session, *, user_ids: set[int] | None = None, page: int = 1,
                   page_size: int = 100) -> tuple[list[User], int, int]:
    """One page of ``people`` (a state campaign has thousands of volunteers): (accounts, how
    many in all, the page shown: the last one when ``page`` is past the end)."""
    counted = select(sa.func.count()).select_from(User)
    if user_ids is not None:
        counted = counted.where(User.id.in_(sorted(user_ids) or [0]))
    total = session.exec(counted).one()
    page = min(max(page, 1), max(1, -(-total // page_size)))
    query = select(User).order_by(User.is_active.desc(), User.email, User.id)
    if user_ids is not None:
        query = query.where(User.id.in_(sorted(user_ids) or [0]))
    return list(session.exec(query.offset((page - 1) * page_size).limit(page_size)).all()), total, page


def teams_for(session: Session, *, principal) -> list[Team]:
    """Every team for an organiser; the teams they lead for anyone else."""
    query = select(Team)
    if not is_organiser(principal):
        query = query.where(Team.id.in_(sorted(lead_team_ids(session, principal=principal)) or [0]))
    return sorted(session.exec(query).all(), key=lambda t: natural_key(t.name))


@dataclass
class MemberRow:
    user: User
    is_lead: bool
    joined_at: datetime
    doors: int   # door outcomes they recorded, anywhere
    calls: int   # calls they finished (with an outcome)


@dataclass
class TeamPage:
    team: Team
    areas: list[tuple[str, str]]     # ("ward:<id>" or "hood:<id>", label)
    members: list[MemberRow]         # leads first, then by name

    @property
    def leads(self) -> list[MemberRow]:
        return [m for m in self.members if m.is_lead]


def team_page(session: Session, *, team_id: int) -> TeamPage:
    team = get_team(session, team_id=team_id)
    keys = [f"ward:{w}" if w is not None else f"hood:{h}" for w, h in session.exec(
        select(TeamArea.ward_id, TeamArea.neighbourhood_id).where(TeamArea.team_id == team_id)).all()]
    choices, _ = area_choices(session)
    labels = dict(choices)
    areas = [(key, labels.get(key, key)) for key, _ in choices if key in keys]
    rows = session.exec(select(TeamMember, User).join(User, User.id == TeamMember.user_id)
                        .where(TeamMember.team_id == team_id)).all()
    ids = [u.id for _, u in rows] or [0]
    doors = dict(session.exec(select(ContactEvent.actor_user_id, sa.func.count()).where(
        ContactEvent.actor_user_id.in_(ids), ContactEvent.channel == Channel.DOOR)
        .group_by(ContactEvent.actor_user_id)).all())
    calls = dict(session.exec(select(CallAttempt.caller_id, sa.func.count()).where(
        CallAttempt.caller_id.in_(ids), CallAttempt.disposition.is_not(None)).group_by(CallAttempt.caller_id)).all())
    members = [MemberRow(u, m.is_lead, m.joined_at, doors.get(u.id, 0), calls.get(u.id, 0)) for m, u in rows]
    members.sort(key=lambda r: (not r.is_lead, natural_key(r.user.name or r.user.email)))
    return TeamPage(team, areas, members)


def area_options(session: Session) -> list[tuple[str, str]]:
    """Every ward (whole) and neighbourhood a team may cover, as the cut form names them."""
    return area_choices(session)[0]
