"""Accepting and reverting a fix made at the door, in the caller's write transaction, audited.

Revert puts back what the fix replaced, but only while the person still holds what the fix
wrote: a later fix or an import that changed the same thing since is never silently undone
(revert that one first). A resident added at the door is not deleted (their door answers may
name them): reverting marks them "removed", which leaves them off every list and queue."""
from __future__ import annotations

import json

from sqlmodel import Session

from ..audit import audit
from ..contacts.fixes import current, from_json
from ..errors import Conflict
from ..models import Person, PersonFix, utcnow


def accept(session: Session, *, fix: PersonFix, user) -> PersonFix:
    if fix.status != "applied":
        raise Conflict(f"That fix was already {fix.status}.")
    fix.status, fix.reviewed_by_id, fix.reviewed_at = "accepted", user.id, utcnow()
    session.add(fix)
    audit(session, action="fix.accept", actor_user_id=user.id, actor_label=user.email,
          target=f"person:{fix.person_id}", detail={"fix": fix.id, "kind": fix.kind})
    return fix


def revert(session: Session, *, fix: PersonFix, user) -> PersonFix:
    if fix.status == "reverted":
        raise Conflict("That fix was already reverted.")
    person = session.get(Person, fix.person_id) if fix.person_id is not None else None
    if person is None:
        raise Conflict("The person this fix was about is no longer held (purged).")
    after, before = json.loads(fix.after), json.loads(fix.before)
    if fix.kind == "add":
        if person.gone:
            raise Conflict("That resident is already off the lists.")
        before = {"gone": "removed"}
    elif current(person, after) != after:
        raise Conflict("This has changed since (a later fix or an import): revert that first.")
    for field, value in before.items():
        setattr(person, field, from_json(field, value))
    person.updated_at = utcnow()
    fix.status, fix.reviewed_by_id, fix.reviewed_at = "reverted", user.id, utcnow()
    session.add_all([person, fix])
    audit(session, action="fix.revert", actor_user_id=user.id, actor_label=user.email,
          target=f"person:{fix.person_id}", detail={"fix": fix.id, "kind": fix.kind, "fields": sorted(before)})
    return fix
