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
from typing import Iterator

import sqlalchemy as sa
from sqlmodel import Session

from ..auth.access import Scope
from ..config import Settings
from ..errors import ValidationError
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
    """The ward / neighbourhood filter from a query string (the exports' rules), or ``area``: what
    the page's picker sent for a state's 6,000 areas (a key "ward:12" / "hood:34", a code or a name,
    resolved as the list pages resolve theirs)."""
    typed = " ".join(args.get("area", "").split())
    if not typed:
        return Area(*area_of(args, session=session, scope=scope))
    if args.get("ward") or args.get("neighbourhood"):
        raise ValidationError("Choose the area once: either “area”, or “ward” and “neighbourhood”.")
    from ..organiser.pickers import resolve_area  # here: the organiser package's views import this one's

    key, _ = resolve_area(session, value=typed, scope=scope)
    kind, _, raw = key.partition(":")
    return Area(ward_id=int(raw)) if kind == "ward" else Area(neighbourhood_id=int(raw))


def _not_blocked() -> list:
    """The ledger's rule (``contacts.ledger_blocks``) as SQL on Person: no entry for the person, no
    door-level one for their household, none for their number. Three anti-joins, not one EXISTS
    over an OR: the planner can then hash the (small) ledger once instead of probing three indexes
    for every supporter with a ballot out."""
    return [~sa.exists().where(DoNotContact.person_id == Person.id),
            ~sa.exists().where(DoNotContact.household_id == Person.household_id, DoNotContact.person_id.is_(None)),
            ~sa.exists().where(DoNotContact.phone == Person.phone)]   # a NULL phone matches nothing


def _by_area(query, area: Area, scope: Scope | None):
    """``query`` (on BallotStatus) kept to the area; the households are joined only when asked, so
    the state's counts read the ballots and the supporters alone."""
    conds = area_conditions(area, scope)
    if not conds:
        return query
    return query.join(Household, Household.id == Person.household_id).where(*conds)


def status_counts(session: Session, *, settings: Settings, area: Area = Area(),
                  scope: Scope | None = None) -> dict[str, tuple[int, int]]:
    """status -> (supporters, everyone) with a ballot in that status, in the area."""
    levels = sorted(settings.supporter_values)
    supporter = PersonSupport.person_id if levels else sa.null()
    query = (sa.select(BallotStatus.status, sa.func.count(supporter), sa.func.count())
             .outerjoin(PersonSupport, sa.and_(PersonSupport.person_id == BallotStatus.person_id,
                                               PersonSupport.support_level.in_(levels or [""]))))
    if area_conditions(area, scope):
        query = _by_area(query.join(Person, Person.id == BallotStatus.person_id), area, scope)
    got = {status: (int(sup or 0), int(every)) for status, sup, every in
           session.execute(query.group_by(BallotStatus.status)).all()}
    return {status: got.get(status, (0, 0)) for status in STATUSES}


def _chase_query(columns, settings: Settings, area: Area, scope: Scope | None):
    query = (sa.select(*columns).select_from(BallotStatus)
             .join(PersonSupport, PersonSupport.person_id == BallotStatus.person_id)
             .join(Person, Person.id == BallotStatus.person_id)
             .where(BallotStatus.status.in_(OUT), PersonSupport.support_level.in_(sorted(settings.supporter_values)),
                    *_not_blocked(), ~sa.exists().where(Voted.person_id == Person.id)))
    return _by_area(query, area, scope)


_ROW = (Person.id, Person.external_id, Person.first_name, Person.last_name, Household.house_number, Household.suffix,
        Household.street, Household.unit, Ward.name.label("ward"), Neighbourhood.name.label("hood"), Person.phone,
        BallotStatus.status, BallotStatus.status_date)


def _list_query(settings: Settings, area: Area, scope: Scope | None):
    query = _chase_query(_ROW, settings, area, scope)
    if not area_conditions(area, scope):  # _by_area joined them otherwise
        query = query.join(Household, Household.id == Person.household_id)
    return (query.outerjoin(Ward, Ward.id == Household.ward_id)
            .outerjoin(Neighbourhood, Neighbourhood.id == Household.neighbourhood_id)
            .order_by(Household.street, Household.house_number, Household.unit, Person.last_name,
                      Person.first_name, Person.id))


def _row(r) -> ChaseRow:
    return ChaseRow(r.id, r.external_id or "", Person.full_name.fget(r), Household.address.fget(r), r.ward or "",
                    r.hood or "", r.phone or "", r.status, r.status_date)


def chase_list(session: Session, *, settings: Settings, area: Area = Area(), scope: Scope | None = None,
               limit: int | None = None) -> list[ChaseRow]:
    """The chase list, by address then name; ``limit``: the first so many (the page)."""
    if not settings.supporter_values:
        return []
    query = _list_query(settings, area, scope)
    if limit is not None:
        query = query.limit(limit)
    return [_row(r) for r in session.execute(query)]


def chase_pages(session: Session, *, settings: Settings, area: Area = Area(), scope: Scope | None = None,
                size: int = 1000) -> Iterator[list[ChaseRow]]:
    """The whole list in pages of ``size``, from one query read as a stream (a server-side cursor on
    PostgreSQL): the CSV holds one page at a time however long the list, and the list is sorted once
    (keyset pages on an address order spanning two tables would sort it again for every page)."""
    if not settings.supporter_values:
        return
    result = session.execute(_list_query(settings, area, scope).execution_options(yield_per=size))
    for part in result.partitions(size):
        yield [_row(r) for r in part]


def chase_count(session: Session, *, settings: Settings, area: Area = Area(), scope: Scope | None = None,
                cap: int | None = None) -> int:
    """How many are on the list; with ``cap``, counting stops past it (the page says "more than"):
    a state's exact count reads every ballot out (0.3 s at 250,000 households with 100,000 out,
    ten times that at full size), a capped one only as many as it counts. The CSV counts them
    all: it reads them all anyway."""
    if not settings.supporter_values:
        return 0
    query = _chase_query([sa.literal(1)], settings, area, scope)
    if cap is not None:
        if not area_conditions(area, scope):  # the state: walk the tables' primary keys together, stop early
            query = query.order_by(BallotStatus.person_id)
        query = query.limit(cap + 1)  # an area: its households' index bounds the work already
    return session.execute(sa.select(sa.func.count()).select_from(query.subquery())).scalar_one()


def csv_cells(row: ChaseRow, *, phone=lambda e164: e164) -> list:
    """A row's CSV cells (``COLUMNS``); ``phone`` formats a number (the page's format, so a
    spreadsheet does not read "+1617..." as a formula)."""
    when = row.status_date.isoformat() if row.status_date else ""
    return [row.person_id, row.voter_id, row.name, row.address, row.ward, row.neighbourhood,
            phone(row.phone) if row.phone else "", row.status, when]


def as_csv(rows: list[ChaseRow], *, phone=lambda e164: e164) -> str:
    """The list as CSV text (the download streams the same cells: ``csv_cells``)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow([spreadsheet_safe(v) for v in csv_cells(r, phone=phone)])
    return out.getvalue()
