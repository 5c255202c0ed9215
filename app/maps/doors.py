"""Door-level state: each household's latest outcome and status for the door maps, read from
the per-household contact summary (app/contacts/summary.py keeps it current).

Read-only, like coverage.py; the statuses and their precedence are defined there (STATUSES).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ..config import Settings
from ..models import DoNotContact, Household, HouseholdSummary, Person, WalkListDoor
from .coverage import AreaCoverage


@dataclass(slots=True)
class DoorState:
    household_id: int
    lon: float | None
    lat: float | None
    address: str
    status: str
    neighbourhood_id: int | None = None
    last_code: str | None = None
    last_channel: str | None = None
    last_minute: int | None = None     # the latest event, in whole minutes since the Unix epoch (UTC)
    # One integer from the database instead of four booleans (a quarter of the columns the
    # whole city's 21,504 rows carry): bit 0 door attempted, 1 phone attempted, 2 door
    # reached, 3 phone reached.
    flags: int = 0

    @property
    def door_attempted(self) -> bool:
        return bool(self.flags & 1)

    @property
    def phone_attempted(self) -> bool:
        return bool(self.flags & 2)

    @property
    def door_reached(self) -> bool:
        return bool(self.flags & 4)

    @property
    def phone_reached(self) -> bool:
        return bool(self.flags & 8)


def door_states(session: Session, *, settings: Settings, ward_id: int | None = None,
                neighbourhood_id: int | None = None, walk_list_id: int | None = None) -> list[DoorState]:
    """Every household in scope with its door-level status (walk lists: in route order); the map
    leaves out the few without coordinates, the coverage counts keep them.

    One read of households joined to their summary rows (app/models/summary.py), plus the
    do-not-contact ledger: no aggregation over contact events, whatever their number. The
    database formats the address, classifies the status and turns the time into minutes, so
    Python only wraps each row (the whole city is 21,504 of them).
    """
    summary, dialect = HouseholdSummary, session.get_bind().dialect.name
    number = sa.func.trim(Household.house_number + Household.suffix + " " + Household.street)
    address = sa.case((Household.unit != "", number + ", " + Household.unit), else_=number)
    level = summary.support_level

    def among(values):
        return level.in_(sorted(values)) if values else sa.false()

    status = sa.case((among(settings.supporter_values), "supporter"), (among(settings.against_values), "against"),
                     ((summary.door_contacts + summary.phone_contacts) > 0, "spoke"),
                     (summary.last_code.is_not(None), "not_home"), else_="not_attempted")
    if dialect == "sqlite":  # stored as UTC text
        minute = sa.cast(sa.func.strftime("%s", summary.last_at), sa.Integer) // 60
    else:
        minute = sa.cast(sa.func.floor(sa.extract("epoch", summary.last_at) / 60), sa.Integer)
    flags = sa.func.coalesce(sum(sa.case((col > 0, bit), else_=0) for col, bit in (
        (summary.door_events, 1), (summary.phone_events, 2), (summary.door_contacts, 4), (summary.phone_contacts, 8))), 0)
    stmt = (select(Household.id, Household.lon, Household.lat, address, status, Household.neighbourhood_id,
                   summary.last_code, summary.last_channel, minute, flags)
            .outerjoin(summary, summary.household_id == Household.id))
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
    in_scope = (lambda col: col.in_(scope)) if scope is not None else (lambda col: sa.true())
    # No datetime column: converting 21,504 of them to aware datetimes cost more than the query.
    with gc_paused():
        out = [DoorState(*row) for row in session.connection().execute(stmt).all()]
    dnc = dnc_households(session, in_scope=in_scope)
    if dnc:
        for door in out:
            if door.household_id in dnc:
                door.status = "dnc"
    return out


@contextmanager
def gc_paused():
    """Hold off the cyclic garbage collector while building many small acyclic objects.

    Every 700 allocations CPython runs a collection, and the older generations are rescanned as
    they grow: for the city's 21,504 rows that was about half of door_states' time. The rows
    hold no reference cycles, so nothing is left uncollected; the previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def coverage_of_doors(doors: list[DoorState]) -> dict[int | None, AreaCoverage]:
    """Neighbourhood coverage from door states (the city map has them all already)."""
    counts: dict = {}
    for door in doors:
        row = counts.setdefault(door.neighbourhood_id, [0, 0, 0, 0, 0])
        row[0] += 1
        if flags := door.flags:
            row[1] += flags & 1
            row[2] += (flags >> 2) & 1
            row[3] += (flags >> 1) & 1
            row[4] += (flags >> 3) & 1
    return {hood: AreaCoverage(*row) for hood, row in counts.items()}


def dnc_households(session: Session, *, in_scope) -> set[int]:
    """Households on the ledger, directly or through one of their people."""
    direct = select(DoNotContact.household_id).where(DoNotContact.household_id.is_not(None),
                                                     in_scope(DoNotContact.household_id))
    via_person = (select(Person.household_id).join(DoNotContact, DoNotContact.person_id == Person.id)
                  .where(DoNotContact.household_id.is_(None), in_scope(Person.household_id)))
    return set(session.exec(direct).all()) | set(session.exec(via_person).all())
