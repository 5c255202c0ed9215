"""An event's life: create (or propose), edit, approve or decline, cancel; RSVPs and attendance.

Each function takes the session first and is run inside ``write_transaction`` by its caller; the
access rule (``app.auth.access``) is checked here too, so a forged form field changes nothing.
"""
from __future__ import annotations

import math
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from ..audit import audit
from ..auth import access
from ..clock import as_utc
from ..db import is_sqlite
from ..errors import Conflict, Forbidden, NotFound, ValidationError
from ..models import (CallSheet, Event, EventKind, EventShift, EventStatus, EventWork, ListStatus, Rsvp, Team,
                      TeamMember, User, VolunteerProfile, WalkList)

KINDS = tuple(k.value for k in EventKind)


@dataclass
class ShiftInput:
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = None


@dataclass
class EventInput:
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    description: str = ""
    meeting_point: str = ""
    lat: float | None = None
    lon: float | None = None
    capacity: int | None = None
    team_id: int | None = None
    host_id: int | None = None
    shifts: list[ShiftInput] = field(default_factory=list)
    walk_list_ids: list[int] = field(default_factory=list)
    call_sheet_ids: list[int] = field(default_factory=list)


def get_event(session: Session, event_id: int, *, lock: bool = False) -> Event:
    """The event; ``lock``: on PostgreSQL, hold its row until commit, so counts taken for a
    capacity or a list hand-out cannot race (SQLite's writers are serialised already)."""
    query = select(Event).where(Event.id == event_id).execution_options(populate_existing=True)
    if lock and not is_sqlite(session):
        query = query.with_for_update()
    event = session.exec(query).first()
    if event is None:
        raise NotFound(f"Event {event_id} does not exist.")
    return event


def _check_capacity(value, what: str) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 100000):
        raise ValidationError(f"{what} must be a whole number of at least 1 (or left empty for no limit).")


def _validate(data: EventInput) -> None:
    if data.kind not in KINDS:
        raise ValidationError(f"Choose the kind of event ({', '.join(KINDS)}).")
    if not data.title.strip() or len(data.title.strip()) > 120:
        raise ValidationError("Give the event a title of at most 120 characters.")
    if len(data.meeting_point) > 200 or len(data.description) > 5000:
        raise ValidationError("The meeting point (200) or description (5000 characters) is too long.")
    if as_utc(data.ends_at) <= as_utc(data.starts_at):
        raise ValidationError("The event must end after it starts.")
    _check_capacity(data.capacity, "Capacity")
    if (data.lat is None) != (data.lon is None):
        raise ValidationError("Give both latitude and longitude, or neither.")
    if data.lat is not None and not (-90 <= data.lat <= 90 and -180 <= data.lon <= 180
                                     and math.isfinite(data.lat) and math.isfinite(data.lon)):
        raise ValidationError("Latitude must be between -90 and 90 and longitude between -180 and 180.")
    for shift in data.shifts:
        if as_utc(shift.ends_at) <= as_utc(shift.starts_at):
            raise ValidationError("Each shift must end after it starts.")
        _check_capacity(shift.capacity, "A shift's capacity")


def _status_for_new(session: Session, *, actor, data: EventInput) -> str:
    if data.team_id is not None and session.get(Team, data.team_id) is None:
        raise ValidationError(f"Team {data.team_id} does not exist.")
    if access.can_lead_team(session, principal=actor, team_id=data.team_id):
        return EventStatus.APPROVED
    if not (access.is_user(actor) and actor.has_role("volunteer")) or data.team_id is None \
            or data.team_id not in access.member_team_ids(session, principal=actor):
        raise Forbidden("You may create or propose events only for a team you lead or belong to.")
    profile = session.get(VolunteerProfile, actor.id)
    return EventStatus.APPROVED if profile is not None and profile.trusted_host else EventStatus.PROPOSED


def _check_host(session: Session, *, actor, data: EventInput) -> int:
    if data.host_id is None or data.host_id == actor.id:
        return actor.id
    if not access.can_lead_team(session, principal=actor, team_id=data.team_id):
        raise Forbidden("Only the team's lead or an organiser may name another host.")
    host = session.get(User, data.host_id)
    if host is None or not host.is_active:
        raise ValidationError(f"The host (user {data.host_id}) does not exist or has been deactivated.")
    return host.id


def _set_work(session: Session, *, actor, event: Event, data: EventInput) -> None:
    lists, sheets = set(data.walk_list_ids), set(data.call_sheet_ids)
    allowed = access.team_work_ids(session, principal=actor, team_id=data.team_id)
    if lists or sheets:
        found_lists = set(session.exec(select(WalkList.id).where(WalkList.id.in_(lists),
                                                                 WalkList.status == ListStatus.ACTIVE)).all())
        found_sheets = set(session.exec(select(CallSheet.id).where(CallSheet.id.in_(sheets))).all())
        if found_lists != lists or found_sheets != sheets:
            raise ValidationError("Some of those walk lists or call sheets do not exist or are no longer active.")
        if allowed is not None and not (lists <= allowed[0] and sheets <= allowed[1]):
            raise Forbidden("You may only choose walk lists and call sheets inside your team's areas.")
    current = session.exec(select(EventWork).where(EventWork.event_id == event.id)).all()
    for row in current:
        if row.walk_list_id not in lists and row.call_sheet_id not in sheets:
            session.delete(row)
    have = {(r.walk_list_id, r.call_sheet_id) for r in current}
    session.add_all([EventWork(event_id=event.id, walk_list_id=i) for i in sorted(lists) if (i, None) not in have])
    session.add_all([EventWork(event_id=event.id, call_sheet_id=i) for i in sorted(sheets) if (None, i) not in have])


def _set_shifts(session: Session, *, event: Event, shifts: list[ShiftInput]) -> None:
    existing = session.exec(select(EventShift).where(EventShift.event_id == event.id).order_by(EventShift.id)).all()
    for row, shift in zip(existing, shifts):
        row.starts_at, row.ends_at, row.capacity = as_utc(shift.starts_at), as_utc(shift.ends_at), shift.capacity
        session.add(row)
    for row in existing[len(shifts):]:
        if session.exec(select(Rsvp.id).where(Rsvp.shift_id == row.id).limit(1)).first() is not None:
            raise Conflict("A shift people have signed up for cannot be removed; cancel the event instead.")
        session.delete(row)
    session.add_all([EventShift(event_id=event.id, starts_at=as_utc(s.starts_at), ends_at=as_utc(s.ends_at),
                                capacity=s.capacity) for s in shifts[len(existing):]])


def _apply(event: Event, data: EventInput) -> None:
    event.kind, event.title, event.description = data.kind, data.title.strip(), data.description.strip()
    event.starts_at, event.ends_at = as_utc(data.starts_at), as_utc(data.ends_at)
    event.meeting_point, event.lat, event.lon = data.meeting_point.strip(), data.lat, data.lon
    event.capacity, event.team_id = data.capacity, data.team_id


def create_event(session: Session, *, actor, data: EventInput) -> Event:
    """A new event: approved at once for organisers, the team's leads and trusted hosts;
    proposed (awaiting the team's lead) for other volunteers of the team."""
    _validate(data)
    status = _status_for_new(session, actor=actor, data=data)
    host_id = _check_host(session, actor=actor, data=data)
    if (data.walk_list_ids or data.call_sheet_ids) and not access.can_lead_team(session, principal=actor,
                                                                               team_id=data.team_id):
        raise Forbidden("Only the team's lead or an organiser may give an event walk lists or call sheets.")
    event = Event(kind=data.kind, title="", starts_at=data.starts_at, ends_at=data.ends_at, status=status,
                  host_id=host_id, created_by_id=actor.id, checkin_code=secrets.token_urlsafe(16)[:22])
    _apply(event, data)
    session.add(event)
    session.flush()
    _set_shifts(session, event=event, shifts=data.shifts)
    _set_work(session, actor=actor, event=event, data=data)
    audit(session, action="event.create", actor_user_id=actor.id, target=f"event:{event.id}",
          detail={"status": status, "team": data.team_id})
    session.flush()
    return event


def update_event(session: Session, *, actor, event_id: int, data: EventInput) -> Event:
    event = get_event(session, event_id)
    if not access.may_manage_event(session, principal=actor, event=event):
        raise Forbidden("You may not edit this event.")
    _validate(data)
    leads_new = access.can_lead_team(session, principal=actor, team_id=data.team_id)
    if data.team_id != event.team_id and not leads_new:
        raise Forbidden("You may only move an event to a team you lead.")
    if data.host_id not in (None, event.host_id):
        _check_host(session, actor=actor, data=data)
    if (data.walk_list_ids or data.call_sheet_ids) and not leads_new:
        raise Forbidden("Only the team's lead or an organiser may change the event's walk lists or call sheets.")
    _apply(event, data)
    event.host_id = data.host_id or event.host_id
    session.add(event)
    _set_shifts(session, event=event, shifts=data.shifts)
    if leads_new:  # a host who is not a lead edits the rest and leaves the work as the lead set it
        _set_work(session, actor=actor, event=event, data=data)
    audit(session, action="event.update", actor_user_id=actor.id, target=f"event:{event.id}")
    session.flush()
    return event


def set_status(session: Session, *, actor, event_id: int, action: str) -> Event:
    """approve / decline a proposal (the team's lead or an organiser), or cancel an event."""
    event = get_event(session, event_id)
    if action == "cancel":
        if not access.may_manage_event(session, principal=actor, event=event):
            raise Forbidden("You may not cancel this event.")
        if event.status == EventStatus.CANCELLED:
            return event
        event.status = EventStatus.CANCELLED
    else:
        if not access.can_lead_team(session, principal=actor, team_id=event.team_id):
            raise Forbidden("Only the team's lead or an organiser may approve or decline a proposal.")
        if event.status != EventStatus.PROPOSED:
            raise Conflict("That event is not awaiting approval.")
        event.status = EventStatus.APPROVED if action == "approve" else EventStatus.CANCELLED
    session.add(event)
    audit(session, action=f"event.{action}", actor_user_id=actor.id, target=f"event:{event.id}")
    session.flush()
    return event


def set_trusted_host(session: Session, *, actor, user_id: int, trusted: bool) -> VolunteerProfile:
    """Mark a volunteer whose proposals need no approval: organisers anyone, leads their members."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"User {user_id} does not exist.")
    teams = set(session.exec(select(TeamMember.team_id).where(TeamMember.user_id == user_id)).all())
    if not access.is_organiser(actor) and not teams & access.lead_team_ids(session, principal=actor):
        raise Forbidden("You may only trust members of a team you lead.")
    profile = session.get(VolunteerProfile, user_id) or VolunteerProfile(user_id=user_id)
    profile.trusted_host = bool(trusted)
    session.add(profile)
    audit(session, action="event.trusted_host", actor_user_id=actor.id, target=f"user:{user_id}",
          detail={"trusted": bool(trusted)})
    session.flush()
    return profile
