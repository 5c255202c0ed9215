"""The demo's fixes from the door: a few corrections waiting for the organiser's review, made
through the same code as a phone's (``app.contacts.fixes.store_fixes``)."""
from __future__ import annotations

import uuid
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..contacts import Actor
from ..contacts.fix_rules import validate_fix
from ..contacts.fixes import store_fixes
from ..models import Person, WalkListDoor, utcnow

CONSENT = "I agree that the campaign may keep this phone number or email address."


def seed_fixes(session: Session, *, walk_list_id: int, actor_user_id: int, actor_label: str, settings: Settings) -> dict:
    """Six fixes on one list's first doors: a resident added with a number, one moved away, one
    deceased, a name corrected, a phone and an email given with consent."""
    doors = session.execute(sa.select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id == walk_list_id)
                            .order_by(WalkListDoor.position).limit(6)).scalars().all()
    people = {hid: session.execute(sa.select(Person.id).where(Person.household_id == hid, Person.gone == "")
                                   .order_by(Person.id)).scalars().first() for hid in doors}
    now = utcnow()
    wanted = [("add", {"first_name": "Priya", "last_name": "Okafor", "phone": "+1 617 555 0188"}),
              ("moved", {}), ("deceased", {}), ("name", {"first_name": "Katherine", "last_name": "Doyle"}),
              ("phone", {"phone": "(617) 555-0166"}), ("email", {"email": "sam.reyes@example.org"})]
    fixes = []
    for n, ((kind, extra), household_id) in enumerate(zip(wanted, doors)):
        if kind != "add" and people.get(household_id) is None:
            continue
        at = (now - timedelta(minutes=40 - 5 * n)).isoformat()
        raw = {"id": str(uuid.UUID(int=0xF1 << 120 | n)), "type": "fix", "fix": kind, "household_id": household_id,
               "walk_list_id": walk_list_id, "person_id": people.get(household_id), "recorded_at": at, **extra}
        if "phone" in extra or "email" in extra:
            raw["consent"] = {"text": CONSENT, "at": at}
        fixes.append((len(fixes), validate_fix(raw, settings=settings, now=now)))
    out: list = [None] * len(fixes)
    store_fixes(session, fixes=fixes, actor=Actor(user_id=actor_user_id, label=actor_label), out=out)
    return {"fixes from the door": sum(1 for s in out if s and s.status == "stored")}
