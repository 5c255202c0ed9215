"""A small made-up town for the universe tests: two wards of two neighbourhoods, a door with no
ward, households of 0-3 people, door and phone events (some at the same instant, some around the
campaign's midnight), survey answers (some of purged people), two elections' voting history and
two walk lists. Built from a seed, so every run sees the same town; ``Town`` is what the reference
evaluator (reference.py) reads back."""
from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

import sqlalchemy as sa

from app.contacts.summary import rebuild_summary
from app.models import (ContactEvent, Election, Household, Neighbourhood, Person, SurveyResponse, VotingHistory,
                        WalkList, WalkListDoor, Ward)

# 04:00-05:00 UTC is the evening before in America/New_York: dates near midnight test local days.
BASE = datetime(2026, 10, 1, 3, 30, tzinfo=timezone.utc)


@dataclass
class Town:
    wards: list[int]
    neighbourhoods: list[int]
    walk_lists: list[int]
    elections: list[int]
    households: dict[int, dict] = field(default_factory=dict)   # id -> {ward_id, neighbourhood_id}
    people: dict[int, dict] = field(default_factory=dict)       # id -> {household_id, phone, retired}
    events: list[dict] = field(default_factory=list)            # id, household_id, channel, code, recorded_at
    responses: list[dict] = field(default_factory=list)         # event_id, person_id, support_level, issues, flags
    doors: dict[int, set[int]] = field(default_factory=dict)    # walk list -> household ids
    voted: set[tuple[int, int]] = field(default_factory=set)    # (person, election)
    dates: list[str] = field(default_factory=list)              # local dates worth filtering on


def build_town(db, settings, *, make_ward, seed: int = 5) -> Town:
    rng = random.Random(seed)
    wards = [make_ward("U1", "North"), make_ward("U2", "South", bounds=(-71.09, 42.36, -71.07, 42.38))]
    hoods = db.execute(sa.select(Neighbourhood.id, Neighbourhood.ward_id).order_by(Neighbourhood.id)).all()
    elections = []
    for name, day in (("Spring election", date(2025, 5, 1)), ("Autumn election", date(2025, 11, 4))):
        election = Election(name=name, polling_date=day, polls_open=time(7), polls_close=time(22))
        db.add(election)
        db.flush()
        elections.append(election.id)
    places = [(h.ward_id, h.id) for h in hoods] * 4 + [(None, None)]
    households = []
    for n, (ward_id, hood_id) in enumerate(places):
        h = Household(street="Test St", house_number=str(n + 1), ward_id=ward_id, neighbourhood_id=hood_id,
                      lon=-71.11 + n * 1e-4, lat=42.37, building_key=f"t{n}")
        db.add(h)
        db.flush()
        households.append(h.id)
        for i in range(rng.choice((0, 1, 1, 2, 2, 3))):
            phone = f"+161755501{3 * n + i:02d}" if rng.random() < 0.7 else None  # fictional 555-01xx
            db.add(Person(household_id=h.id, first_name=f"Pat{n}", last_name=f"Test{i}", phone=phone,
                          phone_retired_at=BASE if phone and rng.random() < 0.2 else None))
    db.flush()
    people = db.execute(sa.select(Person.id, Person.household_id)).all()
    scale = [v for v, _ in settings.support_scale]
    codes = {ch: list(settings.codes(ch)) for ch in ("door", "phone")}
    for _ in range(60):
        hid = rng.choice(households)
        residents = [p.id for p in people if p.household_id == hid]
        channel = rng.choice(("door", "door", "phone"))
        code = rng.choice(codes[channel])
        hours = rng.choice((0, 0.25, 1, 1.5)) + 24 * rng.randrange(0, 6)
        event = ContactEvent(id=str(uuid.UUID(int=rng.getrandbits(128), version=4)), channel=channel, code=code,
                             household_id=hid, person_id=rng.choice(residents) if residents and channel == "phone" else None,
                             recorded_at=BASE + timedelta(hours=hours))
        db.add(event)
        for pid in residents:
            if rng.random() < 0.6:
                chosen = rng.sample(settings.issues, rng.choice((0, 1, 2)))
                db.add(SurveyResponse(event_id=event.id, person_id=pid if rng.random() < 0.9 else None,
                                      support_level=rng.choice(scale + [None]), issues="|".join(chosen),
                                      volunteer_interest=rng.random() < 0.2, poster=rng.random() < 0.2,
                                      postal_vote=rng.random() < 0.2))
    lists = []
    for name, members in (("North 1", households[:5]), ("South 1", households[8:11])):
        walk_list = WalkList(name=name, code=uuid.uuid4().hex[:8].upper(), door_count=len(members))
        db.add(walk_list)
        db.flush()
        lists.append(walk_list.id)
        db.add_all([WalkListDoor(walk_list_id=walk_list.id, household_id=h, position=i) for i, h in enumerate(members)])
    for p in people:
        for election_id in elections:
            if rng.random() < 0.5:
                db.add(VotingHistory(person_id=p.id, election_id=election_id, method=rng.choice(("in_person", "postal"))))
    db.flush()
    rebuild_summary(db, settings=settings)
    db.commit()
    return read_town(db, wards=[w.id for w in wards], elections=elections, lists=lists)


def read_town(db, *, wards, elections, lists) -> Town:
    town = Town(wards=wards, neighbourhoods=list(db.execute(sa.select(Neighbourhood.id)).scalars()),
                walk_lists=lists, elections=elections)
    for h in db.execute(sa.select(Household.id, Household.ward_id, Household.neighbourhood_id)):
        town.households[h.id] = {"ward_id": h.ward_id, "neighbourhood_id": h.neighbourhood_id}
    for p in db.execute(sa.select(Person.id, Person.household_id, Person.phone, Person.phone_retired_at)):
        town.people[p.id] = {"household_id": p.household_id, "phone": p.phone, "retired": p.phone_retired_at}
    for e in db.execute(sa.select(ContactEvent.id, ContactEvent.household_id, ContactEvent.channel, ContactEvent.code,
                                  ContactEvent.recorded_at)):
        town.events.append(dict(e._mapping))
    for r in db.execute(sa.select(SurveyResponse)).scalars():
        town.responses.append({"event_id": r.event_id, "person_id": r.person_id, "support_level": r.support_level,
                               "issues": r.issues, "volunteer_interest": r.volunteer_interest, "poster": r.poster,
                               "postal_vote": r.postal_vote})
    for lid, hid in db.execute(sa.select(WalkListDoor.walk_list_id, WalkListDoor.household_id)):
        town.doors.setdefault(lid, set()).add(hid)
    town.voted = set(map(tuple, db.execute(sa.select(VotingHistory.person_id, VotingHistory.election_id))))
    town.dates = [(BASE.date() + timedelta(days=d)).isoformat() for d in range(-1, 7)]
    db.rollback()
    return town


def ward_ids(db) -> list[int]:
    return list(db.execute(sa.select(Ward.id)).scalars())
