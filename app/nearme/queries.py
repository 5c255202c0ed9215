"""What the near-me pages read: the volunteer's own list, and who is out for a team lead."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..models import (ContactEvent, Household, SelfServeCheckout, Team, TeamSelfServe, User, WalkList, WalkListDoor,
                      WalkPosition)
from .geo import sketch


@dataclass
class OutRow:
    """One volunteer out on a self-serve list, as their team lead sees them."""

    user: User
    team: Team
    walk_list: WalkList
    checked_out_at: datetime
    recorded: int                        # doors recorded on the list since they took it
    last_door_at: datetime | None
    sharing: bool
    last_position_at: datetime | None
    streets: list[str]
    map: dict                            # geo.sketch: the list's doors, and their last position if shared


def list_points(session: Session, *, walk_list_id: int) -> list[tuple[float, float, str]]:
    return [(lon, lat, street) for lon, lat, street in session.exec(
        select(Household.lon, Household.lat, Household.street).join(WalkListDoor, WalkListDoor.household_id == Household.id)
        .where(WalkListDoor.walk_list_id == walk_list_id).order_by(WalkListDoor.position)).all() if lon is not None]


def _streets(points) -> list[str]:
    return list(dict.fromkeys(street for _, _, street in points if street))


def out_now(session: Session, *, team_ids: list[int]) -> list[OutRow]:
    """Every list checked out from these teams' pools, longest out first."""
    rows = session.exec(select(SelfServeCheckout, User, Team, WalkList)
                        .join(User, User.id == SelfServeCheckout.user_id)
                        .join(Team, Team.id == SelfServeCheckout.team_id)
                        .join(WalkList, WalkList.id == SelfServeCheckout.walk_list_id)
                        .where(SelfServeCheckout.team_id.in_(sorted(team_ids) or [0]))
                        .order_by(SelfServeCheckout.checked_out_at, SelfServeCheckout.id)).all()
    out = []
    for checkout, user, team, walk_list in rows:
        recorded, last_door = session.exec(select(sa.func.count(sa.distinct(ContactEvent.household_id)),
                                                  sa.func.max(ContactEvent.recorded_at)).where(
            ContactEvent.walk_list_id == walk_list.id, ContactEvent.received_at >= checkout.checked_out_at)).one()
        position = session.exec(select(WalkPosition).where(WalkPosition.checkout_id == checkout.id)
                                .order_by(WalkPosition.recorded_at.desc(), WalkPosition.id.desc())).first()
        points = list_points(session, walk_list_id=walk_list.id)
        marks = [(position.lon, position.lat)] if position and checkout.sharing_since else []
        out.append(OutRow(user, team, walk_list, checkout.checked_out_at, recorded, last_door,
                          checkout.sharing_since is not None, position.recorded_at if position else None,
                          _streets(points), sketch([(p[0], p[1]) for p in points], marks=marks)))
    return out


@dataclass
class MyList:
    checkout: SelfServeCheckout
    walk_list: WalkList
    recorded: int
    returns_at: datetime | None  # when it goes back to the pool if nothing is recorded (None: something is)


def my_list(session: Session, *, user_id: int, default_return: int) -> MyList | None:
    row = session.exec(select(SelfServeCheckout, WalkList, TeamSelfServe.return_minutes)
                       .join(WalkList, WalkList.id == SelfServeCheckout.walk_list_id)
                       .outerjoin(TeamSelfServe, TeamSelfServe.team_id == SelfServeCheckout.team_id)
                       .where(SelfServeCheckout.user_id == user_id).order_by(SelfServeCheckout.id)).first()
    if row is None:
        return None
    checkout, walk_list, minutes = row
    recorded = session.exec(select(sa.func.count(sa.distinct(ContactEvent.household_id))).where(
        ContactEvent.walk_list_id == walk_list.id, ContactEvent.received_at >= checkout.checked_out_at)).one()
    returns = None if recorded else checkout.checked_out_at + timedelta(minutes=minutes or default_return)
    return MyList(checkout, walk_list, recorded, returns)
