"""The do-not-contact ledger: door and phone both consult it, and only the write path adds to it
(``record.store_prepared``, in the transaction that stores the event asking for it)."""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from ..audit import audit
from ..models import Channel, DncChannel, DoNotContact, Person


def add_to_ledger(session: Session, *, event: dict, responses: list[dict], actor) -> None:
    """Do-not-contact at the door or on the phone stops both channels."""
    person_ids = {r["person_id"] for r in responses}
    if event["person_id"]:
        person_ids.add(event["person_id"])
    reason = f"{event['channel']}: {event['code']}"
    common = dict(channel=DncChannel.ALL, reason=reason, source_event_id=event["id"], created_by_id=actor.user_id)
    if person_ids:
        phones = dict(session.exec(select(Person.id, Person.phone).where(Person.id.in_(person_ids))).all())
        for pid in sorted(person_ids):
            phone = phones.get(pid) if event["channel"] == Channel.PHONE else None
            session.add(DoNotContact(person_id=pid, household_id=event["household_id"], phone=phone, **common))
    else:
        session.add(DoNotContact(household_id=event["household_id"], **common))
    audit(session, action="dnc.add", actor_user_id=actor.user_id, actor_label=actor.label,
          target=f"household:{event['household_id']}", detail={"event": event["id"], "people": sorted(person_ids)})


def ledger_blocks(session: Session, *, person_id: int | None = None, household_id: int | None = None,
                  phone: str | None = None) -> bool:
    """True when the ledger says not to contact this person, household (door-level entry) or number."""
    conds = []
    if person_id is not None:
        conds.append(DoNotContact.person_id == person_id)
    if household_id is not None:
        conds.append(sa.and_(DoNotContact.household_id == household_id, DoNotContact.person_id.is_(None)))
    if phone:
        conds.append(DoNotContact.phone == phone)
    if not conds:
        return False
    return session.exec(select(DoNotContact.id).where(sa.or_(*conds)).limit(1)).first() is not None
