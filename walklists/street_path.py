"""The line walked through doors already in order (a stored walk list), along the streets.

order_route chooses an order and draws its line; a list that is saved keeps its order (it may have
been edited since), so its map needs the line for that order as it stands.
"""

from __future__ import annotations

from typing import Iterable

from .doors import DEFAULT_CROSSING_M, Door
from .errors import DuplicateDoorError, EmptyInputError, InvalidCoordinateError, InvalidPaceError
from .network import StreetNetwork
from .street_routes import street_walks, walked_line

__all__ = ["street_path"]


def street_path(
    doors: Iterable[Door],
    network: StreetNetwork | Iterable | None,
    *,
    start: tuple[float, float] | None = None,
    crossing_m: float = DEFAULT_CROSSING_M,
) -> tuple[tuple[float, float], ...]:
    """(lon, lat) points of the walk from start (if given) through the doors in the order given.

    Along the network's streets (as Route.path: door, its foot on the street, ..., door) when a
    street comes near the doors; else straight legs: the start and the doors' own points. Nothing
    but the street lines and those points is in it. crossing_m as in order_route: it decides whether
    a street is crossed mid-block or at a junction.
    """
    ds = list(doors)
    if not ds:
        raise EmptyInputError("no doors given")
    ids = [d.id for d in ds]
    if len(set(ids)) != len(ids):
        dup = next(i for k, i in enumerate(ids) if i in ids[:k])
        raise DuplicateDoorError(f"door id {dup!r} appears more than once")
    if not isinstance(crossing_m, (int, float)) or not crossing_m >= 0 or crossing_m == float("inf"):
        raise InvalidPaceError(f"crossing_m must be a finite number >= 0, got {crossing_m!r}")
    if start is not None:
        try:
            start = (float(start[0]), float(start[1]))
            Door("start", *start)
        except (TypeError, ValueError, IndexError):
            raise InvalidCoordinateError(f"start must be (lon, lat) in degrees, got {start!r}") from None
    points = ([start] if start is not None else []) + [(d.lon, d.lat) for d in ds]
    straight = tuple((float(x), float(y)) for x, y in points)
    if network is None or len(points) < 2:
        return straight
    network = network if isinstance(network, StreetNetwork) else StreetNetwork(network)
    # snapped in id order, as order_route snaps them: the same doors give the same feet either way
    by_id = sorted(range(len(ds)), key=lambda k: ds[k].id)
    walks = street_walks([ds[k] for k in by_id], network, float(crossing_m), start)
    if walks is None:
        return straight
    g, s, w = walks
    n = len(ds)
    at = {k: p for p, k in enumerate(by_id)}
    snapped = [(ds[k].lon, ds[k].lat) for k in by_id] + ([start] if start is not None else [])
    stops = ([n] if start is not None else []) + [at[k] for k in range(n)]
    return walked_line(g, s, w, snapped, stops)
