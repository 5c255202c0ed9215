"""Reads for the volunteer's home (/me): their shifts, teams, work, and what they have done."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from ..config import settings
from ..models import (Assignment, CallAttempt, Channel, ContactEvent, Event, EventStatus, ListStatus, Rsvp, RsvpStatus,
                      Team, TeamMember, User, WalkList)

MAX_SHIFTS = 20


@dataclass
class TeamWeek:
    id: int
    name: str
    is_lead: bool
    leads: list[str]
    doors: int = 0
    calls: int = 0
    members: list[tuple[str, int, int]] = field(default_factory=list)  # (name, doors, calls), rankings only


@dataclass
class Home:
    shifts: list
    upcoming: list      # the teams' approved events they have no place at yet: RSVP from here
    teams: list[TeamWeek]
    other_teams: list
    lists: list
    doors: int
    calls: int
    events: int
    week_start: datetime


def week_start(now: datetime) -> datetime:
    """Monday 00:00 of this week on the campaign's clock, as an aware UTC datetime."""
    local = now.astimezone(ZoneInfo(settings().timezone))
    monday = (local - timedelta(days=local.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    return monday.astimezone(ZoneInfo("UTC"))


def _count(session: Session, query) -> int:
    return session.execute(query).scalar_one()


def volunteer_home(session: Session, *, user_id: int, now: datetime) -> Home:
    shifts = session.execute(
        sa.select(Event.id, Event.title, Event.kind, Event.starts_at, Event.meeting_point)
        .join(Rsvp, Rsvp.event_id == Event.id)
        .where(Rsvp.user_id == user_id, Rsvp.status == RsvpStatus.GOING, Event.ends_at > now)
        .order_by(Event.starts_at).limit(MAX_SHIFTS)).all()
    mine = session.execute(sa.select(Team.id, Team.name, TeamMember.is_lead).join(TeamMember, TeamMember.team_id == Team.id)
                           .where(TeamMember.user_id == user_id).order_by(Team.name)).all()
    since = week_start(now)
    teams = [_team_week(session, row, since) for row in mine]
    other_teams = session.execute(sa.select(Team.id, Team.name).where(Team.id.not_in([t.id for t in teams]))
                                  .order_by(Team.name)).all()
    booked = sa.select(Rsvp.event_id).where(Rsvp.user_id == user_id, Rsvp.status == RsvpStatus.GOING)
    upcoming = session.execute(
        sa.select(Event.id, Event.title, Event.kind, Event.starts_at, Event.meeting_point)
        .where(Event.team_id.in_([t.id for t in teams]), Event.status == EventStatus.APPROVED, Event.ends_at > now,
               Event.id.not_in(booked))
        .order_by(Event.starts_at).limit(MAX_SHIFTS)).all() if teams else []
    lists = session.execute(
        sa.select(WalkList.id, WalkList.name, WalkList.door_count).join(Assignment, Assignment.walk_list_id == WalkList.id)
        .where(Assignment.user_id == user_id, Assignment.unassigned_at.is_(None), WalkList.status == ListStatus.ACTIVE)
        .order_by(WalkList.name)).all()
    return Home(
        shifts=shifts, upcoming=upcoming, teams=teams, other_teams=other_teams, lists=lists, week_start=since,
        doors=_count(session, sa.select(sa.func.count(ContactEvent.id)).where(
            ContactEvent.actor_user_id == user_id, ContactEvent.channel == Channel.DOOR)),
        calls=_count(session, sa.select(sa.func.count(CallAttempt.id)).where(CallAttempt.caller_id == user_id)),
        events=_count(session, sa.select(sa.func.count(Rsvp.id)).where(Rsvp.user_id == user_id,
                                                                        Rsvp.checked_in_at.is_not(None))))


def _team_week(session: Session, row, since: datetime) -> TeamWeek:
    members = session.execute(sa.select(User.id, User.name, TeamMember.is_lead)
                              .join(TeamMember, TeamMember.user_id == User.id)
                              .where(TeamMember.team_id == row.id).order_by(User.name)).all()
    ids = [m.id for m in members]
    doors = dict(session.execute(
        sa.select(ContactEvent.actor_user_id, sa.func.count(ContactEvent.id))
        .where(ContactEvent.actor_user_id.in_(ids), ContactEvent.channel == Channel.DOOR,
               ContactEvent.recorded_at >= since).group_by(ContactEvent.actor_user_id)).all())
    calls = dict(session.execute(
        sa.select(CallAttempt.caller_id, sa.func.count(CallAttempt.id))
        .where(CallAttempt.caller_id.in_(ids), CallAttempt.started_at >= since)
        .group_by(CallAttempt.caller_id)).all())
    week = TeamWeek(id=row.id, name=row.name, is_lead=bool(row.is_lead),
                    leads=[m.name or "(no name yet)" for m in members if m.is_lead],
                    doors=sum(doors.values()), calls=sum(calls.values()))
    if settings().volunteers.show_rankings:
        week.members = sorted(((m.name or "A volunteer", doors.get(m.id, 0), calls.get(m.id, 0)) for m in members),
                              key=lambda m: (-(m[1] + m[2]), m[0]))
    return week
