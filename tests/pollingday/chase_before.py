"""The chase list's queries as they were before issue 22's rewrite (commit 3b49729), kept as the
oracle the rewrite is compared with (test_chase_scale.py): the same people, counts and order."""
from __future__ import annotations

import sqlalchemy as sa

from app.exports.filters import area_conditions
from app.models import BallotStatus, DoNotContact, Household, Neighbourhood, Person, PersonSupport, Voted, Ward
from app.pollingday.ballot_mapping import OUT, STATUSES
from app.pollingday.chase import Area, ChaseRow


def supporter_ids(settings):
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


def status_counts(session, *, settings, area: Area = Area(), scope=None):
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


def _on_the_list(settings, area: Area, scope) -> list:
    return [BallotStatus.status.in_(OUT), Person.id.in_(supporter_ids(settings)), ~_blocked(),
            ~sa.exists().where(Voted.person_id == Person.id), *area_conditions(area, scope)]


def chase_list(session, *, settings, area: Area = Area(), scope=None, limit: int | None = None):
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


def chase_count(session, *, settings, area: Area = Area(), scope=None):
    if not settings.supporter_values:
        return 0
    return session.execute(sa.select(sa.func.count()).select_from(Person)
                           .join(BallotStatus, BallotStatus.person_id == Person.id)
                           .join(Household, Household.id == Person.household_id)
                           .where(*_on_the_list(settings, area, scope))).scalar_one()
