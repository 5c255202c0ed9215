"""Routes for walk lists: along the stored streets near the doors when there are any, else along
streets inferred from the households near them (walklists.order_route either way)."""
from __future__ import annotations

from typing import Sequence

from sqlmodel import Session

from walklists import DEFAULT_CROSSING_M, Door, Pace, Route, StreetLine, StreetNetwork, Turf, order_route

from .inferred import InferredNetwork, inferred_near
from .queries import network_near


def door_of(household) -> Door:
    """A household (a model or a row with its columns) as the walk-list engine sees it: its street,
    number and building place it on the streets and keep a building's flats together."""
    return Door(id=str(household.id), lon=household.lon, lat=household.lat, street=household.street,
                house_number=f"{household.house_number}{household.suffix}", building=household.building_key or None)


def doors_network(session: Session, doors: Sequence[Door],
                  extra: Sequence[tuple[float, float]] = (), *, wards: set[int | None] | None = None) -> StreetNetwork | None:
    """One read of the lines near all these doors (a cut routes each turf from it); where none is
    stored, the streets inferred from the households near them, so routes still go round the
    blocks instead of through the back yards (None only with no doors)."""
    stored = network_near(session, points=[(d.lon, d.lat) for d in doors] + list(extra))
    if stored is not None or not doors:
        return stored
    return inferred_near(session, doors=doors, extra=extra, wards=wards)


def crossing_m() -> float:
    """config.toml [canvass] crossing_m (the library's default outside an app context)."""
    from flask import has_app_context

    if not has_app_context():
        return DEFAULT_CROSSING_M
    from ..config import settings

    return settings().canvass.crossing_m


def street_lines(network: StreetNetwork | None) -> tuple[StreetLine, ...]:
    """The lines a cut follows: its block faces are the sides of streets between junctions, so
    turfs meet on streets (none with no stored network: faces are then inferred from the doors; cut
    on inferred lines, Cambridge's turfs split 2.0 block faces each on its centre-lines, not 1.2)."""
    return network.lines if network is not None and not isinstance(network, InferredNetwork) else ()


def route_doors(session: Session, doors: Sequence[Door], *, pace: Pace, start: tuple[float, float] | None = None,
                network: StreetNetwork | None = None) -> Route:
    net = network if network is not None else doors_network(session, doors, [start] if start else ())
    return order_route(doors, pace=pace, start=start, crossing_m=crossing_m(), network=net)


def turf_route(turf: Turf, *, pace: Pace, network: StreetNetwork | None) -> Route:
    """A cut turf's route: along the streets (stored or inferred) when there is a network (else the
    turf's own)."""
    if network is None:
        return turf.route
    return order_route(turf.members, pace=pace, crossing_m=crossing_m(), network=network)
