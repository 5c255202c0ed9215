"""Hand-drawn turfs: an organiser (or a team lead, inside their areas) draws a turf on the map, or
redraws an active list's. The doors inside (``walklists.polygons``) that no other active list holds,
optionally only those with someone in a universe, become the list, routed like a cut one.

Redrawing a list: doors newly inside are added (if free); doors now outside leave it, except those
with an outcome already recorded on this list, which stay. A door that leaves is noted
(WalkListRemovedDoor) so a phone that recorded it offline before then can still hand it in
(``app.auth.access.holds``); phones read the new doors on their next fetch of the list.

``preview_drawn`` writes nothing and returns plain data the preview page signs into its form;
``save_drawn`` computes the same again and refuses (Conflict) if the doors changed in between.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field

import sqlalchemy as sa
from sqlmodel import Session, select

from walklists import Door, WalklistsError, doors_inside, parse_polygon

from ..audit import audit
from ..auth.access import Scope, in_scope
from ..errors import Conflict, Forbidden, ValidationError
from ..models import (Channel, ContactEvent, Household, ListStatus, Neighbourhood, Ward, WalkList, WalkListDoor,
                      WalkListRemovedDoor, utcnow)
from ..universes.queries import get_universe, universe_households
from ..streets.routes import door_of, route_doors
from .locks import lock_doors
from .operations import active_list_households, campaign_pace, get_list, new_list_code

MAX_DRAWN_DOORS = 2000  # a list someone walks in an afternoon is 20-100 doors: this is a mistake


@dataclass
class DrawnTurf:
    """A drawn turf's doors, before it is saved (plain data: the preview page signs it)."""

    polygon: dict                    # GeoJSON Polygon, as checked
    household_ids: list[int]         # the list's doors after saving, walking order
    length_m: float
    minutes: float
    ward_id: int | None
    neighbourhood_id: int | None
    area_name: str
    walk_list_id: int | None = None  # redrawing this list; None: a new list
    universe_id: int | None = None
    universe_name: str = ""
    added: list[int] = field(default_factory=list)     # redraw: doors new to the list
    removed: list[int] = field(default_factory=list)   # redraw: doors leaving it
    kept: list[int] = field(default_factory=list)      # redraw: outside, but with an outcome here: they stay
    skipped_in_active_list: int = 0
    skipped_outside_universe: int = 0
    skipped_outside_scope: int = 0
    points: list[list[float]] = field(default_factory=list)  # [lon, lat] per door, walking order

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> DrawnTurf:
        return cls(**data)


def _polygon(geometry: object):
    try:
        return parse_polygon(geometry)
    except WalklistsError as error:
        raise ValidationError(f"{error}.") from None


def _inside(session: Session, polygon) -> list[Household]:
    """Located households inside the outline (the bounding box in SQL, the outline in walklists)."""
    lons, lats = [p[0] for p in polygon.ring], [p[1] for p in polygon.ring]
    rows = session.exec(select(Household).where(
        Household.lon.is_not(None), Household.lat.is_not(None),
        Household.lon.between(min(lons), max(lons)), Household.lat.between(min(lats), max(lats)))).all()
    by_id = {str(h.id): h for h in rows}
    doors = [Door(id=str(h.id), lon=h.lon, lat=h.lat) for h in rows]
    return [by_id[d.id] for d in doors_inside(polygon, doors)]


def _with_outcomes(session: Session, walk_list_id: int, household_ids: list[int]) -> set[int]:
    if not household_ids:
        return set()
    return set(session.exec(select(ContactEvent.household_id).where(
        ContactEvent.walk_list_id == walk_list_id, ContactEvent.channel == Channel.DOOR,
        ContactEvent.household_id.in_(household_ids)).distinct()).all())


def _area(session: Session, households: list[Household]) -> tuple[int | None, int | None, str]:
    """The list's area: its doors' neighbourhood if they share one, its ward if they share that."""
    hoods = Counter(h.neighbourhood_id for h in households)
    wards = Counter(h.ward_id for h in households)
    hood_id = next(iter(hoods)) if len(hoods) == 1 else None
    ward_id = next(iter(wards)) if len(wards) == 1 else None
    hood = session.get(Neighbourhood, hood_id) if hood_id else None
    ward = session.get(Ward, ward_id) if ward_id else None
    return ward_id, hood_id, (hood.name if hood else ward.name if ward else "Drawn turf")


def preview_drawn(session: Session, *, polygon: object, walk_list_id: int | None = None,
                  universe_id: int | None = None, scope: Scope | None = None, pace=None) -> DrawnTurf:
    """The doors a drawn outline makes into a list (a new one, or ``walk_list_id`` redrawn), routed.
    Nothing is written. ValidationError for a bad outline or one with no free doors inside."""
    shape = _polygon(polygon)
    current: list[int] = []
    if walk_list_id is not None:
        walk_list = get_list(session, walk_list_id, scope=scope)
        if walk_list.status != ListStatus.ACTIVE:
            raise Conflict(f"{walk_list.name} has been released; its turf cannot be redrawn.")
        if walk_list.knockup_round_id is not None:
            raise ValidationError(f"{walk_list.name} is a knock-up list: its doors follow the pledges, not a turf.")
        current = list(session.exec(select(WalkListDoor.household_id).where(
            WalkListDoor.walk_list_id == walk_list_id).order_by(WalkListDoor.position)).all())
    inside = _inside(session, shape)
    reserved = set(session.exec(active_list_households()).all()) - set(current)
    free = [h for h in inside if h.id not in reserved]
    in_scope_ = [h for h in free if in_scope(scope, ward_id=h.ward_id, neighbourhood_id=h.neighbourhood_id)]
    universe_name, chosen = "", in_scope_
    if universe_id is not None:
        universe_name = get_universe(session, universe_id=universe_id).name
        ids = [h.id for h in in_scope_ if h.id not in current]
        within = set(session.exec(select(Household.id).where(
            Household.id.in_(ids), Household.id.in_(universe_households(session, universe_id=universe_id)))).all()) \
            if ids else set()
        chosen = [h for h in in_scope_ if h.id in current or h.id in within]  # a list keeps its own doors
    inside_ids = {h.id for h in chosen}
    outside = [hid for hid in current if hid not in inside_ids]
    kept = _with_outcomes(session, walk_list_id, outside) if walk_list_id is not None else set()
    households = chosen + list(session.exec(select(Household).where(Household.id.in_(kept))).all()) if kept else chosen
    if not households:
        raise ValidationError(_nothing_inside(len(inside), len(inside) - len(free), len(free) - len(in_scope_),
                                              universe_name))
    if len(households) > MAX_DRAWN_DOORS:
        raise ValidationError(f"That outline holds {len(households)} free doors; a list may have at most "
                              f"{MAX_DRAWN_DOORS}. Draw a smaller turf, or cut the area into lists.")
    ward_id, hood_id, area_name = _area(session, households)
    if not in_scope(scope, ward_id=ward_id, neighbourhood_id=hood_id):
        raise Forbidden("Draw the turf inside one of your team's areas: these doors span areas you do not lead.")
    route = route_doors(session, [door_of(h) for h in households], pace=pace or campaign_pace())
    order = [int(d.id) for d in route.doors]
    return DrawnTurf(polygon=shape.as_geojson(), household_ids=order, length_m=round(route.length_m, 1),
                     minutes=round(route.minutes, 1), ward_id=ward_id, neighbourhood_id=hood_id, area_name=area_name,
                     walk_list_id=walk_list_id, universe_id=universe_id, universe_name=universe_name,
                     added=[hid for hid in order if hid not in set(current)], removed=[h for h in outside if h not in kept],
                     kept=sorted(kept), skipped_in_active_list=len(inside) - len(free),
                     skipped_outside_universe=len(in_scope_) - len(chosen),
                     skipped_outside_scope=len(free) - len(in_scope_),
                     points=[[d.lon, d.lat] for d in route.doors])


def _nothing_inside(inside: int, taken: int, out_of_scope: int, universe_name: str) -> str:
    if not inside:
        return "There are no doors with a location inside that outline: draw it around some houses."
    if taken == inside:
        return f"All {inside} doors inside that outline are already on active lists: release a list to redraw them."
    if out_of_scope and out_of_scope + taken == inside:
        return "The free doors inside that outline are outside your team's areas."
    return f"Nobody in the universe {universe_name} lives inside that outline."


def save_drawn(session: Session, *, drawn: DrawnTurf, by_id: int | None, scope: Scope | None = None,
               pace=None) -> WalkList:
    """Save a previewed drawn turf: a new list, or the redrawn list. Conflict if its doors changed
    since the preview (another list took some, an outcome was recorded)."""
    lock_doors(session)  # the fresh look below and the save are one step for every other writer
    fresh = preview_drawn(session, polygon=drawn.polygon, walk_list_id=drawn.walk_list_id,
                          universe_id=drawn.universe_id, scope=scope, pace=pace)
    if (set(fresh.household_ids), set(fresh.removed)) != (set(drawn.household_ids), set(drawn.removed)):
        raise Conflict("The doors inside this turf changed since the preview (another list took some, or an "
                       "outcome was recorded). Preview it again.")
    if fresh.walk_list_id is None:
        return _save_new(session, fresh, by_id)
    return _save_redrawn(session, fresh, by_id)


def _new_name(session: Session, prefix: str) -> str:
    names = {n.lower() for n in session.exec(select(WalkList.name).where(WalkList.status == ListStatus.ACTIVE)).all()}
    number = session.exec(select(sa.func.count(WalkList.id)).where(WalkList.name.like(f"{prefix} · %"))).one()
    while True:
        number += 1
        name = f"{prefix} · {number}"[:120]
        if name.lower() not in names:
            return name


def _save_new(session: Session, drawn: DrawnTurf, by_id: int | None) -> WalkList:
    walk_list = WalkList(name=_new_name(session, drawn.area_name), code=new_list_code(session), ward_id=drawn.ward_id,
                         neighbourhood_id=drawn.neighbourhood_id, door_count=len(drawn.household_ids),
                         length_m=drawn.length_m, est_minutes=drawn.minutes, hull=json.dumps(drawn.polygon),
                         created_by_id=by_id)
    session.add(walk_list)
    session.flush()
    session.add_all([WalkListDoor(walk_list_id=walk_list.id, household_id=hid, position=pos)
                     for pos, hid in enumerate(drawn.household_ids)])
    session.flush()
    audit(session, action="lists.draw", actor_user_id=by_id, target=f"walk_list:{walk_list.id}",
          detail={"name": walk_list.name, "doors": walk_list.door_count,
                  **({"universe": drawn.universe_id} if drawn.universe_id else {})})
    return walk_list


def _save_redrawn(session: Session, drawn: DrawnTurf, by_id: int | None) -> WalkList:
    walk_list = session.get(WalkList, drawn.walk_list_id)
    rows = {r.household_id: r for r in session.exec(select(WalkListDoor).where(
        WalkListDoor.walk_list_id == walk_list.id)).all()}
    for hid in drawn.removed:
        session.delete(rows.pop(hid))
    now, gone = utcnow(), {r.household_id: r for r in session.exec(select(WalkListRemovedDoor).where(
        WalkListRemovedDoor.walk_list_id == walk_list.id)).all()}
    for hid in drawn.removed:
        note = gone.get(hid) or WalkListRemovedDoor(walk_list_id=walk_list.id, household_id=hid)
        note.removed_at, note.removed_by_id = now, by_id
        session.add(note)
    last = dict(session.exec(select(ContactEvent.household_id, sa.func.max(ContactEvent.recorded_at)).where(
        ContactEvent.walk_list_id == walk_list.id, ContactEvent.channel == Channel.DOOR,
        ContactEvent.household_id.in_(drawn.added or [0])).group_by(ContactEvent.household_id)).all())
    for pos, hid in enumerate(drawn.household_ids):
        if hid in rows:
            rows[hid].position = pos
            session.add(rows[hid])
        else:  # a door drawn back onto the list is no longer a removed one
            if hid in gone:
                session.delete(gone[hid])
            session.add(WalkListDoor(walk_list_id=walk_list.id, household_id=hid, position=pos,
                                     last_door_at=last.get(hid)))
    walk_list.door_count, walk_list.length_m, walk_list.est_minutes = (len(drawn.household_ids), drawn.length_m,
                                                                      drawn.minutes)
    walk_list.ward_id, walk_list.neighbourhood_id = drawn.ward_id, drawn.neighbourhood_id
    walk_list.hull = json.dumps(drawn.polygon)
    session.add(walk_list)
    session.flush()
    audit(session, action="lists.redraw", actor_user_id=by_id, target=f"walk_list:{walk_list.id}",
          detail={"doors": walk_list.door_count, "added": len(drawn.added), "removed": len(drawn.removed),
                  "kept_with_outcomes": len(drawn.kept),
                  **({"universe": drawn.universe_id} if drawn.universe_id else {})})
    return walk_list


__all__ = ["DrawnTurf", "MAX_DRAWN_DOORS", "preview_drawn", "save_drawn"]
