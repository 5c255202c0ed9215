"""Who may see which household: the one place privacy rules live.

Organisers see everything. A canvasser sees the households on walk lists currently assigned to
them; a PIN joiner the households on their one list; a caller the households of the people
they have claimed from the call queue or called. Everything else is hidden.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from ..errors import Forbidden
from ..models import Assignment, CallAttempt, CallQueueEntry, Person, WalkList, WalkListDoor


def is_organiser(principal) -> bool:
    return bool(principal is not None and getattr(principal, "is_authenticated", False)
                and principal.has_role("organiser"))


def visible_list_ids(principal):
    """A SELECT of walk-list ids the principal may open (None means: all of them)."""
    if is_organiser(principal):
        return None
    if principal is None or not getattr(principal, "is_authenticated", False):
        return select(WalkList.id).where(sa.false())
    if principal.has_role("pin"):
        return select(WalkList.id).where(WalkList.id == principal.walk_list_id, WalkList.status == "active")
    return (
        select(Assignment.walk_list_id)
        .join(WalkList, WalkList.id == Assignment.walk_list_id)
        .where(Assignment.user_id == principal.id, Assignment.unassigned_at.is_(None), WalkList.status == "active")
    )


def visible_household_ids(principal):
    """A SELECT of household ids the principal may read or write (None means: all)."""
    if is_organiser(principal):
        return None
    lists = visible_list_ids(principal)
    queries = [select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id.in_(lists))]
    if getattr(principal, "is_authenticated", False) and principal.has_role("caller"):
        claimed = (select(Person.household_id).join(CallQueueEntry, CallQueueEntry.person_id == Person.id)
                   .where(CallQueueEntry.claimed_by_id == principal.id, CallQueueEntry.status == "claimed"))
        called = (select(Person.household_id).join(CallAttempt, CallAttempt.person_id == Person.id)
                  .where(CallAttempt.caller_id == principal.id))
        queries += [claimed, called]
    return sa.union(*queries)


def can_see_household(session: Session, *, principal, household_id: int) -> bool:
    visible = visible_household_ids(principal)
    if visible is None:
        return True
    sub = visible.subquery()
    return session.exec(select(sub.c[0]).where(sub.c[0] == household_id).limit(1)).first() is not None


def require_households(session: Session, *, principal, household_ids: set[int]) -> None:
    """Raise Forbidden unless every household is visible: a batch is all allowed or refused."""
    visible = visible_household_ids(principal)
    if visible is None or not household_ids:
        return
    sub = visible.subquery()
    allowed = set(session.exec(select(sub.c[0]).where(sub.c[0].in_(household_ids))).all())
    missing = sorted(household_ids - allowed)
    if missing:
        raise Forbidden(f"household {missing[0]} is not on a list assigned to you")


def require_list(session: Session, *, principal, walk_list_id: int) -> None:
    lists = visible_list_ids(principal)
    if lists is None:
        return
    sub = lists.subquery()
    if session.exec(select(sub.c[0]).where(sub.c[0] == walk_list_id).limit(1)).first() is None:
        raise Forbidden("that walk list is not assigned to you")
