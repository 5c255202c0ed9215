"""Support answers for polling-day tests: a door or phone answer recorded for a person."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from app.contacts.summary import rebuild_person_supports
from app.db import write_transaction
from app.models import ContactEvent, Elector, Person, SurveyResponse


def person_by_number(db, number: str) -> int:
    prefix, rest = number.split("-")
    pid = db.execute(sa.select(Elector.person_id).where(Elector.prefix == prefix, Elector.number == int(rest.split("/")[0]))).scalar_one()
    db.rollback()
    return pid


def answer(db, person_id: int, level: str | None, *, minutes_ago: int = 60, channel: str = "door") -> None:
    def write(s):
        person = s.get(Person, person_id)
        event = ContactEvent(id=str(uuid.uuid4()), channel=channel, code="spoke", household_id=person.household_id,
                             person_id=person_id,
                             recorded_at=datetime.now(timezone.utc) - timedelta(minutes=minutes_ago))
        s.add(event)
        s.flush()
        s.add(SurveyResponse(event_id=event.id, person_id=person_id, support_level=level))
        s.flush()
        rebuild_person_supports(s)  # what the contact write path folds with every answer
    write_transaction(db, write)
