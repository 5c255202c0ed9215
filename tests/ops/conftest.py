import uuid

import pytest
from sqlmodel import select

from app.contacts import Actor, record_contacts
from app.models import Person


@pytest.fixture
def recorded(app, db, make_ward, make_household):
    """Three households, one 'spoke' with a survey answer, one do-not-contact by phone."""
    settings = app.extensions["legwork_settings"]
    ward = make_ward()
    homes = [make_household(ward, people=1) for _ in range(3)]
    people = [db.exec(select(Person).where(Person.household_id == h.id)).one() for h in homes]
    events = [
        {"id": str(uuid.uuid4()), "household_id": homes[0].id, "code": "spoke", "recorded_at": "2026-11-01T10:00:00Z",
         "notes": "Talked about the bus route", "lat": 42.37, "lon": -71.11,
         "responses": [{"person_id": people[0].id, "support_level": "1"}]},
        {"id": str(uuid.uuid4()), "household_id": homes[1].id, "code": "not_home", "recorded_at": "2026-11-01T10:05:00Z"},
    ]
    record_contacts(db, events=events, actor=Actor(), settings=settings)
    record_contacts(db, events=[{"id": str(uuid.uuid4()), "household_id": homes[2].id, "person_id": people[2].id,
                                 "code": "do_not_call", "recorded_at": "2026-11-01T11:00:00Z"}],
                    actor=Actor(), settings=settings, channel="phone")
    db.commit()
    return homes, people
