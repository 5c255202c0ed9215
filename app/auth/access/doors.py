"""Which households and walk lists someone may see or write: organisers everything; a canvasser
the lists assigned to them; a PIN joiner their one list; a caller the people they claimed or
called. The door-knock hot path checks the same rules in one compiled query (``door_access``)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ...errors import Forbidden, ListClosed
from ...models import (Assignment, CallAttempt, CallQueueEntry, ListStatus, Person, QueueStatus, WalkList,
                       WalkListDoor)
from .holds import _end_key, closed_message, lapsed_holds
from .roles import is_organiser


def visible_list_ids(principal):
    """A SELECT of walk-list ids the principal may open (None means: all of them)."""
    if is_organiser(principal):
        return None
    if principal is None or not getattr(principal, "is_authenticated", False):
        return select(WalkList.id).where(sa.false())
    if principal.has_role("pin"):
        return select(WalkList.id).where(WalkList.id == principal.walk_list_id, WalkList.status == ListStatus.ACTIVE)
    return (
        select(Assignment.walk_list_id)
        .join(WalkList, WalkList.id == Assignment.walk_list_id)
        .where(Assignment.user_id == principal.id, Assignment.unassigned_at.is_(None),
               WalkList.status == ListStatus.ACTIVE)
    )


def visible_household_ids(principal):
    """A SELECT of household ids the principal may read or write (None means: all)."""
    if is_organiser(principal):
        return None
    lists = visible_list_ids(principal)
    queries = [select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id.in_(lists))]
    if getattr(principal, "is_authenticated", False) and principal.has_role("caller"):
        claimed = (select(Person.household_id).join(CallQueueEntry, CallQueueEntry.person_id == Person.id)
                   .where(CallQueueEntry.claimed_by_id == principal.id, CallQueueEntry.status == QueueStatus.CLAIMED))
        called = (select(Person.household_id).join(CallAttempt, CallAttempt.person_id == Person.id)
                  .where(CallAttempt.caller_id == principal.id))
        queries += [claimed, called]
    return sa.union(*queries)


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
        held = lapsed_holds(session, principal=principal, walk_list_id=walk_list_id).get(None)
        if held:
            raise ListClosed(closed_message(max(held, key=_end_key)))
        raise Forbidden("that walk list is not assigned to you")


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
           WalkList.__table__.c.status == ListStatus.ACTIVE,
           _doors.c.household_id.in_(sa.bindparam("hids", expanding=True)))
)


_DOORS_FOR_PIN = (  # doors of the PIN's list while it is active: visible_list_ids' PIN branch
    sa.select(_doors.c.walk_list_id, _doors.c.household_id)
    .join(WalkList.__table__, WalkList.__table__.c.id == _doors.c.walk_list_id)
    .where(_doors.c.walk_list_id == sa.bindparam("lid"), WalkList.__table__.c.status == ListStatus.ACTIVE,
           _doors.c.household_id.in_(sa.bindparam("hids", expanding=True)))
)


@dataclass
class DoorAccess:
    """What a batch of door outcomes may touch. ``on_list``: the batch's (list, household) pairs
    that are doors of that list, among visible lists; ``households`` / ``lists``: the batch's
    visible ones (None: all of them)."""

    on_list: set[tuple[int, int]]
    households: set[int] | None = None
    lists: set[int] | None = None

    def visible(self, household_id: int | None, walk_list_id: int | None) -> bool:
        return ((self.households is None or household_id is None or household_id in self.households)
                and (self.lists is None or walk_list_id is None or walk_list_id in self.lists))


def door_access(session: Session, *, principal, household_ids: set[int], list_ids: set[int],
                pairs: set[tuple[int, int]]) -> DoorAccess:
    """The rules above for a whole batch, usually in one query.

    The query reads only walk-list visibility, a subset of what the rules allow, so when it
    shows everything visible that answer is exact. Otherwise (a caller's claimed household, a
    list none of these doors is on, a door no longer held) the general rules say what is visible,
    and the caller judges the rest item by item (``lapsed_holds``).
    """
    if not household_ids and not list_ids:
        return DoorAccess(set())
    conn, hids = session.connection(), sorted(household_ids)
    if is_organiser(principal):
        if not pairs:
            return DoorAccess(set())
        rows = conn.execute(_DOORS_FOR_ORGANISER, {"hids": hids, "lids": sorted(list_ids)})
        return DoorAccess(set(map(tuple, rows)) & pairs)
    if principal is None or not getattr(principal, "is_authenticated", False):
        return DoorAccess(set(), set(), set())
    if hids:
        if principal.has_role("pin"):
            rows = conn.execute(_DOORS_FOR_PIN, {"lid": principal.walk_list_id, "hids": hids})
        else:
            rows = conn.execute(_DOORS_FOR_USER, {"uid": principal.id, "hids": hids})
        doors = set(map(tuple, rows))
        if household_ids <= {h for _, h in doors} and list_ids <= {w for w, _ in doors}:
            return DoorAccess(doors & pairs)
    return _door_access_slowly(session, principal, household_ids, list_ids, pairs)


def _door_access_slowly(session, principal, household_ids, list_ids, pairs) -> DoorAccess:
    households, lists = set(), set()
    if household_ids:
        sub = visible_household_ids(principal).subquery()
        households = set(session.exec(select(sub.c[0]).where(sub.c[0].in_(household_ids))).all())
    if list_ids:
        sub = visible_list_ids(principal).subquery()
        lists = set(session.exec(select(sub.c[0]).where(sub.c[0].in_(list_ids))).all())
    wanted = {(w, h) for w, h in pairs if w in lists}
    on_list = set()
    if wanted:
        rows = session.exec(select(WalkListDoor.walk_list_id, WalkListDoor.household_id).where(
            WalkListDoor.walk_list_id.in_({w for w, _ in wanted}),
            WalkListDoor.household_id.in_({h for _, h in wanted}))).all()
        on_list = {tuple(r) for r in rows} & wanted
    return DoorAccess(on_list, households, lists)
