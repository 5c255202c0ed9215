"""What a team's self-serve pool holds near a point: free doors (in its areas and universe, on no
active list) and ready-cut lists nobody holds. Reads only."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ..models import Assignment, EventWork, Household, HouseholdSummary, ListPin, ListStatus, SelfServeCheckout, WalkList, WalkListDoor
from ..universes.queries import universe_households
from .geo import bbox, distance_m
from .rules import Pool


@dataclass(frozen=True)
class FreeDoor:
    id: int
    lon: float
    lat: float
    street: str
    house_number: str
    building: str
    neighbourhood_id: int | None
    ward_id: int | None
    metres: float  # from the volunteer


@dataclass(frozen=True)
class ReadyList:
    id: int
    name: str
    doors: int
    minutes: float
    metres: float  # from the volunteer to its first door


def _in_areas(pool: Pool, ward_col, hood_col):
    clauses = []
    if pool.ward_ids:
        clauses.append(ward_col.in_(sorted(pool.ward_ids)))
    if pool.hood_ids:
        clauses.append(hood_col.in_(sorted(pool.hood_ids)))
    return sa.or_(*clauses) if clauses else sa.false()


def free_doors(session: Session, *, pool: Pool, lat: float, lon: float, radius_m: float | None) -> list[FreeDoor]:
    """The pool's free doors within ``radius_m`` (None: anywhere), nearest first: not on an
    active list, and not knocked since ``pool.knocked_since`` (handed-back lists' doors rest)."""
    query = select(Household.id, Household.lon, Household.lat, Household.street, Household.house_number,
                   Household.suffix, Household.building_key, Household.neighbourhood_id, Household.ward_id)
    if radius_m is not None:
        west, south, east, north = bbox(lat, lon, radius_m)
        query = query.where(Household.lon.between(west, east), Household.lat.between(south, north))
    # Per door in the box, through the index on walk_list_doors.household_id ("+ 0" keeps SQLite
    # off the (list, household) index, which it would probe once per active list). A NOT IN would
    # gather every door on every active list, half a city, for each question; and the areas are
    # tested below, in Python, as SQLite would otherwise walk the whole ward index to test them.
    active = select(WalkList.id).where(WalkList.status == ListStatus.ACTIVE, WalkList.knockup_round_id.is_(None))
    query = query.where(Household.lon.is_not(None), Household.lat.is_not(None), ~select(WalkListDoor.id).where(
        WalkListDoor.household_id == Household.id, (WalkListDoor.walk_list_id + 0).in_(active)).exists())
    if pool.knocked_since is not None:
        query = query.where(~select(HouseholdSummary.household_id).where(
            HouseholdSummary.household_id == Household.id, HouseholdSummary.door_at >= pool.knocked_since).exists())
    if pool.universe_id is not None:
        query = query.where(Household.id.in_(universe_households(session, universe_id=pool.universe_id)))
    doors = []
    for hid, hlon, hlat, street, number, suffix, building, hood, ward in session.execute(query):
        if ward not in pool.ward_ids and hood not in pool.hood_ids:
            continue
        metres = distance_m(lat, lon, hlat, hlon)
        if radius_m is None or metres <= radius_m:
            doors.append(FreeDoor(hid, hlon, hlat, street, f"{number}{suffix}", building, hood, ward, metres))
    doors.sort(key=lambda d: (d.metres, d.id))
    return doors


def held_list_ids():
    """Lists somebody holds: assigned, behind a live PIN, checked out, or kept for an event."""
    return sa.union(select(Assignment.walk_list_id).where(Assignment.unassigned_at.is_(None)),
                    select(ListPin.walk_list_id).where(ListPin.revoked_at.is_(None)),
                    select(SelfServeCheckout.walk_list_id), select(EventWork.walk_list_id))


def ready_lists(session: Session, *, pool: Pool, lat: float, lon: float, radius_m: float,
                minutes: float) -> list[ReadyList]:
    """Active lists in the pool's areas nobody holds that take between half ``minutes`` and all of
    it (10% over allowed), starting within ``radius_m``; nearest first."""
    west, south, east, north = bbox(lat, lon, radius_m)
    query = (select(WalkList.id, WalkList.name, WalkList.door_count, WalkList.est_minutes, Household.lat, Household.lon)
             .join(WalkListDoor, sa.and_(WalkListDoor.walk_list_id == WalkList.id, WalkListDoor.position == 0))
             .join(Household, Household.id == WalkListDoor.household_id)
             .where(WalkList.status == ListStatus.ACTIVE, WalkList.knockup_round_id.is_(None),
                    _in_areas(pool, WalkList.ward_id, WalkList.neighbourhood_id),
                    WalkList.est_minutes.between(minutes * 0.5, minutes * 1.1),
                    Household.lon.between(west, east), Household.lat.between(south, north),
                    WalkList.id.not_in(held_list_ids())))
    found = [ReadyList(lid, name, doors, minutes_, distance_m(lat, lon, hlat, hlon))
             for lid, name, doors, minutes_, hlat, hlon in session.execute(query)]
    return sorted((r for r in found if r.metres <= radius_m), key=lambda r: (r.metres, r.id))
