"""A demo campaign that has already begun: some doors knocked on the lists the demo canvasser
does not hold, and a call sheet of the not-home households in the live queue for the demo
caller. Everything goes through the real write paths (app.contacts, phone-bank operations).

The calling window (09:00 to 21:00) is judged in the callee's time zone, so a queue of numbers in
one zone is empty half the day: a newcomer trying the demo at night had no call to make. Some of
the queued residents therefore keep mobiles from far away (fictional numbers, ``AROUND_THE_CLOCK``)
whose daytimes together cover every hour; the window itself is the campaign's, unchanged."""
from __future__ import annotations

import random
import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..contacts import Actor, record_contacts
from ..errors import ValidationError
from ..models import Channel, Person, utcnow, WalkList, WalkListDoor
from ..sql import chunks

# Fiction ranges in three zones whose 09:00-21:00 together cover all 24 hours UTC in any season:
# Guam (UTC+10: 23:00-11:00 UTC), London (08:00/09:00-20:00/21:00 UTC) and Honolulu (UTC-10:
# 19:00-07:00 UTC). NANP 555-0100..0199 and Ofcom's drama range 020 7946 0000..0999 ring nobody;
# each maps to exactly one time zone in phonenumbers (Alaska's 907 does not: two zones).
AROUND_THE_CLOCK = ("+1671555{:04d}", "+44207946{:04d}", "+1808555{:04d}")
FIRST_FICTIONAL = (100, 0, 100)  # 555-0100 and 7946 0000: the first number of each range
PER_ZONE = 3                     # a few calls to make in each zone before the retries wait

# (code, weight): roughly what a first evening on the doors looks like
DOOR_MIX = [("not_home", 45), ("spoke", 33), ("refused", 8), ("come_back", 7), ("moved", 3), ("inaccessible", 2),
            ("do_not_contact", 2)]


QUESTIONS = ("Where is my polling station?", "Is the candidate for the new bus lane?",
             "Can I still register to vote?", "Who do I ask about the library closing?")


def seed_activity(session: Session, *, organiser_id: int, skip_list_ids: set[int], settings: Settings,
                  seed: int = 1, lists: int = 4, share: float = 0.6) -> dict:
    rng = random.Random(seed)
    asks = random.Random(seed + 19)  # posters, postal votes, questions: their own draws, so the rest stays as it was
    list_ids = session.execute(sa.select(WalkList.id).where(WalkList.id.not_in(skip_list_ids or {0}))
                               .order_by(WalkList.id).limit(lists)).scalars().all()
    known = settings.codes(Channel.DOOR)
    codes = [c for c, _ in DOOR_MIX if c in known]
    weights = [w for c, w in DOOR_MIX if c in known]
    scale = [value for value, _ in settings.support_scale]
    now = utcnow()
    events = []
    for list_id in list_ids:
        doors = session.execute(sa.select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id == list_id)
                                .order_by(WalkListDoor.position)).scalars().all()
        walked = doors[: int(len(doors) * share)]
        for i, household_id in enumerate(walked):
            code = rng.choices(codes, weights)[0]
            event = {"id": str(uuid.UUID(int=rng.getrandbits(128))), "household_id": household_id, "code": code,
                     "walk_list_id": list_id,
                     "recorded_at": (now - timedelta(minutes=3 * (len(walked) - i))).isoformat()}
            if code == "spoke" and scale:
                people = session.execute(sa.select(Person.id).where(Person.household_id == household_id)).scalars().all()
                event["responses"] = [{"person_id": pid, "support_level": rng.choice(scale),
                                       "issues": rng.sample(list(settings.issues), k=min(len(settings.issues), rng.randint(0, 2))),
                                       "volunteer_interest": rng.random() < 0.1, "poster": asks.random() < 0.08,
                                       "postal_vote": asks.random() < 0.05} for pid in people[:2]]
                if asks.random() < 0.05:
                    event["follow_up"] = asks.choice(QUESTIONS)
            events.append(event)
    stored = 0
    for batch in chunks(events, 100):  # the phone's batch size
        statuses = record_contacts(session, events=batch, actor=Actor(user_id=organiser_id, label="demo"),
                                   settings=settings)
        stored += sum(s.status == "stored" for s in statuses)
    queued = 0
    if list_ids:
        from ..phonebank.operations import enqueue_sheet, make_call_sheets

        out = {e["household_id"] for e in events if e["walk_list_id"] == list_ids[0] and _not_home(known[e["code"]])}
        _numbers_around_the_clock(session, household_ids=out)

        try:
            sheets = make_call_sheets(session, scope=f"list:{list_ids[0]}", criteria="not_home",
                                      priority="not_home_first", sheet_size=50, actor_user_id=organiser_id,
                                      settings=settings, name="Demo: not home at the door")
        except ValidationError:  # nobody with a phone was out: no sheet to make
            sheets = []
        for sheet in sheets:
            queued += enqueue_sheet(session, sheet_id=sheet.id, actor_user_id=organiser_id, settings=settings)
    return {"door outcomes": stored, "numbers queued": queued}


def _not_home(code) -> bool:
    """The call sheet's "not home" (app/phonebank/selection.py): nobody reached, nothing closed."""
    return not (code.contact or code.final or code.dnc)


def _numbers_around_the_clock(session: Session, *, household_ids: set[int]) -> int:
    """Give residents of these households (the ones the demo's call sheet takes) fictional mobiles
    in the AROUND_THE_CLOCK zones, zone by zone in turn; returns how many."""
    people = session.execute(sa.select(Person.id).where(Person.household_id.in_(household_ids))
                             .order_by(Person.household_id, Person.id).limit(PER_ZONE * len(AROUND_THE_CLOCK))).scalars()
    given = 0
    for given, person_id in enumerate(people, start=1):
        zone, n = (given - 1) % len(AROUND_THE_CLOCK), (given - 1) // len(AROUND_THE_CLOCK)
        phone = AROUND_THE_CLOCK[zone].format(FIRST_FICTIONAL[zone] + n)
        session.execute(sa.update(Person).where(Person.id == person_id).values(phone=phone, phone_type="mobile"))
    return given
