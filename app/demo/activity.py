"""A demo campaign that has already begun: some doors knocked on the lists the demo canvasser
does not hold, and a call sheet of the not-home households in the live queue for the demo
caller. Everything goes through the real write paths (app.contacts, phone-bank operations)."""
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

# (code, weight): roughly what a first evening on the doors looks like
DOOR_MIX = [("not_home", 45), ("spoke", 33), ("refused", 8), ("come_back", 7), ("moved", 3), ("inaccessible", 2),
            ("do_not_contact", 2)]


def seed_activity(session: Session, *, organiser_id: int, skip_list_ids: set[int], settings: Settings,
                  seed: int = 1, lists: int = 4, share: float = 0.6) -> dict:
    rng = random.Random(seed)
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
                                       "volunteer_interest": rng.random() < 0.1} for pid in people[:2]]
            events.append(event)
    stored = 0
    for batch in chunks(events, 100):  # the phone's batch size
        statuses = record_contacts(session, events=batch, actor=Actor(user_id=organiser_id, label="demo"),
                                   settings=settings)
        stored += sum(s.status == "stored" for s in statuses)
    queued = 0
    if list_ids:
        from ..phonebank.operations import enqueue_sheet, make_call_sheets

        try:
            sheets = make_call_sheets(session, scope=f"list:{list_ids[0]}", criteria="not_home",
                                      priority="not_home_first", sheet_size=50, actor_user_id=organiser_id,
                                      settings=settings, name="Demo: not home at the door")
        except ValidationError:  # nobody with a phone was out: no sheet to make
            sheets = []
        for sheet in sheets:
            queued += enqueue_sheet(session, sheet_id=sheet.id, actor_user_id=organiser_id, settings=settings)
    return {"door outcomes": stored, "numbers queued": queued}
