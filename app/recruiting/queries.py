"""Recruiting reads: a volunteer's own recruits ("My 10"), and for organisers and team leads the
recruitment chains (who brought whom) with each volunteer's rung on the ladder."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from ..errors import NotFound
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
    recruiter_id: int | None = None
    outside_recruiter: bool = False     # brought in by someone outside the viewer's teams
    children: list["Node"] = field(default_factory=list)
    total: int = 0                      # everyone down this volunteer's chain

    @property
    def shown(self) -> list["Node"]:
        """The recruits drawn under this volunteer; the rest are a link to their own chain."""
        return self.children[:CHILDREN]


PAGE = 20        # chains (or a volunteer's recruits, or volunteers found) drawn a page
CHILDREN = 10    # recruits drawn under each; a state's page drew 5,000 volunteers' whole chains (1 MB)
FOUND = 50       # volunteers a name search lists


@dataclass
class Chains:
    items: list[Node]                   # this page's chains, or the focused volunteer's recruits
    stage_counts: dict[str, int]
    people: int
    page: int = 1
    matching: int = 0                   # items on every page
    focus: Node | None = None           # a volunteer's own chain, with
    above: list[Node] = field(default_factory=list)   # who brought them in, nearest last
    query: str = ""
    found: list[Node] = field(default_factory=list)
    recruiters: dict[int, Node] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.matching // PAGE))


def _forest(rows, by_id: dict[int, Rung]) -> tuple[dict[int, Node], list[Node]]:
    nodes = {r.id: Node(r.id, r.name or "(no name yet)", rung_of(by_id, r.id), r.recruited_by_id) for r in rows}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.recruiter_id) if node.recruiter_id is not None else None
        if parent is not None and parent is not node:
            parent.children.append(node)
        else:
            node.outside_recruiter = node.recruiter_id is not None
            roots.append(node)
    # sizes from the leaves up, without recursion (a chain may be thousands deep)
    order, stack = [], list(roots)
    while stack:
        node = stack.pop()
        order.append(node)
        stack.extend(node.children)
    for node in reversed(order):
        node.total = sum(1 + c.total for c in node.children)
        node.children.sort(key=lambda n: (-n.total, n.name.lower()))
    roots.sort(key=lambda n: (-n.total, n.name.lower()))
    return nodes, roots


def chains(session: Session, *, member_ids: set[int] | None, today: date, now: datetime, page: int = 1,
           focus: int | None = None, query: str = "") -> Chains:
    """The volunteers the viewer may see (``member_ids`` None: everyone with a volunteer's sign-up
    or in a team) as trees of who brought whom, biggest chains first: a page of chains, each drawn
    two levels deep (a volunteer and up to CHILDREN of their recruits); ``focus``: one volunteer's
    chain, their recruits a page at a time; ``query``: the volunteers whose name holds it.
    The rung counts are everyone's. A volunteer the viewer may not see is not found."""
    rows = []
    select = (sa.select(User.id, User.name, VolunteerProfile.recruited_by_id)
              .outerjoin(VolunteerProfile, VolunteerProfile.user_id == User.id).where(User.is_active.is_(True)))
    if member_ids is None:
        rows = session.execute(select.where(sa.or_(VolunteerProfile.user_id.is_not(None),
                                                   User.roles.contains("volunteer")))).all()
    else:
        for batch in chunks(sorted(member_ids)):
            rows += session.execute(select.where(User.id.in_(batch))).all()
    by_id = rungs(session, user_ids={r.id for r in rows}, today=today, now=now) if rows else {}
    nodes, roots = _forest(rows, by_id)
    counts: dict[str, int] = {}
    for node in nodes.values():
        counts[node.rung.stage] = counts.get(node.rung.stage, 0) + 1
    found = Chains([], counts, len(nodes), query=query)
    items = roots
    if focus is not None:
        if focus not in nodes:
            raise NotFound(f"No volunteer #{focus} among the volunteers you can see.")
        found.focus, items = nodes[focus], nodes[focus].children
        up, seen = nodes.get(found.focus.recruiter_id or 0), {focus}
        while up is not None and up.id not in seen:
            found.above.insert(0, up)
            seen.add(up.id)
            up = nodes.get(up.recruiter_id or 0)
    if query:
        needle = query.casefold()
        matches = sorted((n for n in nodes.values() if needle in n.name.casefold()),
                         key=lambda n: (n.name.lower(), n.id))
        found.matching, found.found = len(matches), matches[:FOUND]
        found.recruiters = {n.id: nodes[n.recruiter_id] for n in found.found if n.recruiter_id in nodes}
        return found
    found.matching = len(items)
    found.page = min(max(page, 1), found.pages)
    found.items = items[(found.page - 1) * PAGE:found.page * PAGE]
    return found
