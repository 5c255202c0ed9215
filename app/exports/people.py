"""The people export: one row per person, with what is known of them now: latest support, issues
raised and flags (from any contact), and their last contact.

A contact is about a person when it names them (they answered, or were the one called) or names
nobody at their household (a door knock with no answer). The area filters and ``people`` pick
whom; the dates, channel and outcome, when given, keep only people with a contact about them that
matches, while the columns still describe all their contacts (the latest support is the latest).
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterator
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from ..auth.access import Scope
from ..config import Settings
from ..models import Channel, ContactEvent, Household, Neighbourhood, Person, SurveyResponse, Ward
from .answers import (FLAG_HEADERS, FLAGS, answer_cells, issue_cells, issue_headers, latest_answers, question_columns,
                      split_issues, support_label)
from .cells import local_date_time, phone_text, yes
from .filters import ExportFilters, area_conditions, contact_conditions

PAGE = 500  # people per page


def people_columns(settings: Settings) -> list[str]:
    return ["First name", "Last name", "Phone", "Email", "Address", "Postcode", "Ward", "Neighbourhood",
            "Latest support", "Latest support value", "Support recorded", *issue_headers(settings), *FLAG_HEADERS,
            "Last contact", "Last contact channel", "Last contact outcome", "Contacts",
            "Voter ID", "Person ID", "Household ID"]


def _matching_contact(filters: ExportFilters, settings: Settings, as_of: datetime):
    """SQL on Person: some contact about them matches the dates, channel and outcome."""
    e, r = aliased(ContactEvent), aliased(SurveyResponse)
    answered = sa.select(r.event_id).where(r.person_id == Person.id).correlate(Person)
    anyone = sa.select(r.id).where(r.event_id == e.id).correlate(e)
    about = sa.or_(e.person_id == Person.id, e.id.in_(answered), sa.and_(e.person_id.is_(None), ~anyone.exists()))
    return (sa.select(e.id).where(e.household_id == Person.household_id, about,
                                  *contact_conditions(filters, timezone=settings.timezone, as_of=as_of, event=e))
            .correlate(Person).exists())


def _where(filters: ExportFilters, settings: Settings, scope: Scope | None, as_of: datetime, people) -> list:
    conds = [*area_conditions(filters, scope), Person.created_at <= as_of]
    if people is not None:
        conds.append(Person.id.in_(people.correlate(None)))
    if filters.picks_contacts:
        conds.append(_matching_contact(filters, settings, as_of))
    return conds


def people_count(session: Session, *, filters: ExportFilters, settings: Settings, scope: Scope | None,
                 as_of: datetime, people: sa.Select | None = None) -> int:
    return session.execute(sa.select(sa.func.count()).select_from(Person)
                           .join(Household, Household.id == Person.household_id)
                           .where(*_where(filters, settings, scope, as_of, people))).scalar_one()


def people_pages(session: Session, *, filters: ExportFilters, settings: Settings, scope: Scope | None,
                 as_of: datetime, people: sa.Select | None = None, page_size: int | None = None
                 ) -> Iterator[list[list]]:
    """The rows, a page of people at a time, each page read in its own short transaction (as
    ``contact_pages``)."""
    query = (sa.select(Person.id, Person.external_id, Person.first_name, Person.last_name, Person.phone,
                       Person.email, Person.household_id, Household.house_number, Household.suffix, Household.street,
                       Household.unit, Household.postcode, Ward.name, Neighbourhood.name)
             .join(Household, Household.id == Person.household_id)
             .outerjoin(Ward, Ward.id == Household.ward_id)
             .outerjoin(Neighbourhood, Neighbourhood.id == Household.neighbourhood_id)
             .where(*_where(filters, settings, scope, as_of, people)).order_by(Person.id).limit(page_size or PAGE))
    labels = {(str(ch), c.code): c.label for ch in Channel for c in settings.codes(ch).values()}
    tz, after = ZoneInfo(settings.timezone), 0
    questions = question_columns(session, as_of=as_of)  # each person's latest answer per version
    while True:
        page = session.execute(query.where(Person.id > after)).all()
        if not page:
            session.rollback()
            return
        known = _what_is_known(session, household_ids={p.household_id for p in page}, as_of=as_of)
        answers = latest_answers(session, person_ids=[p[0] for p in page], as_of=as_of) if questions else {}
        session.rollback()
        yield [_row(p, known, settings, labels, tz) + answer_cells(questions, answers.get(p[0], {})) for p in page]
        after = page[-1][0]


def _what_is_known(session: Session, *, household_ids: set[int], as_of: datetime) -> dict:
    """Every contact at these households: {"events": [(at, id, household, person, channel, code)],
    "answers": {event id: [(person, support, issues, flags...)]}}."""
    events = session.execute(
        sa.select(ContactEvent.recorded_at, ContactEvent.id, ContactEvent.household_id, ContactEvent.person_id,
                  ContactEvent.channel, ContactEvent.code)
        .where(ContactEvent.household_id.in_(household_ids), ContactEvent.received_at <= as_of)).all()
    answers: dict[str, list] = {}
    for row in session.execute(
            sa.select(SurveyResponse.event_id, SurveyResponse.person_id, SurveyResponse.support_level,
                      SurveyResponse.issues, *(getattr(SurveyResponse, name) for name, _ in FLAGS))
            .join(ContactEvent, ContactEvent.id == SurveyResponse.event_id)
            .where(ContactEvent.household_id.in_(household_ids), ContactEvent.received_at <= as_of)):
        answers.setdefault(row[0], []).append(tuple(row[1:]))
    by_household: dict[int, list] = {}
    for event in events:
        by_household.setdefault(event[2], []).append(tuple(event))
    return {"events": by_household, "answers": answers}


def _row(p, known: dict, settings: Settings, labels: dict, tz: ZoneInfo) -> list:
    person_id, voter_id, first, last, phone, email, household_id, number, suffix, street, unit, postcode, ward, hood = p
    about, support, issues, flags = [], None, set(), [False] * len(FLAGS)
    for at, event_id, _, named, channel, code in known["events"].get(household_id, []):
        answered = known["answers"].get(event_id, [])
        mine = [a for a in answered if a[0] == person_id]
        if named == person_id or mine or (named is None and not answered):
            about.append((at, event_id, channel, code))
        for _, level, raised, *ticks in mine:
            if level is not None and (support is None or (at, event_id) > support[:2]):
                support = (at, event_id, level)
            issues.update(split_issues(raised))
            flags = [f or bool(t) for f, t in zip(flags, ticks)]
    last_contact = max(about, default=None)
    line = f"{f'{number}{suffix}'.strip()} {street}".strip()
    level = support[2] if support else None
    return [first, last, phone_text(phone, region=settings.default_region), email or "", f"{line}, {unit}" if unit else line,
            postcode, ward or "", hood or "", support_label(settings, level), level or "",
            local_date_time(support[0], tz)[0] if support else "", *issue_cells(settings, issues),
            *(yes(f) for f in flags),
            local_date_time(last_contact[0], tz)[0] if last_contact else "",
            str(last_contact[2]).capitalize() if last_contact else "",
            labels.get((last_contact[2], last_contact[3]), last_contact[3]) if last_contact else "",
            len(about), voter_id or "", person_id, household_id]
