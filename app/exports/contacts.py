"""The contacts export: one row per contact event (door and phone) and person it names. A door
where two people answered is two rows with the same Event ID; a knock that reached nobody is one
row without a person. Oldest first, a page of events at a time (see ``stream.py``).
"""
from __future__ import annotations

from datetime import datetime
from typing import Iterator
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from ..auth.access import Scope
from ..config import Settings
from ..models import (CallAttempt, CallQueueEntry, CallSheet, Channel, ContactEvent, Household, ListPin,
                      Neighbourhood, Person, SurveyResponse, User, WalkList, Ward)
from .answers import (FLAG_HEADERS, answer_cells, issue_cells, issue_headers, page_answers, question_columns,
                      split_issues, support_label)
from .cells import local_date_time, phone_text, utc_text, yes
from .filters import ExportFilters, area_conditions, contact_conditions

PAGE = 500  # events per page: a page's rows are all the memory an export holds
# The person a row is about: who answered, else whom the event names (a call), else nobody.
ROW_PERSON = sa.func.coalesce(SurveyResponse.person_id, ContactEvent.person_id)


def contact_columns(settings: Settings) -> list[str]:
    return ["Date", "Time", "Channel", "Outcome", "Reached", "Volunteer", "Volunteer email", "List or call sheet",
            "First name", "Last name", "Phone", "Email", "Address", "Postcode", "Ward", "Neighbourhood",
            "Support", "Support value", *issue_headers(settings), *FLAG_HEADERS, "Notes",
            "Outcome code", "Event ID", "Person ID", "Voter ID", "Household ID", "Recorded (UTC)", "Received (UTC)"]


def _people_clause(people: sa.Select | None):
    """Rows about those people, and door knocks that named nobody at a household where one lives
    (a household is in when any member is)."""
    if people is None:
        return sa.true()
    chosen = people.correlate(None)  # never merged with this query's own people table
    households = sa.select(Person.household_id).where(Person.id.in_(chosen))
    return sa.or_(ROW_PERSON.in_(chosen), sa.and_(ROW_PERSON.is_(None), ContactEvent.household_id.in_(households)))


def _where(filters: ExportFilters, settings: Settings, scope: Scope | None, as_of: datetime, people) -> list:
    return [*area_conditions(filters, scope), *contact_conditions(filters, timezone=settings.timezone, as_of=as_of),
            _people_clause(people)]


def contact_count(session: Session, *, filters: ExportFilters, settings: Settings, scope: Scope | None,
                  as_of: datetime, people: sa.Select | None = None) -> int:
    """How many rows ``contact_pages`` gives for the same arguments (the audit entry's count)."""
    return session.execute(
        sa.select(sa.func.count()).select_from(ContactEvent)
        .join(Household, Household.id == ContactEvent.household_id)
        .outerjoin(SurveyResponse, SurveyResponse.event_id == ContactEvent.id)
        .where(*_where(filters, settings, scope, as_of, people))).scalar_one()


# Each keyset bound starts with a plain range on recorded_at, which an index can seek to: spelled
# only as "later, or as late with a greater id", PostgreSQL read the index from its start and
# filtered, so each page cost more than the one before (755 ms a page 90 days into a million
# events, 1.5 ms with the range; the export took over ten minutes instead of seconds).
def _after(key):
    return sa.true() if key is None else sa.and_(
        ContactEvent.recorded_at >= key[0], sa.or_(ContactEvent.recorded_at > key[0], ContactEvent.id > key[1]))


def _up_to(key):
    return sa.and_(ContactEvent.recorded_at <= key[0],
                   sa.or_(ContactEvent.recorded_at < key[0], ContactEvent.id <= key[1]))


_ROWS = (sa.select(ContactEvent.recorded_at, ContactEvent.received_at, ContactEvent.channel, ContactEvent.code,
                   ContactEvent.id, ContactEvent.household_id, ContactEvent.notes, User.name, User.email,
                   ListPin.label, ContactEvent.actor_pin_id, WalkList.name, CallSheet.name,
                   Person.id, Person.external_id, Person.first_name, Person.last_name, Person.phone, Person.email,
                   Household.house_number, Household.suffix, Household.street, Household.unit, Household.postcode,
                   Ward.name, Neighbourhood.name, SurveyResponse.support_level, SurveyResponse.issues,
                   SurveyResponse.volunteer_interest, SurveyResponse.poster, SurveyResponse.postal_vote)
         .join(Household, Household.id == ContactEvent.household_id)
         .outerjoin(SurveyResponse, SurveyResponse.event_id == ContactEvent.id)
         .outerjoin(Person, Person.id == ROW_PERSON)
         .outerjoin(Ward, Ward.id == Household.ward_id)
         .outerjoin(Neighbourhood, Neighbourhood.id == Household.neighbourhood_id)
         .outerjoin(WalkList, WalkList.id == ContactEvent.walk_list_id)
         .outerjoin(CallAttempt, CallAttempt.id == ContactEvent.call_attempt_id)
         .outerjoin(CallQueueEntry, CallQueueEntry.id == CallAttempt.queue_entry_id)
         .outerjoin(CallSheet, CallSheet.id == CallQueueEntry.sheet_id)
         .outerjoin(User, User.id == ContactEvent.actor_user_id)
         .outerjoin(ListPin, ListPin.id == ContactEvent.actor_pin_id))


def contact_pages(session: Session, *, filters: ExportFilters, settings: Settings, scope: Scope | None,
                  as_of: datetime, people: sa.Select | None = None, page_size: int | None = None
                  ) -> Iterator[list[list]]:
    """The rows, a page of events at a time. Each page is read in its own short transaction,
    ended before the page is handed on: no snapshot is held while the client downloads (on
    SQLite one would keep the -wal file from ever starting over)."""
    where = _where(filters, settings, scope, as_of, people)
    events = (sa.select(ContactEvent.recorded_at, ContactEvent.id)
              .join(Household, Household.id == ContactEvent.household_id)
              .where(*area_conditions(filters, scope), *contact_conditions(filters, timezone=settings.timezone,
                                                                          as_of=as_of))
              .order_by(ContactEvent.recorded_at, ContactEvent.id).limit(page_size or PAGE))
    labels = {(str(ch), c.code): (c.label, c.contact) for ch in Channel for c in settings.codes(ch).values()}
    tz, key = ZoneInfo(settings.timezone), None
    questions = question_columns(session, as_of=as_of)
    while True:
        page = session.execute(events.where(_after(key))).all()
        if not page:
            session.rollback()
            return
        last = tuple(page[-1])
        rows = session.execute(_ROWS.where(*where, _after(key), _up_to(last))
                               .order_by(ContactEvent.recorded_at, ContactEvent.id, SurveyResponse.id)).all()
        answers = page_answers(session, event_ids=[r[4] for r in rows]) if questions else {}
        session.rollback()
        yield [_row(r, settings, labels, tz) + answer_cells(questions, answers.get((r[4], r[13]), {})) for r in rows]
        key = last


def _row(r, settings: Settings, labels: dict, tz: ZoneInfo) -> list:
    (recorded, received, channel, code, event_id, household_id, notes, user_name, user_email, pin_label, pin_id,
     walk_list, sheet, person_id, voter_id, first, last, phone, email, number, suffix, street, unit, postcode, ward, hood,
     level, issues, volunteer, poster, postal) = r
    label, reached = labels.get((channel, code), (code, False))
    line = f"{f'{number}{suffix}'.strip()} {street}".strip()
    volunteer_name = user_name or user_email or (f"PIN: {pin_label or pin_id}" if pin_id else "")
    return [*local_date_time(recorded, tz), str(channel).capitalize(), label, yes(reached), volunteer_name,
            user_email or "", walk_list or sheet or "", first or "", last or "", phone_text(phone, region=settings.default_region),
            email or "", f"{line}, {unit}" if unit else line, postcode, ward or "", hood or "", support_label(settings, level),
            level or "", *issue_cells(settings, split_issues(issues)), yes(volunteer), yes(poster), yes(postal), notes,
            code, event_id, person_id or "", voter_id or "", household_id, utc_text(recorded), utc_text(received)]
