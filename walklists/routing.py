"""Ordering doors into a walking route.

The route is an open path (the canvasser does not return) that minimises metres walked plus a cost
per street crossing: stepping between the two sides of the same street costs ``crossing_m`` extra
metres, so on a busy street the route does one side then the other, and with ``crossing_m=0`` it
zig-zags. The search on the matrix is walklists._search (solve_path).
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np

from ._faces import side_keys
from ._geo import pairwise, project_doors
from ._search import solve_path
from .doors import DEFAULT_CROSSING_M, DEFAULT_PACE, Door, Pace, Route
from .errors import DuplicateDoorError, EmptyInputError, InvalidCoordinateError, InvalidPaceError
from .network import StreetNetwork
from .street_routes import order_on_streets

__all__ = ["order_route", "cost_matrix", "solve_path"]


def check_doors(doors: Iterable[Door]) -> list[Door]:
    out = sorted(doors, key=lambda d: d.id)
    if not out:
        raise EmptyInputError("no doors given")
    for a, b in zip(out, out[1:]):
        if a.id == b.id:
            raise DuplicateDoorError(f"door id {a.id!r} appears more than once")
    return out


def cost_matrix(doors: Sequence[Door], xy: np.ndarray, crossing_m: float) -> tuple[np.ndarray, np.ndarray]:
    """(metres, cost): straight-line metres, and metres plus crossing_m per change of street side."""
    dist = pairwise(xy)
    if crossing_m <= 0:
        return dist, dist
    sides = side_keys(doors, xy)
    street_ids = {s: i for i, s in enumerate(sorted({s for s, _ in sides}))}
    street = np.array([street_ids[s] for s, _ in sides])
    parity = np.array([p for _, p in sides])
    cross = (street[:, None] == street[None, :]) & (parity[:, None] != parity[None, :])
    cross &= (parity[:, None] >= 0) & (parity[None, :] >= 0)
    return dist, dist + crossing_m * cross



def order_route(
    doors: Iterable[Door],
    *,
    start: tuple[float, float] | None = None,
    pace: Pace = DEFAULT_PACE,
    crossing_m: float = DEFAULT_CROSSING_M,
    network: StreetNetwork | None = None,
) -> Route:
    """Put doors in walking order.

    start: optional (lon, lat) in degrees where the canvasser begins (e.g. the campaign office); the
    route then starts nearest it. Without it the route starts at whichever end gives the shorter walk.
    crossing_m: extra metres charged for each crossing of a street between its two sides.
    Route.length_m counts metres from start (if given) to the last door; Route.minutes adds door time.
    network: a StreetNetwork (or StreetLine values): order on walking along its streets instead
    (straight lines still where none of its streets comes near the doors).
    The result does not depend on the order the doors are given in.
    """
    ds = check_doors(doors)
    if not isinstance(crossing_m, (int, float)) or not np.isfinite(crossing_m) or crossing_m < 0:
        raise InvalidPaceError(f"crossing_m must be a finite number >= 0, got {crossing_m!r}")
    if start is not None:
        try:
            Door("start", float(start[0]), float(start[1]))
        except (TypeError, ValueError, IndexError):
            raise InvalidCoordinateError(f"start must be (lon, lat) in degrees, got {start!r}") from None
    if network is not None:
        network = network if isinstance(network, StreetNetwork) else StreetNetwork(network)
        on_streets = order_on_streets(ds, network, start=start, pace=pace, crossing_m=float(crossing_m), solve=solve_path)
        if on_streets is not None:  # else no street near these doors: straight lines
            return on_streets
    xy, sxy = project_doors(ds, [start] if start is not None else ())
    dist, cost = cost_matrix(ds, xy, float(crossing_m))
    n = len(ds)
    m = np.zeros((n + 1, n + 1))
    m[:n, :n] = cost
    start_d = None
    if start is not None:
        start_d = np.hypot(*(xy - sxy[0]).T)
        m[n, :n] = start_d  # depot -> first door only; ending anywhere is free
    order = solve_path(m, seed=n)
    length = float(dist[order[:-1], order[1:]].sum()) if n > 1 else 0.0
    if start_d is not None:
        length += float(start_d[order[0]])
    legs = ([float(start_d[order[0]])] if start_d is not None else []) + dist[order[:-1], order[1:]].tolist()
    sides = side_keys(ds, xy)
    crossings = sum(1 for i, j in zip(order[:-1], order[1:])
                    if sides[i][0] == sides[j][0] and sides[i][1] != sides[j][1] and min(sides[i][1], sides[j][1]) >= 0)
    return Route(doors=[ds[i] for i in order], length_m=length, pace=pace, crossings=crossings,
                 start=(float(start[0]), float(start[1])) if start is not None else None, legs_m=tuple(legs))
