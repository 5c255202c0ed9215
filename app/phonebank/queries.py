"""What the call screen shows about the person being called: read-only, one function the views
(and tests) call."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, select

from ..config import Settings
from ..models import CallAttempt, CallQueueEntry, Channel, ContactEvent, Household, Person, SurveyResponse
from . import queue

HISTORY = 50  # the household's latest contacts shown on the call screen


@dataclass
class CallScreen:
    person: Person
    household: Household
    entry: CallQueueEntry | None
    zone: str                        # IANA time zone of the number (or the campaign's)
    residents: list[Person]
    on_number: list[Person]          # who may answer this number: the outcome form's choices
    events: list[ContactEvent]       # the household's history, newest first
    responses: dict[str, list[SurveyResponse]] = field(default_factory=dict)  # by event id

    @property
    def names(self) -> dict[int, str]:
        return {p.id: p.full_name for p in self.residents}


def call_screen(session: Session, *, attempt: CallAttempt, settings: Settings) -> CallScreen:
    """The person on the call, their household, its history and the queue entry (access is the
    caller's to check first: ``require_households``)."""
    person = session.get(Person, attempt.person_id)
    household = session.get(Household, person.household_id)
    entry = session.get(CallQueueEntry, attempt.queue_entry_id) if attempt.queue_entry_id else None
    zone = entry.timezone if entry else queue.timezone_for_number(attempt.phone, settings.timezone)
    residents = session.exec(select(Person).where(Person.household_id == household.id).order_by(Person.id)).all()
    # A talk with someone a volunteer knows stays between them and the organisers (app/relational).
    events = session.exec(select(ContactEvent).where(ContactEvent.household_id == household.id,
                                                     ContactEvent.channel != Channel.RELATIONAL)
                          .order_by(ContactEvent.recorded_at.desc()).limit(HISTORY)).all()
    responses: dict[str, list[SurveyResponse]] = {}
    for r in session.exec(select(SurveyResponse).where(SurveyResponse.event_id.in_([e.id for e in events]))):
        responses.setdefault(r.event_id, []).append(r)
    return CallScreen(person=person, household=household, entry=entry, zone=zone, residents=list(residents),
                      on_number=[p for p in residents if p.phone == attempt.phone] or [person],
                      events=list(events), responses=responses)
