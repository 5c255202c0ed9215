"""What the draw-a-turf page's map shows: an area's located doors (free, on another active list,
or on the list being redrawn) and the outlines of the active lists there. Read-only."""
from __future__ import annotations

import json

import sqlalchemy as sa
from sqlmodel import Session, select

from ..auth.access import Scope, in_scope, list_in_scope
from ..models import Household, ListStatus, WalkList, WalkListDoor
from .operations import active_list_households


def _area_clause(ward_id: int | None, neighbourhood_id: int | None):
    if neighbourhood_id is not None:
        return Household.neighbourhood_id == neighbourhood_id
    return Household.ward_id == ward_id


def draw_map(session: Session, *, ward_id: int | None = None, neighbourhood_id: int | None = None,
             walk_list: WalkList | None = None, scope: Scope | None = None) -> dict:
    """{"doors": [[lon, lat, state]], "lists": [{"name", "hull"}], "turf": GeoJSON or None}; a door's
    state is "free", "taken" (another active list) or "this" (``walk_list``'s own). A team lead
    (``scope``) sees only doors and lists in their areas."""
    own = set(session.exec(select(WalkListDoor.household_id).where(
        WalkListDoor.walk_list_id == walk_list.id)).all()) if walk_list else set()
    where = _area_clause(ward_id, neighbourhood_id)
    if own:
        where = sa.or_(where, Household.id.in_(own))
    rows = session.exec(select(Household.id, Household.lon, Household.lat, Household.ward_id, Household.neighbourhood_id)
                        .where(where, Household.lon.is_not(None), Household.lat.is_not(None))).all()
    # Only the area's reserved doors: every active list's are 2.5 million rows in a state (3.7 s).
    area_ids = select(Household.id).where(where)
    taken = set(session.exec(active_list_households().where(WalkListDoor.household_id.in_(area_ids))).all())
    doors = [[round(lon, 6), round(lat, 6), "this" if hid in own else "taken" if hid in taken else "free"]
             for hid, lon, lat, w, h in rows if hid in own or in_scope(scope, ward_id=w, neighbourhood_id=h)]
    lists = []
    if rows:
        ids = set(session.exec(select(WalkListDoor.walk_list_id).where(WalkListDoor.household_id.in_(area_ids))
                               .distinct()).all())
        for other in session.exec(select(WalkList).where(WalkList.id.in_(ids), WalkList.status == ListStatus.ACTIVE,
                                                         WalkList.knockup_round_id.is_(None))).all():
            if other.hull and (walk_list is None or other.id != walk_list.id) and list_in_scope(scope, other):
                lists.append({"name": other.name, "hull": json.loads(other.hull)})
    turf = json.loads(walk_list.hull) if walk_list is not None and walk_list.hull else None
    return {"doors": doors, "lists": lists, "turf": turf}


__all__ = ["draw_map"]
