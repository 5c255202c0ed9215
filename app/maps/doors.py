"""Door-level state: each household's latest outcome and status for the door maps.

Read-only, like coverage.py; the statuses and their precedence are defined there (STATUSES).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlmodel import Session, select

from ..config import Settings
from ..models import ContactEvent, DoNotContact, Household, Person, SurveyResponse, WalkListDoor
from .coverage import AreaCoverage, contact_condition


@dataclass(slots=True)
class DoorState:
    household_id: int
    lon: float
    lat: float
    address: str
    status: str
    neighbourhood_id: int | None = None
    last_code: str | None = None
    last_channel: str | None = None
    last_at: datetime | None = None
    attempted: frozenset = frozenset()   # channels ever tried
    reached: frozenset = frozenset()     # channels on which someone was reached


def door_states(session: Session, *, settings: Settings, ward_id: int | None = None,
                neighbourhood_id: int | None = None, walk_list_id: int | None = None) -> list[DoorState]:
    """Every household in scope with its door-level status (walk lists: in route order); the map
    leaves out the few without coordinates, the coverage counts keep them.

    Each query reads one index in its own order (no window functions, no big sorts): the whole
    city's 20,000+ doors and 100,000 events fit the map's half-second budget.
    """
    stmt = select(Household.id, Household.lon, Household.lat, Household.house_number, Household.suffix,
                  Household.street, Household.unit, Household.neighbourhood_id)
    if walk_list_id is not None:
        stmt = (stmt.join(WalkListDoor, WalkListDoor.household_id == Household.id)
                .where(WalkListDoor.walk_list_id == walk_list_id).order_by(WalkListDoor.position))
        scope = select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id == walk_list_id)
    else:
        conds = []
        if ward_id is not None:
            conds.append(Household.ward_id == ward_id)
        if neighbourhood_id is not None:
            conds.append(Household.neighbourhood_id == neighbourhood_id)
        stmt = stmt.where(*conds).order_by(Household.id)
        scope = select(Household.id).where(*conds) if conds else None
    households = session.connection().execute(stmt).all()

    in_scope = (lambda col: col.in_(scope)) if scope is not None else (lambda col: sa.true())
    door, phone, contact = ContactEvent.channel == "door", ContactEvent.channel == "phone", contact_condition(settings)

    def flag(cond):
        return sa.func.max(sa.case((cond, 1), else_=0))

    # One pass over the (household, channel, code, recorded_at) index, in its own order: the
    # latest event is the max of "<fixed-width UTC time>|<channel>|<code>", so no window
    # function, no join back and no sort.
    latest_key = sa.func.max(sortable_time(session) + "|" + ContactEvent.channel + "|" + ContactEvent.code)
    stmt = (select(ContactEvent.household_id, latest_key, flag(door), flag(phone), flag(sa.and_(door, contact)),
                   flag(sa.and_(phone, contact)))
            .where(in_scope(ContactEvent.household_id)).group_by(ContactEvent.household_id))
    events = {}
    for hid, key, door_tried, phone_tried, door_reached, phone_reached in session.connection().execute(stmt):
        stamp, channel, code = key.split("|", 2)
        when = datetime(int(stamp[:4]), int(stamp[5:7]), int(stamp[8:10]), int(stamp[11:13]), int(stamp[14:16]),
                        int(stamp[17:19]), tzinfo=timezone.utc)
        events[hid] = ((code, channel, when), CHANNEL_SETS[door_tried, phone_tried],
                       CHANNEL_SETS[door_reached, phone_reached])
    support = latest_support(session, in_scope=in_scope)
    dnc = dnc_households(session, in_scope=in_scope)

    out = []
    none = ((None, None, None), frozenset(), frozenset())
    for hid, lon, lat, number, suffix, street, unit, hood in households:
        (code, channel, when), tried, reached = events.get(hid, none)
        level = support.get(hid)
        if hid in dnc:
            status = "dnc"
        elif level is not None and level in settings.supporter_values:
            status = "supporter"
        elif level is not None and level in settings.against_values:
            status = "against"
        elif reached:
            status = "spoke"
        elif tried:
            status = "not_home"
        else:
            status = "not_attempted"
        line = f"{number}{suffix} {street}".strip()
        out.append(DoorState(hid, lon, lat, f"{line}, {unit}" if unit else line, status, hood, code, channel, when,
                             tried, reached))
    return out


CHANNEL_SETS = {(d, p): frozenset(c for c, on in (("door", d), ("phone", p)) if on) for d in (0, 1) for p in (0, 1)}


def sortable_time(session):
    """recorded_at as fixed-width UTC text ("YYYY-MM-DD HH:MM:SS.ffffff"), so text order is time order."""
    if session.get_bind().dialect.name == "sqlite":  # already stored exactly so
        return sa.cast(ContactEvent.recorded_at, sa.String)
    return sa.func.to_char(sa.func.timezone("UTC", ContactEvent.recorded_at), "YYYY-MM-DD HH24:MI:SS.US",
                           type_=sa.String)


def coverage_of_doors(doors: list[DoorState]) -> dict[int | None, AreaCoverage]:
    """Neighbourhood coverage from door states (the city map has them all already)."""
    counts: dict = {}
    for door in doors:
        row = counts.setdefault(door.neighbourhood_id, [0, 0, 0, 0, 0])
        row[0] += 1
        if door.attempted:
            row[1] += "door" in door.attempted
            row[3] += "phone" in door.attempted
            row[2] += "door" in door.reached
            row[4] += "phone" in door.reached
    return {hood: AreaCoverage(*row) for hood, row in counts.items()}


def latest_support(session: Session, *, in_scope) -> dict[int, str]:
    """Household -> the most recent support level anyone there gave.

    The responses are few next to the events: reading them flat and keeping the latest here is
    several times faster on SQLite than a GROUP BY, which it plans as a walk over every event.
    """
    latest: dict[int, tuple[str, str]] = {}
    for hid, stamp, level in session.connection().execute(
            select(ContactEvent.household_id, sortable_time(session), SurveyResponse.support_level)
            .join(ContactEvent, ContactEvent.id == SurveyResponse.event_id)
            .where(SurveyResponse.support_level.is_not(None), in_scope(ContactEvent.household_id))):
        if hid not in latest or (stamp, level) > latest[hid]:
            latest[hid] = (stamp, level)
    return {hid: level for hid, (_, level) in latest.items()}


def dnc_households(session: Session, *, in_scope) -> set[int]:
    """Households on the ledger, directly or through one of their people."""
    direct = select(DoNotContact.household_id).where(DoNotContact.household_id.is_not(None),
                                                     in_scope(DoNotContact.household_id))
    via_person = (select(Person.household_id).join(DoNotContact, DoNotContact.person_id == Person.id)
                  .where(DoNotContact.household_id.is_(None), in_scope(Person.household_id)))
    return set(session.exec(direct).all()) | set(session.exec(via_person).all())
