"""The line a saved walk list walks, for its maps: through its doors in their stored order, along
the streets stored near them (one read of those lines), else along the streets inferred from the
households near them (routes are ordered on those too), straight only for a single door.

Only street geometry and the doors' own points are in it: nothing about who lives there.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from sqlmodel import Session, select

from walklists import street_path

from ..models import Household, WalkListDoor
from .routes import crossing_m, door_of, doors_network


def path_through(session: Session, households: Iterable[Household]) -> list[list[float]]:
    """[lon, lat] points (about a metre: 5 decimals) walking the located households in the order given."""
    doors = [door_of(h) for h in households if h.lon is not None and h.lat is not None]
    if not doors:
        return []
    network = doors_network(session, doors) if len(doors) > 1 else None
    return _compact(street_path(doors, network, crossing_m=crossing_m()))


def list_path(session: Session, *, walk_list_id: int) -> list[list[float]]:
    households = session.exec(select(Household).join(WalkListDoor, WalkListDoor.household_id == Household.id)
                              .where(WalkListDoor.walk_list_id == walk_list_id)
                              .order_by(WalkListDoor.position)).all()
    return path_through(session, households)


def _compact(path: Sequence[tuple[float, float]]) -> list[list[float]]:
    """Rounded, each point once where the line passes it twice in a row (a junction; flats of one
    building): the same line drawn, a smaller payload."""
    out: list[list[float]] = []
    for lon, lat in path:
        point = [round(lon, 5), round(lat, 5)]
        if not out or point != out[-1]:
            out.append(point)
    return out
