"""Recognition, not ranking: a volunteer's weekly streak and the thank-you for each list they
finished; a team's totals. An individual top ten only when [volunteers] show_rankings is on."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from ..config import settings
from ..models import (ActivityDay, Assignment, Channel, TeamMember, User, VolunteerProfile, WalkList,
                      WalkListDoor)
from .names import short_name
from .shifts import monday, shift_days, shift_weeks, streak

THANKS_LISTS = 3        # the latest finished lists thanked on the home page
TOP = 10


@dataclass(frozen=True)
class ListThanks:
    id: int
    name: str
    doors: int            # door events this volunteer recorded on it
    spoken: int           # of which someone answered (codes flagged contact)
    supporters: int


@dataclass
class Recognition:
    streak: int
    weeks_worked: int
    this_week: bool
    thanks: list[ListThanks] = field(default_factory=list)
    top: list[tuple[str, int]] | None = None     # only with show_rankings
    recruited: int = 0                           # joined through their link ("find 10 more")


def for_volunteer(session: Session, *, user_id: int, today: date) -> Recognition:
    worked = shift_weeks(session, user_ids={user_id}).get(user_id, set())  # a row a week, not a day
    found = Recognition(streak=streak(worked, today=today), weeks_worked=len(worked),
                        this_week=monday(today) in worked, thanks=finished_lists(session, user_id=user_id))
    found.recruited = session.execute(sa.select(sa.func.count()).select_from(VolunteerProfile)
                                      .where(VolunteerProfile.recruited_by_id == user_id)).scalar_one()
    if settings().volunteers.show_rankings:
        found.top = top_of_week(session, today=today)
    return found


def finished_lists(session: Session, *, user_id: int) -> list[ListThanks]:
    """The volunteer's latest lists whose every door has been knocked, and what they did on each."""
    open_doors = (sa.select(sa.func.count(WalkListDoor.id)).where(WalkListDoor.walk_list_id == WalkList.id,
                                                                   WalkListDoor.last_door_at.is_(None))
                  .correlate(WalkList).scalar_subquery())
    lists = session.execute(
        sa.select(WalkList.id, WalkList.name).join(Assignment, Assignment.walk_list_id == WalkList.id)
        .where(Assignment.user_id == user_id, WalkList.door_count > 0, WalkList.knockup_round_id.is_(None),
               open_doors == 0)
        .group_by(WalkList.id, WalkList.name).order_by(sa.func.max(Assignment.assigned_at).desc())
        .limit(THANKS_LISTS)).all()
    if not lists:
        return []
    sums = {row.walk_list_id: row for row in session.execute(
        sa.select(ActivityDay.walk_list_id, sa.func.sum(ActivityDay.events).label("events"),
                  sa.func.sum(ActivityDay.contacts).label("contacts"),
                  sa.func.sum(ActivityDay.supporters).label("supporters"))
        .where(ActivityDay.actor_user_id == user_id, ActivityDay.channel == Channel.DOOR,
               ActivityDay.walk_list_id.in_([r.id for r in lists]))
        .group_by(ActivityDay.walk_list_id))}
    out = []
    for row in lists:
        done = sums.get(row.id)
        if done is not None and done.events:
            out.append(ListThanks(row.id, row.name, int(done.events), int(done.contacts or 0),
                                  int(done.supporters or 0)))
    return out


def top_of_week(session: Session, *, today: date) -> list[tuple[str, int]]:
    """This week's ten busiest volunteers (doors and calls), as "Robin N." (the campaign chose this)."""
    rows = session.execute(
        sa.select(User.name, sa.func.sum(ActivityDay.events).label("done"))
        .join(User, User.id == ActivityDay.actor_user_id)
        .where(ActivityDay.day >= monday(today), ActivityDay.actor_user_id > 0)
        .group_by(User.id, User.name).order_by(sa.desc("done"), User.name).limit(TOP)).all()
    return [(short_name(r.name), int(r.done)) for r in rows]


@dataclass(frozen=True)
class Totals:
    doors: int
    calls: int
    shifts: int


def team_totals(session: Session, *, team_id: int, today: date) -> tuple[Totals, Totals]:
    """(this week, all time) for the team's members together: doors knocked, calls made, shifts
    (a member's day with work or an event attended)."""
    members = set(session.execute(sa.select(TeamMember.user_id).where(TeamMember.team_id == team_id)).scalars())
    if not members:
        return Totals(0, 0, 0), Totals(0, 0, 0)
    week = monday(today)
    by_channel = sa.select(ActivityDay.channel, sa.func.sum(ActivityDay.events)).where(
        ActivityDay.actor_user_id.in_(sorted(members))).group_by(ActivityDay.channel)
    ever = {c: int(n or 0) for c, n in session.execute(by_channel)}
    now = {c: int(n or 0) for c, n in session.execute(by_channel.where(ActivityDay.day >= week))}
    days = shift_days(session, user_ids=members)
    shifts_all = sum(len(d) for d in days.values())
    shifts_week = sum(1 for d in days.values() for day in d if day >= week)
    return (Totals(now.get(Channel.DOOR, 0), now.get(Channel.PHONE, 0), shifts_week),
            Totals(ever.get(Channel.DOOR, 0), ever.get(Channel.PHONE, 0), shifts_all))


