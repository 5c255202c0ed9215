"""People you know in the purge and the subject-access exports. An entry is what a volunteer
typed about someone (their name, postcode, street, phone): personal data of that someone, held
for the volunteer. The post-election purge deletes every entry last changed before its date and
unlinks any entry from a register person it removes; ``export-person`` lists the entries linked
to the person; ``export-volunteer`` gives a volunteer their own list."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ..models import RelationalEntry, RelationalRejection

_FIELDS = {"name", "postcode", "street", "phone", "created_at", "updated_at", "confirmed_at"}


def purge_entries(session: Session, *, people, before: datetime) -> dict:
    """``people``: a SELECT of the person ids being purged. Runs before they are deleted."""
    e = RelationalEntry
    session.execute(sa.delete(RelationalRejection).where(sa.or_(
        RelationalRejection.person_id.in_(people),
        RelationalRejection.entry_id.in_(select(e.id).where(e.updated_at < before)))))
    session.execute(sa.update(e).where(e.person_id.in_(people)).values(person_id=None, confirmed_at=None))
    session.execute(sa.update(e).where(e.suggested_person_id.in_(people)).values(suggested_person_id=None))
    removed = session.execute(sa.delete(e).where(e.updated_at < before)).rowcount
    return {"known_entries_removed": removed}


def entries_about_person(session: Session, *, person_id: int) -> list[dict]:
    """What volunteers typed about this person and confirmed (not who typed it)."""
    rows = session.exec(select(RelationalEntry).where(RelationalEntry.person_id == person_id)
                        .order_by(RelationalEntry.created_at)).all()
    return [r.model_dump(include=_FIELDS) for r in rows]


def volunteer_entries(session: Session, *, user_id: int) -> list[dict]:
    rows = session.exec(select(RelationalEntry).where(RelationalEntry.owner_id == user_id)
                        .order_by(RelationalEntry.created_at)).all()
    return [dict(r.model_dump(include=_FIELDS), found_on_register=r.person_id is not None) for r in rows]
