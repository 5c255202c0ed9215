"""What the event pages read: spaces left, who is coming, what an event did."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..auth import access
from ..clock import as_utc
from ..config import settings
from ..errors import NotFound
from ..models import (CallAttempt, CallSheet, Channel, ContactEvent, Event, EventShift, EventStatus, EventWork,
                      Household, Rsvp, RsvpStatus, Team, User, WalkList, utcnow)


def public_event(session: Session, *, event_id: int) -> Event:
    """An event anyone may read: approved or cancelled (the page says so); else 404."""
    event = session.get(Event, event_id)
    if event is None or event.status == EventStatus.PROPOSED:
        raise NotFound("There is no such event.")
    return event


def shifts(session: Session, *, event_id: int) -> list[EventShift]:
    return list(session.exec(select(EventShift).where(EventShift.event_id == event_id)
                             .order_by(EventShift.starts_at, EventShift.id)).all())


def going_by_shift(session: Session, *, event_id: int) -> dict[int | None, int]:
    rows = session.exec(select(Rsvp.shift_id, sa.func.count(Rsvp.id)).where(
        Rsvp.event_id == event_id, Rsvp.status == RsvpStatus.GOING).group_by(Rsvp.shift_id)).all()
    return dict(rows)


def spaces(event: Event, going: dict[int | None, int], event_shifts: list[EventShift]) -> dict:
    """Spaces left: "event" for the whole event and one per shift id (None: no limit)."""
    total = sum(going.values())
    out = {"event": None if event.capacity is None else max(event.capacity - total, 0)}
    for shift in event_shifts:
        left = None if shift.capacity is None else max(shift.capacity - going.get(shift.id, 0), 0)
        if out["event"] is not None:
            left = out["event"] if left is None else min(left, out["event"])
        out[shift.id] = left
    return out


def team_name(session: Session, team_id: int | None) -> str:
    team = session.get(Team, team_id) if team_id else None
    return team.name if team else ""


def my_rsvp(session: Session, *, event_id: int, principal) -> Rsvp | None:
    if not access.is_user(principal):
        return None
    return session.exec(select(Rsvp).where(Rsvp.event_id == event_id, Rsvp.user_id == principal.id)).first()


def managed_events(session: Session, *, principal) -> list[Event]:
    """Organisers: every event; leads: their teams' events; anyone: the events they host."""
    query = select(Event).order_by(Event.starts_at.desc(), Event.id.desc())
    if not access.is_organiser(principal):
        teams = access.lead_team_ids(session, principal=principal)
        query = query.where(sa.or_(Event.team_id.in_(teams or {-1}), Event.host_id == principal.id))
    return list(session.exec(query.limit(500)).all())


@dataclass
class RsvpRow:
    rsvp: Rsvp
    name: str
    walk_list: str


def admin_rows(session: Session, *, event_id: int) -> list[RsvpRow]:
    rows = session.exec(select(Rsvp, User.name, User.email, WalkList.name)
                        .join(User, User.id == Rsvp.user_id)
                        .join(WalkList, WalkList.id == Rsvp.walk_list_id, isouter=True)
                        .where(Rsvp.event_id == event_id).order_by(User.name, User.email)).all()
    return [RsvpRow(r, name or email, wl or "") for r, name, email, wl in rows]


def counts(event: Event, rows: list[RsvpRow]) -> dict:
    ended = as_utc(event.ends_at) <= utcnow()
    going = [r.rsvp for r in rows if r.rsvp.status == RsvpStatus.GOING]
    return {"going": len(going), "checked_in": sum(1 for r in going if r.checked_in_at),
            "cancelled": sum(1 for r in rows if r.rsvp.status == RsvpStatus.CANCELLED),
            "no_shows": sum(1 for r in going if not r.checked_in_at) if ended else 0, "ended": ended}


def map_centre(session: Session) -> tuple[float, float, int]:
    """Where the form's map opens: the middle of the campaign's doors (lat, lon, zoom)."""
    lat, lon = session.exec(select(sa.func.avg(Household.lat), sa.func.avg(Household.lon))).one()
    return (round(lat, 6), round(lon, 6), 14) if lat is not None and lon is not None else (20.0, 0.0, 2)


def work(session: Session, *, event_id: int) -> tuple[list[WalkList], list[CallSheet]]:
    rows = session.exec(select(EventWork).where(EventWork.event_id == event_id)).all()
    list_ids = [r.walk_list_id for r in rows if r.walk_list_id]
    sheet_ids = [r.call_sheet_id for r in rows if r.call_sheet_id]
    lists = session.exec(select(WalkList).where(WalkList.id.in_(list_ids or [-1])).order_by(WalkList.name)).all()
    sheets = session.exec(select(CallSheet).where(CallSheet.id.in_(sheet_ids or [-1])).order_by(CallSheet.name)).all()
    return list(lists), list(sheets)


def work_choices(session: Session, *, principal, team_id: int | None):
    """(walk lists, call sheets) the principal may give an event of this team."""
    allowed = access.team_work_ids(session, principal=principal, team_id=team_id)
    lists = select(WalkList).where(WalkList.status == "active").order_by(WalkList.name)
    sheets = select(CallSheet).order_by(CallSheet.name)
    if allowed is not None:
        lists = lists.where(WalkList.id.in_(allowed[0] or {-1}))
        sheets = sheets.where(CallSheet.id.in_(allowed[1] or {-1}))
    return list(session.exec(lists.limit(1000)).all()), list(session.exec(sheets.limit(1000)).all())


def results(session: Session, *, event: Event) -> dict:
    """What the event did: doors knocked and conversations on its walk lists between its start and
    two hours after its end, and calls made by its attendees on its sheets' people in that time."""
    lists, sheets = work(session, event_id=event.id)
    start, end = as_utc(event.starts_at), as_utc(event.ends_at) + timedelta(hours=2)
    contact = [c.code for c in settings().codes(Channel.DOOR).values() if c.contact]
    doors = conversations = calls = 0
    if lists:
        base = select(sa.func.count(ContactEvent.id)).where(
            ContactEvent.walk_list_id.in_([w.id for w in lists]), ContactEvent.channel == Channel.DOOR,
            ContactEvent.recorded_at >= start, ContactEvent.recorded_at <= end)
        doors = session.exec(base).one()
        conversations = session.exec(base.where(ContactEvent.code.in_(contact or ["-"]))).one()
    if sheets:
        people = select(Rsvp.user_id).where(Rsvp.event_id == event.id, Rsvp.checked_in_at.is_not(None))
        calls = session.exec(select(sa.func.count(CallAttempt.id)).where(
            CallAttempt.caller_id.in_(people), CallAttempt.started_at >= start,
            CallAttempt.started_at <= end)).one()
    return {"doors": doors, "conversations": conversations, "calls": calls}
