"""Walk lists: cut an area into turfs, save them, release (volunteers: ``assignments.py``; PINs: ``pins.py``).

Views, CLI commands, the demo and tests all call these; each takes an explicit session and
leaves committing to the caller. A proposal (what ``cut_area`` returns) is plain data, so the
preview page can sign it into a form and ``save_lists`` can check it is still valid.
"""
from __future__ import annotations

import json
import secrets
from dataclasses import asdict, dataclass, field

import numpy as np
import shapely
import sqlalchemy as sa
from shapely.geometry import mapping
from sqlmodel import Session, select

from walklists import Pace, cut_turf

from ..audit import audit
from ..auth.access import Scope, list_in_scope
from ..errors import Conflict, Forbidden, NotFound, ValidationError
from ..models import (Household, ListStatus, Neighbourhood, Ward, WalkList,
                      WalkListDoor, utcnow)
from ..streets.routes import crossing_m, door_of, doors_network, street_lines, turf_route
from ..universes.queries import get_universe, universe_households
from .locks import lock_doors

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read out loud on a doorstep
CODE_LENGTH = 6
HULL_BUFFER_DEG = 0.0002  # ~20 m, so a one-street turf still draws as an area


@dataclass
class ProposedTurf:
    household_ids: list[int]  # walking order
    length_m: float
    minutes: float
    neighbourhood_id: int | None
    hull: dict | None = None  # GeoJSON polygon
    points: list[list[float]] = field(default_factory=list)  # [lon, lat] per door, walking order
    ward_id: int | None = None  # a whole-city cut's turf (walk_lists.city); else the proposal's ward


@dataclass
class Proposal:
    ward_id: int | None
    neighbourhood_id: int | None
    area_name: str
    target_size: int
    tolerance: float
    turfs: list[ProposedTurf]
    skipped_no_location: int = 0
    skipped_in_active_list: int = 0
    universe_id: int | None = None      # cut from a universe: only households with someone in it
    universe_name: str = ""
    skipped_outside_universe: int = 0
    # doors more than walklists.FAR_GAP_M from the rest (a mistyped location, a far hamlet): left out,
    # shown by address so the organiser can fix them or cut their own area
    far_away: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Proposal:
        turfs = [ProposedTurf(**t) for t in data.get("turfs", [])]
        return cls(**{**data, "turfs": turfs})


def active_list_households():
    """A SELECT of household ids already reserved by an active walk list. Polling day's knock-up
    lists reserve nothing: they are another kind of work on the same doors, and the last round's
    stay active until the polling-day purge."""
    return (select(WalkListDoor.household_id).join(WalkList, WalkList.id == WalkListDoor.walk_list_id)
            .where(WalkList.status == ListStatus.ACTIVE, WalkList.knockup_round_id.is_(None)))


def _area(session: Session, ward_id: int | None, neighbourhood_id: int | None):
    if (ward_id is None) == (neighbourhood_id is None):
        raise ValidationError("Choose either a ward or a neighbourhood to cut.")
    if ward_id is not None:
        ward = session.get(Ward, ward_id)
        if ward is None:
            raise NotFound(f"Ward {ward_id} does not exist.")
        return ward, None
    hood = session.get(Neighbourhood, neighbourhood_id)
    if hood is None:
        raise NotFound(f"Neighbourhood {neighbourhood_id} does not exist.")
    return (session.get(Ward, hood.ward_id) if hood.ward_id else None), hood


def campaign_pace() -> Pace:
    """Walking pace from config.toml [canvass] (defaults outside an app context)."""
    from flask import has_app_context

    if not has_app_context():
        return Pace()
    from ..config import settings

    canvass = settings().canvass
    return Pace(metres_per_minute=canvass.metres_per_minute, seconds_per_door=canvass.seconds_per_door)


def _address(h) -> str:
    """Household.address of a row read as columns (the property reads only the columns it names)."""
    return Household.address.fget(h) or f"household {h.id}"


def turf_hull(points: list[tuple[float, float]]) -> dict:
    # from an array in one call: a Point object per door cost a cut of 82 lists 0.1 s
    return mapping(shapely.convex_hull(shapely.multipoints(np.asarray(points, dtype=float)))
                   .buffer(HULL_BUFFER_DEG, quad_segs=4))


def cut_area(session: Session, *, ward_id: int | None = None, neighbourhood_id: int | None = None,
             target_size: int, tolerance: float = 0.10, pace: Pace | None = None,
             created_by_id: int | None = None, scope: Scope | None = None,
             universe_id: int | None = None) -> Proposal:
    """Propose turfs for the free doors of a ward or neighbourhood (nothing is written).

    Doors already on an active list are left out; turfs never span two neighbourhoods.
    pace: defaults to the campaign's ([canvass] in config.toml). created_by_id is accepted for
    symmetry with save_lists; a proposal records nothing. scope: a team lead's areas (None: all).
    universe_id: only doors with at least one of the universe's people (app.universes).
    Doors far from the rest (walklists.far_doors) are left out and listed in ``far_away``.
    """
    ward, hood = _area(session, ward_id, neighbourhood_id)
    if scope is not None and not (scope.covers_key(f"hood:{hood.id}") if hood else scope.covers_key(f"ward:{ward.id}")):
        raise Forbidden("That area is outside your team's areas.")
    if isinstance(target_size, bool) or not isinstance(target_size, int) or not 1 <= target_size <= 1000:
        raise ValidationError("Target list size must be a whole number of doors between 1 and 1000.")
    # columns, not models: building 4,000 SQLModel objects cost more than the database's read
    query = select(Household.id, Household.lon, Household.lat, Household.street, Household.house_number,
                   Household.suffix, Household.unit, Household.building_key, Household.neighbourhood_id,
                   Household.ward_id)
    in_area = (Household.neighbourhood_id == hood.id) if hood else (Household.ward_id == ward.id)
    households = session.exec(query.where(in_area)).all()
    ids = select(Household.id).where(in_area)
    outside, universe_name = 0, ""
    if universe_id is not None:
        universe_name = get_universe(session, universe_id=universe_id).name
        within = set(session.exec(ids.where(
            Household.id.in_(universe_households(session, universe_id=universe_id)))).all())
        outside = len(households) - len(within)
        households = [h for h in households if h.id in within]
    # Only this area's reserved doors: a state's active lists hold hundreds of thousands.
    reserved = set(session.exec(active_list_households().where(
        WalkListDoor.household_id.in_(ids))).all())
    free = [h for h in households if h.id not in reserved]
    located = [h for h in free if h.lon is not None and h.lat is not None]
    area_name = (ward.name if ward else "") if not hood else f"{hood.name}"
    proposal = Proposal(ward_id=ward.id if ward else None, neighbourhood_id=hood.id if hood else None,
                        area_name=area_name, target_size=target_size, tolerance=tolerance, turfs=[],
                        skipped_no_location=len(free) - len(located),
                        skipped_in_active_list=len(households) - len(free),
                        universe_id=universe_id, universe_name=universe_name, skipped_outside_universe=outside)
    if not located:
        return proposal
    doors = [door_of(h) for h in located]
    within = {str(h.id): h.neighbourhood_id or 0 for h in located}
    address = {str(h.id): _address(h) for h in located}
    pace = pace or campaign_pace()
    network = doors_network(session, doors, wards={h.ward_id for h in located})
    for turf in cut_turf(doors, target_size, tolerance=tolerance, within=within, pace=pace,
                         streets=street_lines(network), crossing_m=crossing_m()):
        if turf.far:
            proposal.far_away += [address[d.id] for d in turf.members]
            continue
        route = turf_route(turf, pace=pace, network=network)
        points = [[d.lon, d.lat] for d in route.doors]
        proposal.turfs.append(ProposedTurf(
            household_ids=[int(d.id) for d in route.doors], length_m=round(route.length_m, 1),
            minutes=round(route.minutes, 1), neighbourhood_id=turf.area or None,
            hull=turf_hull([tuple(p) for p in points]), points=points))
    return proposal


def new_list_code(session: Session) -> str:
    for _ in range(20):
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if session.exec(select(WalkList.id).where(WalkList.code == code)).first() is None:
            return code
    raise Conflict("Could not find a free list code; try again.")


def save_lists(session: Session, *, proposal: Proposal, created_by_id: int | None = None,
               scope: Scope | None = None) -> list[WalkList]:
    """Save a proposal as active walk lists named "<Ward> · <n>", refusing if any door was taken since
    (or, for a team lead, if any list would fall outside their areas)."""
    if scope is not None and not all(scope.covers_area(ward_id=proposal.ward_id,
                                                       neighbourhood_id=t.neighbourhood_id or proposal.neighbourhood_id)
                                     for t in proposal.turfs):
        raise Forbidden("That area is outside your team's areas.")
    ids = [hid for turf in proposal.turfs for hid in turf.household_ids]
    lock_doors(session)  # the check below and the save are one step for every other writer
    if not ids:
        raise ValidationError("There are no doors to save: every door is already on an active list.")
    if len(ids) != len(set(ids)):
        raise ValidationError("The proposal lists a door twice; cut again.")
    existing = set(session.exec(select(Household.id).where(Household.id.in_(ids))).all())
    taken = set(session.exec(active_list_households().where(WalkListDoor.household_id.in_(ids))).all())
    if len(existing) != len(ids) or taken:
        raise Conflict("Some of these doors were put on another list (or deleted) since the preview. Cut again.")
    ward = session.get(Ward, proposal.ward_id) if proposal.ward_id else None
    prefix = ward.name if ward else proposal.area_name
    number = session.exec(select(sa.func.count(WalkList.id)).where(WalkList.ward_id == proposal.ward_id)).one() \
        if proposal.ward_id else session.exec(select(sa.func.count(WalkList.id)).where(WalkList.name.like(f"{prefix} · %"))).one()
    saved = []
    for turf in proposal.turfs:
        number += 1
        walk_list = WalkList(name=f"{prefix} · {number}"[:120], code=new_list_code(session), ward_id=proposal.ward_id,
                             neighbourhood_id=turf.neighbourhood_id or proposal.neighbourhood_id,
                             door_count=len(turf.household_ids), length_m=turf.length_m, est_minutes=turf.minutes,
                             hull=json.dumps(turf.hull) if turf.hull else None, created_by_id=created_by_id)
        session.add(walk_list)
        session.flush()
        session.add_all([WalkListDoor(walk_list_id=walk_list.id, household_id=hid, position=pos)
                         for pos, hid in enumerate(turf.household_ids)])
        saved.append(walk_list)
    session.flush()
    audit(session, action="lists.save", actor_user_id=created_by_id, target=f"ward:{proposal.ward_id}",
          detail={"lists": [w.id for w in saved], "doors": len(ids), "target_size": proposal.target_size,
                  **({"universe": proposal.universe_id} if proposal.universe_id else {})})
    return saved


def get_list(session: Session, walk_list_id: int, *, scope: Scope | None = None) -> WalkList:
    """The list (NotFound), if it is inside ``scope`` (a team lead's areas; None: anywhere) (Forbidden)."""
    walk_list = session.get(WalkList, walk_list_id)
    if walk_list is None:
        raise NotFound(f"Walk list {walk_list_id} does not exist.")
    if not list_in_scope(scope, walk_list):
        raise Forbidden("That walk list is outside your team's areas.")
    return walk_list


def release_list(session: Session, *, walk_list_id: int, by_id: int | None, scope: Scope | None = None) -> WalkList:
    """Free a list's doors for re-cutting. Its volunteers and PIN joiners lose access at once."""
    walk_list = get_list(session, walk_list_id, scope=scope)
    if walk_list.status == ListStatus.RELEASED:
        raise Conflict(f"{walk_list.name} is already released.")
    walk_list.status = ListStatus.RELEASED
    walk_list.released_at = utcnow()
    session.add(walk_list)
    audit(session, action="lists.release", actor_user_id=by_id, target=f"walk_list:{walk_list_id}")
    session.flush()
    return walk_list
