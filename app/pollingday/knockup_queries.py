"""What the committee room reads about its knock-up: each round with its lists and how far they
have got, and the printable sheets (every list of a round, its pledges and its QR code)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session

from ..models import (CommitteeRoom, Elector, Household, KnockupRound, Person, WalkList, WalkListDoor)
from ..walk_lists import ListProgress, list_progress
from .knockup import room_districts, voted_among
from .pledges import pledges

SALT = "legwork-knockup-join"


def join_token(secret: str, walk_list_id: int) -> str:
    """What a sheet's QR code carries: the list, signed, so holding the paper is what lets a
    volunteer take the list (a list code alone could be guessed)."""
    return URLSafeSerializer(secret, salt=SALT).dumps(walk_list_id)


def list_from_token(secret: str, token: str) -> int | None:
    try:
        value = URLSafeSerializer(secret, salt=SALT).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class RoundView:
    round: KnockupRound
    lists: list[ListProgress] = field(default_factory=list)

    @property
    def doors_done(self) -> int:
        return sum(p.done for p in self.lists)


def rounds(session: Session, *, room_id: int, election_id: int | None) -> list[RoundView]:
    """The room's rounds in this election, newest first, each with its lists' progress."""
    if election_id is None:
        return []
    found = session.execute(sa.select(KnockupRound).where(
        KnockupRound.election_id == election_id, KnockupRound.committee_room_id == room_id)
        .order_by(KnockupRound.number.desc())).scalars().all()
    views = {r.id: RoundView(r) for r in found}
    if views:
        lists = session.execute(sa.select(WalkList).where(WalkList.knockup_round_id.in_(list(views)))).scalars().all()
        round_of = {w.id: w.knockup_round_id for w in lists}
        for progress in list_progress(session, lists=lists):
            views[round_of[progress.id]].lists.append(progress)
    return list(views.values())


@dataclass
class SheetDoor:
    household: Household
    pledges: list[tuple[str, str]]   # (name, elector number)


@dataclass
class Sheet:
    walk_list: WalkList
    doors: list[SheetDoor]


def sheets(session: Session, *, round_ids: list[int], settings) -> list[Sheet]:
    """Every list of these rounds with the pledges still to knock behind each door, walking order."""
    lists = session.execute(sa.select(WalkList).where(WalkList.knockup_round_id.in_(round_ids or [0]))
                            .order_by(WalkList.knockup_round_id, WalkList.id)).scalars().all()
    doors = defaultdict(list)
    for list_id, household in session.execute(
            sa.select(WalkListDoor.walk_list_id, Household).join(Household, Household.id == WalkListDoor.household_id)
            .where(WalkListDoor.walk_list_id.in_([w.id for w in lists] or [0])).order_by(WalkListDoor.position)):
        doors[list_id].append(household)
    people = defaultdict(list)
    for person, elector in session.execute(
            sa.select(Person, Elector).outerjoin(Elector, Elector.person_id == Person.id)
            .join(WalkListDoor, WalkListDoor.household_id == Person.household_id)
            .where(WalkListDoor.walk_list_id.in_([w.id for w in lists] or [0])).order_by(Person.id)):
        people[person.household_id].append((person, elector))
    ids = {p.id for rows in people.values() for p, _ in rows}
    pledged = pledges(session, settings=settings, person_ids=ids).pledged
    voted = voted_among(session, pledged)

    def number(e):
        return f"{e.prefix}-{e.number}" + (f"/{e.suffix}" if e.suffix else "") if e is not None else ""
    out = []
    for w in lists:
        rows = []
        for h in doors[w.id]:
            left = [(p.full_name or "(no name)", number(e)) for p, e in people[h.id] if p.id in pledged and p.id not in voted]
            if left:
                rows.append(SheetDoor(h, left))
        out.append(Sheet(w, rows))
    return out


def latest_rounds(session: Session, *, election_id: int | None) -> list[int]:
    """Each committee room's newest round in this election (the whole constituency's sheets)."""
    if election_id is None:
        return []
    newest = (sa.select(KnockupRound.committee_room_id, sa.func.max(KnockupRound.number).label("n"))
              .where(KnockupRound.election_id == election_id).group_by(KnockupRound.committee_room_id).subquery())
    return list(session.execute(sa.select(KnockupRound.id).join(
        newest, sa.and_(newest.c.committee_room_id == KnockupRound.committee_room_id, newest.c.n == KnockupRound.number))
        .where(KnockupRound.election_id == election_id)
        .join(CommitteeRoom, CommitteeRoom.id == KnockupRound.committee_room_id).order_by(CommitteeRoom.name)).scalars())


__all__ = ["rounds", "sheets", "latest_rounds", "join_token", "list_from_token", "room_districts"]
