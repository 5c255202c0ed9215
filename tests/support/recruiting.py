"""Volunteers who signed up (a VolunteerProfile), credited or not, and their codes."""
from __future__ import annotations

from datetime import datetime

from app.db import write_transaction
from app.models import VolunteerProfile, utcnow
from app.recruiting import operations as recruiting


def make_volunteer(db, make_user, *, name: str, recruited_by=None, joined: datetime | None = None, **kw):
    user = make_user(roles="volunteer", name=name, **kw)
    db.add(VolunteerProfile(user_id=user.id, postcode="SW1A 1AA", recruited_by_id=recruited_by.id if recruited_by else None,
                            created_at=joined or utcnow(), consented_at=utcnow()))
    db.commit()
    return user


def code_for(db, user) -> str:
    return write_transaction(db, lambda s: recruiting.ensure_code(s, user_id=user.id))
