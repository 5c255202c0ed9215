"""Check-in at the meeting point, and work in the same step: the nearest unworked walk list of the
event, or the phone bank. Run inside ``write_transaction``; the event row is locked first on
PostgreSQL (SQLite's writers are serialised), so two people checking in at once never get the same
list, and ``rsvps.walk_list_id`` is unique besides."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from .. import walk_lists
from ..auth.operations import set_roles
from ..clock import as_utc, campaign_time
from ..config import settings
from ..errors import Conflict, Forbidden, NotFound
from ..models import (Assignment, Event, EventStatus, EventWork, Household, ListStatus, Rsvp, RsvpStatus, User, WalkList,
                      WalkListDoor, utcnow)
from ..training.queries import missing_modules
from .operations import get_event
from .rsvps import check_space


class TrainingRequired(Forbidden):
    title = "Training first"

    def __init__(self, module):
        super().__init__(f"This event needs the training “{module.title}” first. It takes a few minutes.")
        self.link = (f"/training/{module.slug}", f"Take “{module.title}”")


@dataclass
class CheckIn:
    rsvp: Rsvp
    already: bool                  # they had checked in before
    walk_list: WalkList | None = None
    phonebank: bool = False        # sent to the phone bank


def window(event) -> tuple[datetime, datetime]:
    cfg = settings().events
    return (as_utc(event.starts_at) - timedelta(minutes=cfg.checkin_opens_minutes),
            as_utc(event.ends_at) + timedelta(minutes=cfg.checkin_closes_minutes))


def check_window(event, now: datetime) -> None:
    opens, closes = window(event)
    if now < opens:
        raise Conflict(f"Check-in opens at {campaign_time(opens)}.")
    if now > closes:
        raise Conflict(f"Check-in closed at {campaign_time(closes)}: this event is over.")


def event_for_code(session: Session, *, event_id: int, code: str, lock: bool = False):
    event = get_event(session, event_id, lock=lock)
    if event.status != EventStatus.APPROVED or not _same(code, event.checkin_code):
        raise NotFound("There is nothing here.")
    return event


def _same(a: str, b: str) -> bool:
    import hmac

    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8", "replace"))


def check_in(session: Session, *, event_id: int, code: str | None, user_id: int, actor_id: int,
             now: datetime | None = None, preferred: list[int] | None = None) -> CheckIn:
    """Check ``user_id`` in (``actor_id`` is them, or the host ticking their name). ``code`` None:
    the host's page, whose access the caller has checked. ``preferred``: the event's lists in the
    order to hand them out (``preferred_lists``, read before the write began), so that inside the
    write only "which of these is still free" is asked; None works it out here."""
    now = now or utcnow()
    event = (event_for_code(session, event_id=event_id, code=code, lock=True) if code is not None
             else get_event(session, event_id, lock=True))
    if event.status != EventStatus.APPROVED:
        raise Conflict("Only an approved event takes check-ins.")
    check_window(event, now)
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotFound(f"User {user_id} does not exist.")
    missing = missing_modules(session, user_id=user.id, event_kind=event.kind)
    if missing:
        raise TrainingRequired(missing[0])
    row = session.exec(select(Rsvp).where(Rsvp.event_id == event.id, Rsvp.user_id == user.id)).first()
    already = row is not None and row.checked_in_at is not None and row.status == RsvpStatus.GOING
    if already and (row.walk_list_id is not None or row.call_sheet_id is not None):
        return CheckIn(row, True, session.get(WalkList, row.walk_list_id) if row.walk_list_id else None,
                       row.call_sheet_id is not None)
    if row is None or row.status != RsvpStatus.GOING:
        check_space(session, event=event, shift=None)
        row = row or Rsvp(event_id=event.id, user_id=user.id)
        row.status, row.cancelled_at = RsvpStatus.GOING, None
    if not already:
        row.checked_in_at = now
    session.add(row)
    session.flush()
    # Checked in before with no list left: a list the host has freed since may be handed out now.
    work = session.exec(select(EventWork).where(EventWork.event_id == event.id)).all()
    result = CheckIn(row, already)
    list_ids = [w.walk_list_id for w in work if w.walk_list_id is not None]
    sheet_ids = [w.call_sheet_id for w in work if w.call_sheet_id is not None]
    if list_ids:
        result.walk_list = _hand_out_list(session, event=event, user=user, row=row, list_ids=list_ids,
                                          actor_id=actor_id, preferred=preferred)
    elif sheet_ids:
        _grant(session, user=user, role="caller", actor_id=actor_id)
        row.call_sheet_id = sheet_ids[0]
        result.phonebank = True
    session.add(row)
    session.flush()
    return result


def _grant(session: Session, *, user: User, role: str, actor_id: int) -> None:
    if not user.has_role(role, "organiser"):
        set_roles(session, user=user, roles=sorted(user.role_set | {role}),
                  actor=session.get(User, actor_id), actor_label="event check-in")


def free_lists(session: Session, *, list_ids: list[int]) -> list[int]:
    """Of these lists: the active ones nobody holds (no active assignment, not handed out at a check-in)."""
    held = select(Assignment.walk_list_id).where(Assignment.unassigned_at.is_(None))
    given = select(Rsvp.walk_list_id).where(Rsvp.walk_list_id.is_not(None))
    return list(session.exec(select(WalkList.id).where(
        WalkList.id.in_(list_ids), WalkList.status == ListStatus.ACTIVE,
        WalkList.id.not_in(held), WalkList.id.not_in(given))).all())


def pick_list(session: Session, *, event, list_ids: list[int]) -> int | None:
    """The unworked list (fewest doors recorded) nearest the meeting point (its first door)."""
    ranked = rank_lists(session, event=event, list_ids=free_lists(session, list_ids=list_ids))
    return ranked[0] if ranked else None


def preferred_lists(session: Session, *, event_id: int) -> list[int]:
    """The event's free lists, best first: read before a check-in's write transaction (on SQLite
    the write lock is held only while the choice among them is made and stored)."""
    list_ids = list(session.exec(select(EventWork.walk_list_id).where(
        EventWork.event_id == event_id, EventWork.walk_list_id.is_not(None))).all())
    event = session.get(Event, event_id)
    if event is None or not list_ids:
        return []
    return rank_lists(session, event=event, list_ids=free_lists(session, list_ids=list_ids))


def rank_lists(session: Session, *, event, list_ids: list[int]) -> list[int]:
    """These lists, unworked (fewest doors recorded) first, then nearest the meeting point."""
    free = list_ids
    if not free:
        return []
    worked = dict(session.exec(select(WalkListDoor.walk_list_id, sa.func.count(WalkListDoor.id)).where(
        WalkListDoor.walk_list_id.in_(free), WalkListDoor.last_door_at.is_not(None))
        .group_by(WalkListDoor.walk_list_id)).all())
    # A list's first door (position 0, where its walk starts) stands for where the list is.
    first = {list_id: (lat, lon) for list_id, lat, lon in session.exec(
        select(WalkListDoor.walk_list_id, Household.lat, Household.lon)
        .join(Household, Household.id == WalkListDoor.household_id)
        .where(WalkListDoor.walk_list_id.in_(free), WalkListDoor.position == 0)).all()
        if lat is not None and lon is not None}

    def distance(list_id: int) -> float:
        if event.lat is None or list_id not in first:
            return math.inf
        lat, lon = first[list_id]
        x = math.radians(lon - event.lon) * math.cos(math.radians((lat + event.lat) / 2))
        return math.hypot(x, math.radians(lat - event.lat))

    return sorted(free, key=lambda i: (worked.get(i, 0), distance(i), i))


def _hand_out_list(session: Session, *, event, user: User, row: Rsvp, list_ids: list[int], actor_id: int,
                   preferred: list[int] | None = None):
    chosen = None
    if preferred:  # the first of the ranked lists still free now (others may have taken some since)
        free = set(free_lists(session, list_ids=[i for i in preferred if i in set(list_ids)]))
        chosen = next((i for i in preferred if i in free), None)
    if chosen is None:  # none of them left, or no ranking given: rank what is free now
        chosen = pick_list(session, event=event, list_ids=list_ids)
    if chosen is None:
        return None
    # assign makes a signed-up volunteer a canvasser in this same transaction (audited there).
    walk_lists.assign(session, walk_list_id=chosen, user_ids=[user.id], assigned_by_id=actor_id)
    row.walk_list_id = chosen
    session.add(row)
    session.flush()
    return session.get(WalkList, chosen)
