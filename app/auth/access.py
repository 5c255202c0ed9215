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


# ---- the door-knock hot path: the same rules as above, in one compiled query ----------------------
_doors = WalkListDoor.__table__
_DOORS_FOR_ORGANISER = (
    sa.select(_doors.c.walk_list_id, _doors.c.household_id)
    .where(_doors.c.household_id.in_(sa.bindparam("hids", expanding=True)),
           _doors.c.walk_list_id.in_(sa.bindparam("lids", expanding=True)))
)
_DOORS_FOR_USER = (  # doors of active lists assigned to the user: visible_list_ids' canvasser branch
    sa.select(_doors.c.walk_list_id, _doors.c.household_id)
    .join(Assignment.__table__, Assignment.__table__.c.walk_list_id == _doors.c.walk_list_id)
    .join(WalkList.__table__, WalkList.__table__.c.id == _doors.c.walk_list_id)
    .where(Assignment.__table__.c.user_id == sa.bindparam("uid"), Assignment.__table__.c.unassigned_at.is_(None),
           WalkList.__table__.c.status == "active", _doors.c.household_id.in_(sa.bindparam("hids", expanding=True)))
)
_DOORS_FOR_PIN = (  # doors of the PIN's list while it is active: visible_list_ids' PIN branch
    sa.select(_doors.c.walk_list_id, _doors.c.household_id)
    .join(WalkList.__table__, WalkList.__table__.c.id == _doors.c.walk_list_id)
    .where(_doors.c.walk_list_id == sa.bindparam("lid"), WalkList.__table__.c.status == "active",
           _doors.c.household_id.in_(sa.bindparam("hids", expanding=True)))
)


def require_door_batch(session: Session, *, principal, household_ids: set[int], list_ids: set[int],
                       pairs: set[tuple[int, int]]) -> set[tuple[int, int]] | None:
    """``require_households`` + ``require_list`` for every list, and which (list, household) pairs
    are doors on that list, usually in one query.

    The query reads only walk-list visibility, a subset of what the rules above allow, so when it
    shows everything visible that answer is exact. Otherwise (a caller's claimed household, a
    list none of these doors is on, something forbidden) the general checks above decide and
    raise, and None is returned: the caller then looks the pairs up itself.
    """
    if not household_ids and not list_ids:
        return set()
    conn, hids = session.connection(), sorted(household_ids)
    if is_organiser(principal):
        if not pairs:
            return set()
        rows = conn.execute(_DOORS_FOR_ORGANISER, {"hids": hids, "lids": sorted(list_ids)})
        return set(map(tuple, rows)) & pairs
    authenticated = principal is not None and getattr(principal, "is_authenticated", False)
    if authenticated and hids:
        if principal.has_role("pin"):
            rows = conn.execute(_DOORS_FOR_PIN, {"lid": principal.walk_list_id, "hids": hids})
        else:
            rows = conn.execute(_DOORS_FOR_USER, {"uid": principal.id, "hids": hids})
        doors = set(map(tuple, rows))
        if household_ids <= {h for _, h in doors} and list_ids <= {w for w, _ in doors}:
            return doors & pairs
    require_households(session, principal=principal, household_ids=household_ids)
    for walk_list_id in sorted(list_ids):
        require_list(session, principal=principal, walk_list_id=walk_list_id)
    return None
