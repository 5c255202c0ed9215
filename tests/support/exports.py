"""A small campaign with door knocks and a call to export; registered as fixtures by
tests/exports/conftest.py and tests/organiser/conftest.py."""
from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from app.config import settings as app_settings
from app.contacts import Actor, record_contacts
from app.db import write_transaction
from app.models import Neighbourhood, Person
from app.phonebank import operations as phone_ops
from app.phonebank import queue


@dataclass
class Campaign:
    north: object
    south: object
    hood2: object
    walk_list: object
    people: dict   # name -> Person
    ids: dict      # name -> event id
    ann: object    # the canvasser
    casey: object  # the caller
    noon: datetime


def door(db, household, code, *, user=None, walk_list=None, when: datetime, responses=(), notes: str = "") -> str:
    """One door outcome through app.contacts.record_contacts, committed."""
    event = {"id": str(uuid.uuid4()), "code": code, "household_id": household.id, "recorded_at": when.isoformat(),
             "notes": notes, "responses": list(responses)}
    if walk_list is not None:
        event["walk_list_id"] = walk_list.id
    [status] = write_transaction(db, lambda s: record_contacts(
        s, events=[event], actor=Actor(user_id=user.id if user else None), settings=app_settings(), channel="door"))
    assert status.status == "stored", status
    return event["id"]


def call(db, person, caller, *, ward, when: datetime, code: str = "spoke", notes: str = "", **answers) -> str:
    """A call the real way: a sheet for the person's ward, queued, claimed, its outcome recorded."""
    conf = app_settings()
    [sheet] = write_transaction(db, lambda s: phone_ops.make_call_sheets(
        s, scope=f"ward:{ward.id}", criteria="all", priority="none", sheet_size=50, actor_user_id=None,
        settings=conf, name="Evening calls"))
    write_transaction(db, lambda s: phone_ops.enqueue_sheet(s, sheet_id=sheet.id, actor_user_id=None, settings=conf))
    attempt = queue.claim(db, caller_id=caller.id, now=when, settings=conf)
    assert attempt is not None and attempt.person_id == person.id
    event_id = str(uuid.uuid4())
    write_transaction(db, lambda s: phone_ops.record_disposition(
        s, attempt_id=attempt.id, caller=caller, event_id=event_id, code=code, settings=conf, now=when, notes=notes,
        **answers))
    return event_id


def local_noon(app) -> datetime:
    with app.app_context():
        tz = ZoneInfo(app_settings().timezone)
    return datetime.combine(datetime.now(tz).date(), time(12), tzinfo=tz).astimezone(timezone.utc)


@pytest.fixture
def campaign(app, db, make_ward, make_household, make_user, make_walk_list) -> Campaign:
    north, south = make_ward("N", neighbourhoods=2), make_ward("S", bounds=(-71.10, 42.36, -71.08, 42.38))
    hood2 = db.execute(sa.select(Neighbourhood).where(Neighbourhood.code == "N-2")).scalar_one()
    a = make_household(north, street="Elm St", house_number="12", people=2, postcode="02139", phone="+16175550111")
    b = make_household(north, neighbourhood_id=hood2.id, street="Oak St", house_number="3", unit="Apt 2")
    c = make_household(south, street="Main St", house_number="40", phone="+16175550140")
    names = {}
    for household, who in ((a, ("ada", "abe")), (b, ("bea",)), (c, ("cal",))):
        for person, name in zip(db.execute(sa.select(Person).where(Person.household_id == household.id)
                                           .order_by(Person.id)).scalars(), who):
            person.first_name, person.last_name, person.external_id = name.title(), "Example", f"V-{name}"
            names[name] = person
    db.commit()
    ann = make_user(email="ann@example.org", name="Ann Walker", roles="canvasser")
    casey = make_user(email="casey@example.org", name="Casey Caller", roles="caller")
    walk_list = make_walk_list([a, b], name="North 1", assign_to=ann, ward=north)
    noon = local_noon(app)
    ids = {
        "a_spoke": door(db, a, "spoke", user=ann, walk_list=walk_list, when=noon - timedelta(hours=2),
                        notes="+1 likes dogs", responses=[
                            {"person_id": names["ada"].id, "support_level": "2", "issues": ["Housing", "Transport"],
                             "volunteer_interest": True},
                            {"person_id": names["abe"].id, "support_level": "4", "poster": True, "postal_vote": True}]),
        "b_not_home": door(db, b, "not_home", user=ann, walk_list=walk_list, when=noon - timedelta(hours=2, minutes=-5)),
        "a_old": door(db, a, "not_home", user=ann, walk_list=walk_list, when=noon - timedelta(days=5)),
    }
    ids["c_call"] = call(db, names["cal"], casey, ward=south, when=noon - timedelta(hours=1),
                         notes='=HYPERLINK("http://evil")', support_level="1", issues=["Climate"])
    return Campaign(north, south, hood2, walk_list, names, ids, ann, casey, noon)


def download(client, kind: str, **params):
    """(response, rows as dicts) of /organiser/exports/<kind>.csv."""
    response = client.get(f"/organiser/exports/{kind}.csv", query_string=params)
    text = response.get_data().decode("utf-8-sig")
    return response, list(csv.DictReader(io.StringIO(text)))
