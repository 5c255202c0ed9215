"""How far each walk list has got: the one answer the organiser's pages, the maps, the dashboard and
the canvasser's "My lists" all read."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ..auth.access import Scope, scope_list_clause
from ..models import Assignment, ListPin, ListStatus, User, WalkList, WalkListDoor
from ..sorting import by_name


@dataclass
class ListProgress:
    id: int
    name: str = ""
    code: str = ""
    hull: str | None = None
    ward_id: int | None = None
    neighbourhood_id: int | None = None
    status: str = ListStatus.ACTIVE            # the list's own: active or released
    total: int = 0                    # doors on the list
    done: int = 0                     # list doors with a door event recorded on this list
    last_activity: datetime | None = None  # the latest of those, by the phone's clock
    assigned: list[str] = field(default_factory=list)  # signed-in volunteers holding it
    pins: list[str] = field(default_factory=list)      # PINs handed out for it, by label

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0

    @property
    def state(self) -> str:
        """released, not started, in progress or done."""
        if self.status == ListStatus.RELEASED:
            return "released"
        if not self.done:
            return "not started"
        return "done" if self.done >= self.total else "in progress"

    @property
    def volunteers(self) -> list[str]:
        return self.assigned + [f"PIN: {label}" if label else "PIN volunteer" for label in self.pins]


def list_progress(session: Session, *, lists: list[WalkList] | None = None, list_ids: list[int] | None = None,
                  ward_id: int | None = None, neighbourhood_id: int | None = None,
                  active_only: bool = True, scope: Scope | None = None) -> list[ListProgress]:
    """Progress of ``lists`` (already read), or of the lists so chosen (``scope``: inside a team
    lead's areas), sorted by name."""
    if lists is None:
        conds = [WalkList.status == ListStatus.ACTIVE] if active_only else []
        if scope is not None:
            conds.append(scope_list_clause(scope))
        if ward_id is not None:
            conds.append(WalkList.ward_id == ward_id)
        if neighbourhood_id is not None:
            conds.append(WalkList.neighbourhood_id == neighbourhood_id)
        if list_ids is not None:
            conds.append(WalkList.id.in_(list_ids))
        lists = by_name(session.exec(select(WalkList).where(*conds)))
    out = {wl.id: ListProgress(id=wl.id, name=wl.name, code=wl.code, hull=wl.hull, ward_id=wl.ward_id,
                               neighbourhood_id=wl.neighbourhood_id, status=wl.status) for wl in lists}
    if not out:
        return []
    ids = list(out)
    # Only events recorded on this list count towards it: a door knocked from an older, released
    # list is that list's history, not this volunteer's progress. record_contacts keeps each list
    # door's latest such event (WalkListDoor.last_door_at), so this is one read of the lists'
    # doors, however many events there are.
    doors = WalkListDoor.__table__.c
    for list_id, total, done, last in session.connection().execute(
            sa.select(doors.walk_list_id, sa.func.count(), sa.func.count(doors.last_door_at),
                      sa.func.max(doors.last_door_at))
            .where(doors.walk_list_id.in_(ids)).group_by(doors.walk_list_id)):
        out[list_id].total, out[list_id].done, out[list_id].last_activity = total, done, last
    for list_id, name, email in session.exec(
            select(Assignment.walk_list_id, User.name, User.email).join(User, User.id == Assignment.user_id)
            .where(Assignment.walk_list_id.in_(ids), Assignment.unassigned_at.is_(None))
            .order_by(User.name, User.email)):
        out[list_id].assigned.append(name or email)
    for list_id, label in session.exec(
            select(ListPin.walk_list_id, ListPin.label)
            .where(ListPin.walk_list_id.in_(ids), ListPin.revoked_at.is_(None)).order_by(ListPin.id)):
        out[list_id].pins.append(label)
    return list(out.values())


def progress_by_id(session: Session, **scope) -> dict[int, ListProgress]:
    return {p.id: p for p in list_progress(session, **scope)}
