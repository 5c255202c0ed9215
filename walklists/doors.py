"""Value types: doors in, turfs and routes out.

Units used throughout the package: coordinates in WGS84 degrees (longitude, latitude), distances in
metres, durations in minutes (door time configured in seconds).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Hashable, Sequence

from .errors import InvalidCoordinateError, InvalidDoorError, InvalidPaceError

__all__ = ["Door", "Pace", "Route", "Turf", "DEFAULT_PACE", "DEFAULT_CROSSING_M"]

#: Extra metres a canvasser would rather walk than cross the street once. 0 means zig-zag freely.
DEFAULT_CROSSING_M = 30.0


@dataclass(frozen=True)
class Door:
    """One door to knock.

    id: unique text id. lon, lat: WGS84 degrees (lon in [-180, 180], lat in [-90, 90]).
    street: street name; doors on the same street and house-number parity form a block face.
    house_number: as written ("14", "14A", "14 1/2"); its leading integer gives the side of the street.
    building: doors sharing it (flats in one block) are never split across turfs; None = a house.
    """

    id: str
    lon: float
    lat: float
    street: str = ""
    house_number: str = ""
    building: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id:
            raise InvalidDoorError(f"door id must be a non-empty string, got {self.id!r}")
        for name, limit in (("lon", 180.0), ("lat", 90.0)):
            value = getattr(self, name)
            try:
                number = float(value)
            except (TypeError, ValueError):
                raise InvalidCoordinateError(
                    f"door {self.id!r}: {name} must be a number, got {value!r}"
                ) from None
            if not math.isfinite(number) or abs(number) > limit:
                raise InvalidCoordinateError(
                    f"door {self.id!r}: {name}={value!r} is not a finite value in [-{limit:g}, {limit:g}]"
                )
            object.__setattr__(self, name, number)
        if self.street is None:
            object.__setattr__(self, "street", "")
        if self.house_number is None:
            object.__setattr__(self, "house_number", "")
        object.__setattr__(self, "street", str(self.street))
        object.__setattr__(self, "house_number", str(self.house_number))
        if self.building is not None:
            object.__setattr__(self, "building", str(self.building))


@dataclass(frozen=True)
class Pace:
    """How fast a canvasser works.

    metres_per_minute: walking speed in metres per minute (75 = 4.5 km/h).
    seconds_per_door: average time spent at each door in seconds, knocks that go unanswered included.
    """

    metres_per_minute: float = 75.0
    seconds_per_door: float = 60.0

    def __post_init__(self) -> None:
        for name in ("metres_per_minute", "seconds_per_door"):
            value = getattr(self, name)
            ok = isinstance(value, (int, float)) and math.isfinite(value)
            ok = ok and (value > 0 if name == "metres_per_minute" else value >= 0)
            if not ok:
                raise InvalidPaceError(f"Pace.{name} must be a finite number > 0 (door time >= 0), got {value!r}")

    def minutes(self, length_m: float, n_doors: int) -> float:
        """Minutes to walk length_m metres and knock n_doors doors."""
        return length_m / self.metres_per_minute + n_doors * self.seconds_per_door / 60.0


DEFAULT_PACE = Pace()


@dataclass(frozen=True)
class Route:
    """Doors in walking order.

    length_m: metres walked from the start point (or the first door) to the last door, straight lines
    between consecutive points, or along the streets when routed on a street network; the
    street-crossing cost steers the order but is not counted here.
    path: on a street network, the line walked ((lon, lat) points: door, street, ..., door); else ().
    path_stops: with a path, where in it each stop is (the start, when there is one, then each
    door in walking order), so the line of a route's first doors is a slice of it; else ().
    legs_m: the metres of each leg, in walking order: start to first door (when there is a start),
    then door to door; along the streets on a network, else straight. They sum to length_m, so a
    route can be cut where time runs out without measuring it again.
    minutes: walking time at pace.metres_per_minute plus pace.seconds_per_door at each door.
    """

    doors: list[Door]
    length_m: float
    pace: Pace = DEFAULT_PACE
    start: tuple[float, float] | None = None
    crossings: int = 0  # times the route crosses its own street (same street, other side)
    path: tuple[tuple[float, float], ...] = ()
    legs_m: tuple[float, ...] = ()
    path_stops: tuple[int, ...] = ()

    @property
    def minutes(self) -> float:
        return self.pace.minutes(self.length_m, len(self.doors))

    def __len__(self) -> int:
        return len(self.doors)


class Turf:
    """A walk list: a compact set of doors, routed lazily on first access of ``doors`` or ``route``.

    members: the doors sorted by id (cheap; no routing). doors: the same doors in walking order.
    area: the ``within`` code the turf belongs to (None when cut without ``within``).
    far: its doors are far from the rest of the doors cut (see walklists.cutting.far_doors).
    """

    def __init__(
        self,
        members: Sequence[Door],
        *,
        area: Hashable | None = None,
        pace: Pace = DEFAULT_PACE,
        crossing_m: float = DEFAULT_CROSSING_M,
        far: bool = False,
    ) -> None:
        self.members: tuple[Door, ...] = tuple(sorted(members, key=lambda d: d.id))
        self.area = area
        self.far = far
        self._pace = pace
        self._crossing_m = crossing_m

    @cached_property
    def route(self) -> Route:
        from .routing import order_route  # routing imports doors; import here to avoid a cycle

        return order_route(self.members, pace=self._pace, crossing_m=self._crossing_m)

    @property
    def doors(self) -> list[Door]:
        return list(self.route.doors)

    @cached_property
    def door_ids(self) -> frozenset[str]:
        return frozenset(d.id for d in self.members)

    def __len__(self) -> int:
        return len(self.members)

    def __repr__(self) -> str:
        first = self.members[0].id if self.members else "-"
        far = ", far=True" if self.far else ""
        return f"Turf(size={len(self.members)}, area={self.area!r}, first={first!r}{far})"
