"""The demo's people you know: the canvasser's friends and neighbours, listed and matched the way
a volunteer would (app/relational), one confirmed and talked to, one confirmed, one waiting for a
yes or no, one not on the register."""
from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..models import Household, Person, User, utcnow
from ..relational import operations as ops


def _residents(session: Session, count: int) -> list:
    """Residents at different doors with a postcode, spread through the town (every 97th)."""
    rows = session.execute(sa.select(Person.first_name, Person.last_name, Household.postcode, Household.street)
                           .join(Household, Household.id == Person.household_id)
                           .where(Household.postcode != "", Person.last_name != "").order_by(Person.id)).all()
    return rows[::97][:count]


def seed_relational(session: Session, *, volunteer: User, settings: Settings) -> dict:
    """The caller commits."""
    people = _residents(session, 3)
    if len(people) < 3:
        return {"people you know": 0}
    (talked, confirmed, offered) = people
    entries = []
    for first, last, postcode, street in (talked, confirmed, offered):
        entries.append(ops.add_entry(session, principal=volunteer, name=f"{first} {last}", postcode=postcode,
                                     settings=settings))
    # A school friend who lives here but is not on the register (yet): nobody to confirm.
    ops.add_entry(session, principal=volunteer, name="Morgan Quillfeather", street=talked[3], settings=settings)
    for entry in entries[:2]:
        if entry.suggested_person_id:
            ops.answer_match(session, principal=volunteer, entry_id=entry.id, answer="yes", settings=settings)
    supporters = sorted(settings.supporter_values)
    ops.record_talk(session, principal=volunteer, entry_id=entries[0].id, event_id=str(uuid.uuid4()),
                    code=next(iter(settings.codes("relational"))), support_level=supporters[0] if supporters else "",
                    notes="Coffee after school pick-up", settings=settings, now=utcnow() - timedelta(hours=2))
    return {"people you know": 4}
