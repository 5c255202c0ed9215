"""Recruiting reads: a volunteer's own recruits ("My 10"), and for organisers and team leads the
recruitment chains (who brought whom) with each volunteer's rung on the ladder."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from ..models import RecruitCode, User, VolunteerProfile, WelcomeNudge
from ..sql import chunks
from .codes import short_name
from .ladder import Rung, rung_of, rungs


@dataclass(frozen=True)
class Recruit:
    id: int
    name: str                 # "Robin N.": all a recruiter sees
    joined_at: datetime
    rung: Rung
    welcomed_at: datetime | None

    @property
    def had_first_shift(self) -> bool:
        return self.rung.stage != "signed_up"


def code_of(session: Session, *, user_id: int) -> str | None:
    row = session.get(RecruitCode, user_id)
    return row.code if row is not None else None


def recruited_by(session: Session, *, user_id: int) -> tuple[str | None, datetime | None]:
    """(first name and initial of whoever brought this volunteer in, when they signed up)."""
    row = session.execute(sa.select(User.name, VolunteerProfile.recruited_by_id, VolunteerProfile.created_at)
                          .outerjoin(User, User.id == VolunteerProfile.recruited_by_id)
                          .where(VolunteerProfile.user_id == user_id)).first()
    if row is None:
        return None, None
    return (short_name(row.name) if row.recruited_by_id is not None else None), row.created_at


def my_recruits(session: Session, *, user_id: int, today: date, now: datetime) -> list[Recruit]:
    rows = session.execute(sa.select(User.id, User.name, VolunteerProfile.created_at)
                           .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
                           .where(VolunteerProfile.recruited_by_id == user_id)
                           .order_by(VolunteerProfile.created_at.desc(), User.id)).all()
    ids = {r.id for r in rows}
    by_id = rungs(session, user_ids=ids, today=today, now=now) if ids else {}
    welcomed = dict(session.execute(sa.select(WelcomeNudge.recruit_id, sa.func.max(WelcomeNudge.sent_at))
                                    .where(WelcomeNudge.recruiter_id == user_id)
                                    .group_by(WelcomeNudge.recruit_id)).all())
    return [Recruit(r.id, short_name(r.name), r.created_at, rung_of(by_id, r.id), welcomed.get(r.id)) for r in rows]


@dataclass
class Node:
    id: int
    name: str
    rung: Rung
    outside_recruiter: bool = False     # brought in by someone outside the viewer's teams
    children: list["Node"] = field(default_factory=list)

    @property
    def total(self) -> int:
        """Everyone down this volunteer's chain."""
        return sum(1 + c.total for c in self.children)


@dataclass
class Chains:
    roots: list[Node]
    stage_counts: dict[str, int]
    people: int


def chains(session: Session, *, member_ids: set[int] | None, today: date, now: datetime) -> Chains:
    """The volunteers the viewer may see (``member_ids`` None: everyone with a volunteer's sign-up
    or in a team) as trees of who brought whom, biggest chains first."""
    rows = []
    query = (sa.select(User.id, User.name, VolunteerProfile.recruited_by_id)
             .outerjoin(VolunteerProfile, VolunteerProfile.user_id == User.id).where(User.is_active.is_(True)))
    if member_ids is None:
        rows = session.execute(query.where(sa.or_(VolunteerProfile.user_id.is_not(None),
                                                  User.roles.contains("volunteer")))).all()
    else:
        for batch in chunks(sorted(member_ids)):
            rows += session.execute(query.where(User.id.in_(batch))).all()
    by_id = rungs(session, user_ids={r.id for r in rows}, today=today, now=now) if rows else {}
    nodes = {r.id: Node(r.id, r.name or "(no name yet)", rung_of(by_id, r.id)) for r in rows}
    roots = []
    for r in rows:
        node = nodes[r.id]
        parent = nodes.get(r.recruited_by_id) if r.recruited_by_id is not None else None
        if parent is not None and parent is not node:
            parent.children.append(node)
        else:
            node.outside_recruiter = r.recruited_by_id is not None
            roots.append(node)
    for node in nodes.values():
        node.children.sort(key=lambda n: (-n.total, n.name.lower()))
    roots.sort(key=lambda n: (-n.total, n.name.lower()))
    counts = {}
    for node in nodes.values():
        counts[node.rung.stage] = counts.get(node.rung.stage, 0) + 1
    return Chains(roots, counts, len(nodes))
