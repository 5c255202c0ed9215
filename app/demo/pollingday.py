"""The demo's polling day (a rehearsal, so it can be wiped): every resident gets an elector number
in their neighbourhood's district, each district a polling station, one committee room covers the
town, a morning's tellings are in, round 1 of the knock-up is cut and the demo knocker holds a
list of it. Pledges are the demo's own door and phone answers."""
from __future__ import annotations

import random
import uuid
from datetime import time, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ..clock import campaign_today
from ..config import Settings
from ..contacts import Actor, record_contacts
from ..models import Elector, Household, Neighbourhood, Person, PollingStation, StationDistrict, User, WalkList, utcnow
from ..pollingday.knockup import join_list, start_round
from ..pollingday.operations import create_election, set_committee_room
from ..pollingday.tellings import store_tellings
from ..sql import chunks

POSTAL_SHARE = 0.06   # about one elector in sixteen votes by post
MORNING_TELLINGS = 60
CANVASSED_SHARE = 0.25  # doors where the pledge drive spoke to someone, in the weeks before


def _pledge_drive(session: Session, *, settings: Settings, rng: random.Random, actor_id: int) -> int:
    """The weeks of canvassing before polling day: support answers at a quarter of the doors, through
    the one contact path, so the knock-up has pledges to turn out."""
    scale = [value for value, _ in settings.support_scale]
    if "spoke" not in settings.codes("door") or not scale:
        return 0
    homes: dict[int, list[int]] = {}
    for pid, hid in session.execute(sa.select(Person.id, Person.household_id).order_by(Person.household_id, Person.id)):
        homes.setdefault(hid, []).append(pid)
    weights = [4 if v in settings.supporter_values else 1 for v in scale]
    start = utcnow() - timedelta(days=21)
    events = [{"id": str(uuid.UUID(int=rng.getrandbits(128))), "household_id": hid, "code": "spoke",
               "recorded_at": (start + timedelta(minutes=rng.randrange(14 * 24 * 60))).isoformat(),
               "responses": [{"person_id": pid, "support_level": rng.choices(scale, weights)[0]} for pid in people[:2]]}
              for hid, people in sorted(homes.items()) if rng.random() < CANVASSED_SHARE]
    stored = 0
    for batch in chunks(events, 100):
        stored += sum(s.status == "stored" for s in record_contacts(
            session, events=list(batch), actor=Actor(user_id=actor_id, label="demo"), settings=settings))
    return stored


def _register(session: Session, rng: random.Random) -> dict[int, list[tuple[int, str]]]:
    """Elector numbers by district, in address order: {hood id: [(person id, "AB-12"), ...]}."""
    hoods = dict(session.execute(sa.select(Neighbourhood.id, Neighbourhood.code)).all())
    rows, numbers = [], {}
    people = session.execute(sa.select(Person.id, Household.neighbourhood_id).join(Household)
                             .where(Household.neighbourhood_id.is_not(None))
                             .order_by(Household.neighbourhood_id, Household.street, Household.house_number,
                                       Household.unit, Person.id)).all()
    counter: dict[int, int] = {}
    for pid, hood in people:
        counter[hood] = counter.get(hood, 0) + 1
        prefix = hoods[hood][:10]
        postal = rng.random() < POSTAL_SHARE
        rows.append({"person_id": pid, "prefix": prefix, "number": counter[hood], "suffix": 0,
                     "markers": "A" if postal else "", "postal": postal, "proxy": False, "updated_at": utcnow()})
        numbers.setdefault(hood, []).append((pid, f"{prefix}-{counter[hood]}"))
    for part in chunks(rows):
        session.execute(sa.insert(Elector), list(part))
    return numbers


def _stations(session: Session, hoods: list[int]) -> dict[int, int]:
    """One station per district, where its doors are: {hood id: station id}."""
    out = {}
    for hood_id in hoods:
        hood = session.get(Neighbourhood, hood_id)
        lat, lon = session.execute(sa.select(sa.func.avg(Household.lat), sa.func.avg(Household.lon))
                                   .where(Household.neighbourhood_id == hood_id)).one()
        station = PollingStation(key=f"demo {hood.code}".casefold(), name=f"{hood.name} Community Hall",
                                 address=f"{hood.name}, Fernley", lat=lat, lon=lon)
        session.add(station)
        session.flush()
        session.add(StationDistrict(station_id=station.id, neighbourhood_id=hood_id))
        out[hood_id] = station.id
    return out


def seed_polling_day(session: Session, *, settings: Settings, committee: User, knocker: User, seed: int) -> dict:
    """The caller commits (the demo build's one write transaction)."""
    rng = random.Random(seed)
    numbers = _register(session, rng)
    if not numbers:
        return {}
    stations = _stations(session, sorted(numbers))
    answered = _pledge_drive(session, settings=settings, rng=rng, actor_id=committee.id)
    create_election(session, name="Fernley rehearsal polling day", polling_date=campaign_today(), polls_open=time(7),
                    polls_close=time(22), rehearsal=True, actor_label="demo")
    codes = list(session.execute(sa.select(Neighbourhood.code).where(Neighbourhood.id.in_(list(numbers)))).scalars())
    room = set_committee_room(session, name="Fernley committee room", address="1 High Street, Fernley",
                              district_codes=codes, actor_label="demo")
    morning = utcnow() - timedelta(hours=2)
    told = [(hood, number) for hood, electors in numbers.items() for _, number in rng.sample(
        electors, min(len(electors), MORNING_TELLINGS // len(numbers) + 1))]
    items = [{"id": str(uuid.uuid4()), "station_id": stations[hood], "elector_number": number,
              "recorded_at": (morning + timedelta(minutes=2 * i)).isoformat()} for i, (hood, number) in enumerate(told)]
    store_tellings(session, items=items, actor_user_id=committee.id)
    knock = start_round(session, room_id=room.id, settings=settings, started_by_id=committee.id)
    first = session.execute(sa.select(WalkList.id).where(WalkList.knockup_round_id == knock.id)
                            .order_by(WalkList.id).limit(1)).scalar()
    if first is not None:
        join_list(session, walk_list_id=first, user=knocker)
    return {"electors": sum(len(v) for v in numbers.values()), "pledge-drive doors": answered,
            "polling stations": len(stations),
            "tellings": len(items), "knock-up doors": knock.door_count}
