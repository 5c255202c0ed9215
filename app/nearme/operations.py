"""Canvass near me: check a list out to one volunteer, hand it back, return idle lists to the
pool, and the live walk a volunteer may share with their team lead.

Each function takes a session and leaves committing to the caller, who runs it inside
``write_transaction``. ``check_out`` finds and takes in one transaction behind
``walk_lists.lock_doors``, so two volunteers asking at the same moment can never get one door.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..audit import audit
from ..db import is_sqlite
from ..errors import Conflict, ValidationError
from ..models import (Assignment, ContactEvent, Household, ListStatus, SelfServeCheckout, TeamSelfServe, User, WalkList,
                      WalkPosition, utcnow)
from ..walk_lists.locks import lock_doors
from ..walk_lists.assignments import assign, unassign
from ..walk_lists.operations import Proposal, ProposedTurf, release_list, save_lists, turf_hull
from .offer import MAX_MINUTES, MIN_KM, MIN_MINUTES, NoOffer, Offer, find_offer
from .rules import MIN_RETURN_MINUTES, pool


class NothingNear(Conflict):
    """No list to offer: the message says why and what to try."""


def check_request(*, minutes, max_km, limit_km: float) -> tuple[int, float]:
    """The form's minutes and distance as numbers, or a clear refusal."""
    if isinstance(minutes, bool) or not isinstance(minutes, int) or not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise ValidationError(f"Say how long you have: between {MIN_MINUTES} and {MAX_MINUTES} minutes.")
    if isinstance(max_km, bool) or not isinstance(max_km, (int, float)) or not math.isfinite(max_km) \
            or not MIN_KM <= max_km <= limit_km:
        raise ValidationError(f"Say how far you will go: between {MIN_KM:g} and {limit_km:g} km.")
    return minutes, float(max_km)


def open_checkout(session: Session, *, user_id: int) -> SelfServeCheckout | None:
    return session.exec(select(SelfServeCheckout).where(SelfServeCheckout.user_id == user_id)
                        .order_by(SelfServeCheckout.id)).first()


def pools_for(session: Session, *, team_ids: list[int], config):
    return [pool(session, team_id=t, config=config) for t in team_ids]


def check_out(session: Session, *, user: User, team_ids: list[int], lat: float, lon: float, minutes: int,
              max_km: float, config, shown_key: str = "") -> tuple[WalkList, bool]:
    """Take the best offer near (lat, lon) for ``user`` (``config``: the [selfserve] settings):
    (the list, whether it differs from ``shown_key``, the offer they saw). NothingNear when there
    is none; Conflict if they hold one already."""
    holding = Conflict("You already have a list from “canvass near me”: finish it or hand it back first.")
    if open_checkout(session, user_id=user.id) is not None:
        raise holding
    pools = pools_for(session, team_ids=team_ids, config=config)
    if not is_sqlite(session) and not returns_due(session):
        # Nothing to offer needs no lock: PostgreSQL answers it beside the writers, not behind them.
        offer = find_offer(session, pools=pools, lat=lat, lon=lon, minutes=minutes, max_km=max_km, cut=False)
        if isinstance(offer, NoOffer):
            raise NothingNear(offer.message)
    lock_doors(session)
    return_idle(session, default_return=config.return_minutes)
    if open_checkout(session, user_id=user.id) is not None:  # again behind the lock: a double tap takes one
        raise holding
    offer = find_offer(session, pools=pools, lat=lat, lon=lon, minutes=minutes, max_km=max_km)
    if isinstance(offer, NoOffer):
        raise NothingNear(offer.message)
    walk_list = offer_list(session, offer=offer, by_id=user.id)
    assign(session, walk_list_id=walk_list.id, user_ids=[user.id], assigned_by_id=user.id)
    checkout = SelfServeCheckout(walk_list_id=walk_list.id, user_id=user.id, team_id=offer.team_id,
                                 cut_on_spot=offer.walk_list_id is None)
    session.add(checkout)
    session.flush()
    audit(session, action="selfserve.checkout", actor_user_id=user.id, target=f"walk_list:{walk_list.id}",
          detail={"team": offer.team_id, "doors": offer.doors, "cut_on_spot": checkout.cut_on_spot,
                  "minutes": minutes, "max_km": max_km})
    return walk_list, bool(shown_key) and shown_key != offer.key


def returns_due(session: Session) -> bool:
    """Might a list go back to the pool now (out longer than the shortest return time)?"""
    due = utcnow() - timedelta(minutes=MIN_RETURN_MINUTES)
    return session.exec(select(SelfServeCheckout.id).where(SelfServeCheckout.checked_out_at <= due)
                        .limit(1)).first() is not None


def offer_list(session: Session, *, offer: Offer, by_id: int) -> WalkList:
    """The offer's list: the ready-cut one, or the on-the-spot cut saved as a new active list."""
    if offer.walk_list_id is not None:
        return session.get(WalkList, offer.walk_list_id)
    first = session.get_one(Household, offer.household_ids[0])
    turf = ProposedTurf(household_ids=offer.household_ids, length_m=offer.length_m, minutes=offer.minutes,
                        neighbourhood_id=first.neighbourhood_id, hull=turf_hull(offer.points),
                        points=[list(p) for p in offer.points])
    street = offer.streets[0] if offer.streets else "Near me"
    proposal = Proposal(ward_id=first.ward_id, neighbourhood_id=None, area_name=f"Near me: {street}",
                        target_size=len(offer.household_ids), tolerance=0.0, turfs=[turf])
    return save_lists(session, proposal=proposal, created_by_id=by_id)[0]


def hand_back(session: Session, *, checkout: SelfServeCheckout, by_id: int | None, why: str) -> None:
    """The list leaves its volunteer: one cut for them is released (its doors free again), a
    ready-cut one only loses them. Doors recorded on it stay recorded; their trail is deleted."""
    walk_list = session.get(WalkList, checkout.walk_list_id)
    if walk_list is not None and walk_list.status == ListStatus.ACTIVE:
        if checkout.cut_on_spot:
            release_list(session, walk_list_id=walk_list.id, by_id=by_id)
        elif session.exec(select(Assignment.id).where(Assignment.walk_list_id == walk_list.id,
                                                      Assignment.user_id == checkout.user_id,
                                                      Assignment.unassigned_at.is_(None))).first():
            unassign(session, walk_list_id=walk_list.id, user_id=checkout.user_id, by_id=by_id)
    session.execute(sa.delete(WalkPosition).where(WalkPosition.checkout_id == checkout.id))
    session.delete(checkout)
    session.flush()
    audit(session, action="selfserve.return", actor_user_id=by_id, target=f"walk_list:{checkout.walk_list_id}",
          detail={"user": checkout.user_id, "why": why})


def give_back(session: Session, *, user_id: int) -> SelfServeCheckout:
    checkout = open_checkout(session, user_id=user_id)
    if checkout is None:
        raise Conflict("You have no list from “canvass near me” to hand back.")
    lock_doors(session)
    hand_back(session, checkout=checkout, by_id=user_id, why="handed back")
    return checkout


def recorded_since(session: Session, *, walk_list_id: int, since: datetime) -> bool:
    return session.exec(select(ContactEvent.id).where(ContactEvent.walk_list_id == walk_list_id,
                                                      ContactEvent.received_at >= since).limit(1)).first() is not None


def return_idle(session: Session, *, default_return: int, now: datetime | None = None) -> list[int]:
    """Lists with nothing recorded within their team's return time go back to the pool; a
    checkout whose list was released or unassigned by an organiser is closed. Returns list ids."""
    now = now or utcnow()
    returned = []
    assigned = select(Assignment.id).where(Assignment.walk_list_id == SelfServeCheckout.walk_list_id,
                                           Assignment.user_id == SelfServeCheckout.user_id,
                                           Assignment.unassigned_at.is_(None)).exists()
    rows = session.exec(select(SelfServeCheckout, TeamSelfServe.return_minutes, WalkList.status, assigned)
                        .join(WalkList, WalkList.id == SelfServeCheckout.walk_list_id)
                        .outerjoin(TeamSelfServe, TeamSelfServe.team_id == SelfServeCheckout.team_id)).all()
    for checkout, minutes, status, is_assigned in rows:
        held = status == ListStatus.ACTIVE and bool(is_assigned)
        due = checkout.checked_out_at + timedelta(minutes=minutes or default_return) <= now
        if not held or (due and not recorded_since(session, walk_list_id=checkout.walk_list_id,
                                                   since=checkout.checked_out_at)):
            hand_back(session, checkout=checkout, by_id=None, why="nothing recorded in time" if held else "ended")
            returned.append(checkout.walk_list_id)
    return returned


def set_sharing(session: Session, *, user_id: int, on: bool) -> SelfServeCheckout:
    checkout = open_checkout(session, user_id=user_id)
    if checkout is None:
        raise Conflict("You have no list from “canvass near me” open: there is no walk to share.")
    if on and checkout.sharing_since is None:
        checkout.sharing_since = utcnow()
    elif not on:
        checkout.sharing_since = None
        session.execute(sa.delete(WalkPosition).where(WalkPosition.checkout_id == checkout.id))
    session.add(checkout)
    session.flush()
    audit(session, action="selfserve.share", actor_user_id=user_id, target=f"walk_list:{checkout.walk_list_id}",
          detail={"on": on})
    return checkout


def record_position(session: Session, *, user_id: int, lat, lon, today_from: datetime) -> WalkPosition:
    """One position of a sharing volunteer's phone; positions from before ``today_from`` go."""
    ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lat, lon))
    if not ok or not -90 <= lat <= 90 or not -180 <= lon <= 180:
        raise ValidationError("A position is a latitude between -90 and 90 and a longitude between -180 and 180.")
    checkout = open_checkout(session, user_id=user_id)
    if checkout is None or checkout.sharing_since is None:
        raise Conflict("You are not sharing your walk: nothing was stored.")
    forget_old_positions(session, before=today_from)
    position = WalkPosition(checkout_id=checkout.id, user_id=user_id, lat=float(lat), lon=float(lon))
    session.add(position)
    session.flush()
    return position


def forget_old_positions(session: Session, *, before: datetime) -> int:
    return session.execute(sa.delete(WalkPosition).where(WalkPosition.recorded_at < before)).rowcount
