"""Holds that ended (list released, volunteer unassigned, PIN revoked, or the door taken off the
list when its turf was redrawn): a holder may still hand in the doors they recorded while they
held them, for ``[canvass] late_grace_hours`` after the hold ended; they may read nothing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ...clock import as_utc, campaign_time
from ...config import settings
from ...models import Assignment, ListPin, ListStatus, WalkList, WalkListDoor, WalkListRemovedDoor


@dataclass(frozen=True)
class Hold:
    """A list the principal held and holds no more. ``ended_at`` is None when the list was
    released without a recorded time (never by the app itself)."""

    walk_list_id: int
    name: str
    ended_at: datetime | None
    how: str  # "released", "unassigned", "revoked" (a PIN) or "removed" (the door left the list)


def late_grace() -> timedelta:
    return timedelta(hours=settings().canvass.late_grace_hours)


def _hold(walk_list_id, name, status, released_at, personal_end, personal_how, removed_at=None) -> Hold:
    ends = [(as_utc(t), how) for t, how in ((released_at, "released"), (personal_end, personal_how),
                                            (removed_at, "removed")) if t is not None]
    if ends:
        ended_at, how = min(ends, key=lambda e: e[0])
        return Hold(walk_list_id, name, ended_at, how)
    return Hold(walk_list_id, name, None, "released" if status != ListStatus.ACTIVE else personal_how)


def _end_key(hold: Hold):
    return hold.ended_at.timestamp() if hold.ended_at else float("-inf")


def lapsed_holds(session: Session, *, principal, household_ids: set[int] | None = None,
                 walk_list_id: int | None = None) -> dict[int | None, list[Hold]]:
    """The principal's ended holds on lists with these households (keyed by household id), or
    on that one list (keyed None). Only the list's own holder is answered: a stranger gets {}."""
    pin = getattr(principal, "pin", None)
    if pin is not None:
        how = "revoked"
        held = (select(WalkList.id, WalkList.name, WalkList.status, WalkList.released_at, ListPin.revoked_at)
                .join(ListPin, ListPin.walk_list_id == WalkList.id).where(ListPin.id == pin.id))
        query = held.where(sa.or_(ListPin.revoked_at.is_not(None), WalkList.status != ListStatus.ACTIVE))
    elif getattr(principal, "is_authenticated", False) and principal.id is not None:
        how = "unassigned"
        held = (select(WalkList.id, WalkList.name, WalkList.status, WalkList.released_at, Assignment.unassigned_at)
                .join(Assignment, Assignment.walk_list_id == WalkList.id).where(Assignment.user_id == principal.id))
        query = held.where(sa.or_(Assignment.unassigned_at.is_not(None), WalkList.status != ListStatus.ACTIVE))
    else:
        return {}
    out: dict[int | None, list[Hold]] = {}
    if walk_list_id is not None:
        for row in session.exec(query.where(WalkList.id == walk_list_id)).all():
            out.setdefault(None, []).append(_hold(*row, how))
    if household_ids:
        query = query.add_columns(WalkListDoor.household_id).join(
            WalkListDoor, WalkListDoor.walk_list_id == WalkList.id).where(WalkListDoor.household_id.in_(household_ids))
        for *row, household_id in session.exec(query).all():
            out.setdefault(household_id, []).append(_hold(*row, how))
        # Doors taken off a list (held then, ended or not since) when its turf was redrawn.
        removed = held.add_columns(WalkListRemovedDoor.removed_at, WalkListRemovedDoor.household_id).join(
            WalkListRemovedDoor, WalkListRemovedDoor.walk_list_id == WalkList.id).where(
            WalkListRemovedDoor.household_id.in_(household_ids))
        for *row, removed_at, household_id in session.exec(removed).all():
            out.setdefault(household_id, []).append(_hold(*row, how, removed_at))
    return out


def _when(moment: datetime) -> str:
    return campaign_time(moment, "%H:%M on %d %b", zone=False)


def _ended_text(hold: Hold) -> str:
    what = {"released": f"Walk list {hold.name} was released",
            "unassigned": f"Walk list {hold.name} was unassigned from you",
            "revoked": f"Your PIN for walk list {hold.name} was revoked",
            "removed": f"This door was taken off walk list {hold.name}"}[hold.how]
    return f"{what} at {_when(hold.ended_at)}" if hold.ended_at else what


def late_verdict(holds: list[Hold], *, household_id: int, walk_list_id: int | None, recorded_at: datetime,
                 now: datetime) -> tuple[Hold | None, str]:
    """May an outcome at a door the principal no longer holds be stored? (the hold, "") when it
    may: recorded at or before the hold ended, arriving within the grace period after that.
    Otherwise (the hold or None, the reason in plain language). A door never held gets the same
    reason as a made-up one, so the answer tells nothing about it."""
    holds = [h for h in holds if walk_list_id is None or h.walk_list_id == walk_list_id]
    if not holds:
        return None, f"household {household_id} is not on a list assigned to you"
    grace = late_grace()
    timed = [h for h in holds if h.ended_at is not None]
    before = [h for h in timed if as_utc(recorded_at) <= h.ended_at]
    for hold in before:
        if now <= hold.ended_at + grace:
            return hold, ""
    if before:
        hold = max(before, key=_end_key)
        return hold, (f"{_ended_text(hold)}; doors recorded before that could be sent for "
                      f"{_hours(grace)} hours after it, and that time is over.")
    hold = max(holds, key=_end_key)
    if hold.ended_at is None:
        return hold, f"{_ended_text(hold)}; doors on it can no longer be sent."
    return hold, f"{_ended_text(hold)}; this door was recorded after that."


def _hours(grace: timedelta) -> str:
    return f"{grace.total_seconds() / 3600:g}"


def closed_message(hold: Hold) -> str:
    """What someone reopening a list they no longer hold reads."""
    text = f"{_ended_text(hold)}."
    if hold.ended_at is not None:
        until = hold.ended_at + late_grace()
        text += (f" Doors you already recorded on this phone will still be sent if they reach us by "
                 f"{_when(until)} ({_hours(late_grace())} hours after that).")
    return text + " Your other lists are under My lists."
