"""The US ballot chase: supporters whose ballot is out (requested or sent) and not yet back.

A supporter is anyone whose latest support answer, at the door or on the phone, is one of the
campaign's supporter values: the same rule as the pledges (``pledges.py``), for any person, since
US voters have no elector number. Derived on every read, so a returned ballot in today's file or
a later "against" takes someone off at once. Nobody the do-not-contact ledger blocks (the
person, their household or their number) is on the list, nor anyone the tellers struck off.

Reads only. Reading the list in bulk (the CSV) is audited by the view.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from ..auth.access import Scope
from ..config import Settings
from ..exports.cells import spreadsheet_safe
from ..exports.filters import area_conditions, parse_area as area_of
from ..models import (BallotStatus, DoNotContact, Household, Neighbourhood, Person, PersonSupport, Voted,
                      Ward)
from .ballot_mapping import OUT, STATUSES

COLUMNS = ("person_id", "voter_id", "name", "address", "ward", "neighbourhood", "phone", "ballot_status",
           "status_date")


@dataclass(frozen=True)
class Area:
    ward_id: int | None = None
    neighbourhood_id: int | None = None


@dataclass(frozen=True)
class ChaseRow:
    person_id: int
    voter_id: str
    name: str
    address: str
    ward: str
    neighbourhood: str
    phone: str
    status: str
    status_date: object   # a date, or None


def parse_area(args, *, session: Session, scope: Scope | None) -> Area:
    """The ward / neighbourhood filter from a query string (the exports' rules)."""
    return Area(*area_of(args, session=session, scope=scope))


def supporter_ids(settings: Settings):
    """SQL: the ids of people whose latest support answer (door or phone: ``person_supports``)
    is a supporter value."""
    return sa.select(PersonSupport.person_id).where(PersonSupport.support_level.in_(sorted(settings.supporter_values)))


def _blocked():
    """The ledger's rule (``contacts.ledger_blocks``) as SQL on Person: an entry for the person,
    a door-level one for their household, or one for their number."""
    return sa.exists().where(sa.or_(
        DoNotContact.person_id == Person.id,
        sa.and_(DoNotContact.household_id == Person.household_id, DoNotContact.person_id.is_(None)),
        sa.and_(Person.phone.is_not(None), DoNotContact.phone == Person.phone)))


def status_counts(session: Session, *, settings: Settings, area: Area = Area(),
                  scope: Scope | None = None) -> dict[str, tuple[int, int]]:
    """status -> (supporters, everyone) with a ballot in that status, in the area."""
    supporters = supporter_ids(settings).scalar_subquery() if settings.supporter_values else None
    is_supporter = (sa.case((BallotStatus.person_id.in_(supporters), 1), else_=0) if supporters is not None
                    else sa.literal(0))
    rows = session.execute(sa.select(BallotStatus.status, sa.func.sum(is_supporter), sa.func.count())
                           .join(Person, Person.id == BallotStatus.person_id)
                           .join(Household, Household.id == Person.household_id)
                           .where(*area_conditions(area, scope)).group_by(BallotStatus.status)).all()
    got = {status: (int(sup or 0), int(every)) for status, sup, every in rows}
    return {status: got.get(status, (0, 0)) for status in STATUSES}


def _on_the_list(settings: Settings, area: Area, scope: Scope | None) -> list:
    return [BallotStatus.status.in_(OUT), Person.id.in_(supporter_ids(settings)), ~_blocked(),
            ~sa.exists().where(Voted.person_id == Person.id), *area_conditions(area, scope)]


def chase_list(session: Session, *, settings: Settings, area: Area = Area(), scope: Scope | None = None,
               limit: int | None = None) -> list[ChaseRow]:
    """The chase list, by address then name; ``limit``: the first so many (the page)."""
    if not settings.supporter_values:
        return []
    query = (sa.select(Person, Household, BallotStatus.status, BallotStatus.status_date, Ward.name, Neighbourhood.name)
             .join(BallotStatus, BallotStatus.person_id == Person.id)
             .join(Household, Household.id == Person.household_id)
             .outerjoin(Ward, Ward.id == Household.ward_id)
             .outerjoin(Neighbourhood, Neighbourhood.id == Household.neighbourhood_id)
             .where(*_on_the_list(settings, area, scope))
             .order_by(Household.street, Household.house_number, Household.unit, Person.last_name,
                       Person.first_name, Person.id))
    if limit is not None:
        query = query.limit(limit)
    return [ChaseRow(p.id, p.external_id or "", p.full_name, h.address, ward or "", hood or "", p.phone or "", status,
                     when) for p, h, status, when, ward, hood in session.execute(query)]


def chase_count(session: Session, *, settings: Settings, area: Area = Area(), scope: Scope | None = None) -> int:
    if not settings.supporter_values:
        return 0
    return session.execute(sa.select(sa.func.count()).select_from(Person)
                           .join(BallotStatus, BallotStatus.person_id == Person.id)
                           .join(Household, Household.id == Person.household_id)
                           .where(*_on_the_list(settings, area, scope))).scalar_one()


def as_csv(rows: list[ChaseRow], *, phone=lambda e164: e164) -> str:
    """The list as CSV text; ``phone`` formats a number (the page's format, so a spreadsheet does
    not read "+1617..." as a formula)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows:
        when = r.status_date.isoformat() if r.status_date else ""
        writer.writerow([spreadsheet_safe(v) for v in (r.person_id, r.voter_id, r.name, r.address, r.ward, r.neighbourhood,
                                            phone(r.phone) if r.phone else "", r.status, when)])
    return out.getvalue()
