"""What the people-you-know pages read: a volunteer's own entries (and of the register, only the
street of the person offered or confirmed), their talk list with the script, and for organisers
and team leads counts by team, never whom."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ..config import Settings
from ..models import Channel, ContactEvent, Household, Person, RelationalEntry, Team, TeamMember

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def street_label(street: str) -> str:
    """A register's street as people write it ("MILL ROAD" -> "Mill Road")."""
    return street.title() if street.isupper() else street


@dataclass
class EntryRow:
    id: int
    name: str
    postcode: str
    street: str
    phone: str | None
    state: str                 # "confirmed", "offered", "unmatched", "unchecked"
    register_street: str = ""  # the street of the person offered or confirmed; nothing else
    last_code: str | None = None
    last_label: str = ""
    last_at: datetime | None = None


def _streets(session: Session, person_ids: set[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    rows = session.exec(select(Person.id, Household.street).join(Household, Household.id == Person.household_id)
                        .where(Person.id.in_(sorted(person_ids))))
    return {pid: street_label(street) for pid, street in rows}


def my_people(session: Session, *, owner_id: int) -> list[EntryRow]:
    entries = session.exec(select(RelationalEntry).where(RelationalEntry.owner_id == owner_id)
                           .order_by(sa.func.lower(RelationalEntry.name), RelationalEntry.id)).all()
    streets = _streets(session, {pid for e in entries for pid in (e.person_id, e.suggested_person_id) if pid})
    rows = []
    for e in entries:
        if e.person_id:
            state, pid = "confirmed", e.person_id
        elif e.suggested_person_id:
            state, pid = "offered", e.suggested_person_id
        else:
            state, pid = ("unmatched" if e.checked_at else "unchecked"), None
        rows.append(EntryRow(id=e.id, name=e.name, postcode=e.postcode, street=e.street, phone=e.phone, state=state,
                             register_street=streets.get(pid, "") if pid else ""))
    return rows


def talk_list(session: Session, *, owner_id: int, settings: Settings) -> list[EntryRow]:
    """The confirmed entries, with the latest talk this volunteer recorded for each (not anyone
    else's: a friend listed by two volunteers is two private conversations)."""
    rows = [r for r in my_people(session, owner_id=owner_id) if r.state == "confirmed"]
    if not rows:
        return rows
    person_of = dict(session.exec(select(RelationalEntry.id, RelationalEntry.person_id)
                                  .where(RelationalEntry.id.in_([r.id for r in rows]))).all())
    ev = ContactEvent.__table__.c
    latest: dict[int, tuple] = {}
    for pid, code, at in session.connection().execute(
            sa.select(ev.person_id, ev.code, ev.recorded_at).where(
                ev.channel == Channel.RELATIONAL, ev.actor_user_id == owner_id,
                ev.person_id.in_(sorted(set(person_of.values()))))):
        if pid not in latest or at > latest[pid][1]:
            latest[pid] = (code, at)
    labels = {c.code: c.label for c in settings.codes(Channel.RELATIONAL).values()}
    for r in rows:
        code, at = latest.get(person_of[r.id], (None, None))
        r.last_code, r.last_label, r.last_at = code, labels.get(code, code or ""), at
    return rows


def script_for(settings: Settings, *, name: str, volunteer_name: str) -> str:
    """The campaign's script with the placeholders filled; an unknown {placeholder} stays as typed."""
    values = {"name": name, "first_name": (name.split() or [""])[0], "volunteer_name": volunteer_name or "a volunteer",
              "campaign": settings.campaign_name}
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), settings.relational.script)


@dataclass
class TeamFigures:
    team_id: int | None
    name: str
    volunteers: int = 0   # members who listed anyone
    listed: int = 0
    confirmed: int = 0
    reached: int = 0      # distinct people talked to (an outcome flagged contact) by the team's members


# A literal, not a bound value, so the planner can always match the partial index
# ix_contact_events_relational (migration 0025), prepared statement or not.
_RELATIONAL = ContactEvent.__table__.c.channel == sa.literal_column(f"'{Channel.RELATIONAL.value}'")
PAGE_SIZE = 100   # teams on a page of the report


def _reached(settings: Settings):
    contact = [c.code for c in settings.codes(Channel.RELATIONAL).values() if c.contact]
    ev = ContactEvent.__table__.c
    return [_RELATIONAL, ev.code.in_(contact or [""]), ev.person_id.is_not(None)]


def reached_count(session: Session, *, settings: Settings, user_ids: list[int] | None = None) -> int:
    """Distinct people reached through someone they know (by these volunteers, or by anyone)."""
    ev = ContactEvent.__table__.c
    stmt = sa.select(sa.func.count(sa.distinct(ev.person_id))).where(*_reached(settings))
    if user_ids is not None:
        stmt = stmt.where(ev.actor_user_id.in_(user_ids or [0]))
    return session.connection().execute(stmt).scalar_one()


@dataclass
class ReportPage:
    teams: list[TeamFigures]
    total: TeamFigures | None   # everyone: an organiser's report only
    page: int
    pages: int


def report(session: Session, *, settings: Settings, team_ids: set[int] | None = None,
           page: int = 1) -> ReportPage:
    """Counts per team (``team_ids``: a lead's teams; None: every team), a page of PAGE_SIZE teams by
    name, and in all. Numbers only: who listed whom stays with each volunteer. Two grouped queries
    for the page's teams, not four per team (a state's teams were thousands of round trips)."""
    query = select(Team.id, Team.name)
    if team_ids is not None:
        query = query.where(Team.id.in_(sorted(team_ids) or [0]))
    count = session.exec(select(sa.func.count()).select_from(query.subquery())).one()
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(page, pages)
    shown = session.exec(query.order_by(Team.name, Team.id).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    out = _team_figures(session, settings=settings, teams=shown)
    total = None
    if team_ids is None:
        total = _figures(session, settings=settings, team_id=None, name="Everyone", user_ids=None)
    return ReportPage(out, total, page, pages)


def _team_figures(session, *, settings, teams) -> list[TeamFigures]:
    """``teams``: (id, name) rows, in the order shown."""
    if not teams:
        return []
    e, ev, tm = RelationalEntry.__table__.c, ContactEvent.__table__.c, TeamMember.__table__.c
    out = {team_id: TeamFigures(team_id=team_id, name=name) for team_id, name in teams}
    team_ids = sorted(out)
    listed = (sa.select(tm.team_id, sa.func.count(sa.distinct(e.owner_id)), sa.func.count(), sa.func.count(e.person_id))
              .join(RelationalEntry.__table__, e.owner_id == tm.user_id).where(tm.team_id.in_(team_ids)).group_by(tm.team_id))
    for team_id, volunteers, entries, confirmed in session.connection().execute(listed):
        out[team_id].volunteers, out[team_id].listed, out[team_id].confirmed = volunteers, entries, confirmed
    reached = (sa.select(tm.team_id, sa.func.count(sa.distinct(ev.person_id)))
               .join(ContactEvent.__table__, ev.actor_user_id == tm.user_id)
               .where(tm.team_id.in_(team_ids), *_reached(settings)).group_by(tm.team_id))
    for team_id, people in session.connection().execute(reached):
        out[team_id].reached = people
    return [out[team_id] for team_id, _ in teams]


def _figures(session, *, settings, team_id, name, user_ids) -> TeamFigures:
    e = RelationalEntry.__table__.c
    stmt = sa.select(sa.func.count(sa.distinct(e.owner_id)), sa.func.count(), sa.func.count(e.person_id))
    if user_ids is not None:
        stmt = stmt.where(e.owner_id.in_(user_ids or [0]))
    volunteers, listed, confirmed = session.connection().execute(stmt).one()
    return TeamFigures(team_id=team_id, name=name, volunteers=volunteers, listed=listed, confirmed=confirmed,
                       reached=reached_count(session, settings=settings, user_ids=user_ids))
