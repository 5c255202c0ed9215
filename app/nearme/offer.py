"""The offer "canvass near me" makes: a ready-cut list nobody holds near the volunteer that fits
their time, else doors cut on the spot (walklists routes them) from the nearest free doors of
their team's pool, sized to their minutes at the campaign's pace. Reads only."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlmodel import Session, select

from walklists import Door, Pace, Route, StreetNetwork, order_route

from ..models import Household, WalkList, WalkListDoor
from ..streets.paths import path_through
from ..streets.routes import crossing_m, doors_network
from ..walk_lists.operations import campaign_pace
from .geo import distance_m
from .pool import FreeDoor, free_doors, ready_lists
from .rules import Pool

MIN_MINUTES, MAX_MINUTES = 10, 8 * 60
MIN_KM = 0.1
NEAR_M = 400  # looked at first: in a town a list's worth of free doors is usually this close


@dataclass
class Offer:
    team_id: int
    doors: int
    minutes: float
    length_m: float
    start_m: float                     # from the volunteer to the first door
    streets: list[str]
    points: list[tuple[float, float]]  # (lon, lat) per door, walking order
    # (lon, lat): the walk from the first door to the last, along the streets when it was routed on
    # them; [] for straight legs between the points (and a ready-cut list's when not asked for)
    line: list[tuple[float, float]] = field(default_factory=list)
    walk_list_id: int | None = None    # a ready-cut list
    name: str = ""
    household_ids: list[int] = field(default_factory=list)  # cut on the spot, walking order

    @property
    def key(self) -> str:
        """What the volunteer was shown, so "Take it" can tell them if it changed meanwhile."""
        if self.walk_list_id is not None:
            return f"list-{self.walk_list_id}"
        return "cut-" + hashlib.sha256(",".join(map(str, sorted(self.household_ids))).encode()).hexdigest()[:16]


@dataclass
class NoOffer:
    message: str


def km_text(km: float) -> str:
    return f"{km:g} km"


def _streets(names: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        if name:
            seen.setdefault(name, None)
    return list(seen)


def _ready_offer(session: Session, pool: Pool, ready, lat: float, lon: float, *, line: bool) -> Offer:
    walk_list = session.get(WalkList, ready.id)
    homes = session.exec(select(Household).join(WalkListDoor, WalkListDoor.household_id == Household.id)
                         .where(WalkListDoor.walk_list_id == ready.id).order_by(WalkListDoor.position)).all()
    # its stored order walked along the streets, as its maps draw it (a saved list has no route in hand)
    walked = [(x, y) for x, y in path_through(session, homes)] if line else []
    return Offer(team_id=pool.team_id, doors=walk_list.door_count, minutes=walk_list.est_minutes,
                 length_m=walk_list.length_m, start_m=ready.metres, streets=_streets([h.street for h in homes]),
                 points=[(h.lon, h.lat) for h in homes if h.lon is not None and h.lat is not None],
                 walk_list_id=walk_list.id, name=walk_list.name, line=walked)


def _fits(route: Route, minutes: float, pace: Pace) -> tuple[int, float]:
    """How many doors of the route, from its start, fit in ``minutes`` (at least one), and the
    metres walked between them: the route's own legs, along the streets when it was routed on them."""
    between = route.legs_m[1:]  # legs_m[0]: from the volunteer to the first door
    walked, fit, fit_m = 0.0, 1, 0.0
    for k in range(1, len(route.doors)):
        walked += between[k - 1]
        if pace.minutes(walked, k + 1) > minutes:
            break
        fit, fit_m = k + 1, walked
    return fit, fit_m


def _walked(route: Route, fit: int) -> list[tuple[float, float]]:
    """The route's own street line from its first door to its ``fit``-th: what the offer walks,
    not the way there nor the doors cut off. [] when it was routed on straight lines."""
    if not route.path_stops:
        return []
    first = 1 if route.start is not None else 0  # path_stops[0] is then the volunteer
    return list(route.path[route.path_stops[first]:route.path_stops[first + fit - 1] + 1])


def max_doors(minutes: float, pace: Pace) -> int:
    """The most doors ``minutes`` could hold: door time alone, no walking."""
    return max(1, int(minutes * 60 // max(pace.seconds_per_door, 1)))


def offer_doors(free: list[FreeDoor], *, minutes: float, pace: Pace) -> list[Door]:
    """The nearest free doors that could fill the time, whole buildings."""
    most = max_doors(minutes, pace)
    nearest = free[:most]
    # Flats of one building stay together: a building cut in two would send two people up its stairs.
    buildings = {d.building for d in nearest if d.building}
    if buildings and len(free) > most:
        nearest += [d for d in free[most:] if d.building in buildings]
    return [Door(id=str(d.id), lon=d.lon, lat=d.lat, street=d.street, house_number=d.house_number,
                 building=d.building or None) for d in nearest]


def cut_offer(doors: list[Door], *, team_id: int, lat: float, lon: float, minutes: float, pace: Pace,
              network: StreetNetwork | None = None) -> Offer:
    """These doors, routed from the volunteer (along the network's streets if any come near), cut
    where the time runs out."""
    route = order_route(doors, start=(lon, lat), pace=pace, crossing_m=crossing_m(), network=network)
    # The route's first part is itself a good route from the volunteer: cut it, no second routing.
    fit, walk_m = _fits(route, minutes, pace)  # the list's own walk; getting there is shown apart
    kept = route.doors[:fit]
    first = kept[0]
    return Offer(team_id=team_id, doors=len(kept), minutes=round(pace.minutes(walk_m, len(kept)), 1),
                 length_m=round(walk_m, 1), start_m=distance_m(lat, lon, first.lat, first.lon),
                 streets=_streets([d.street for d in kept]), points=[(d.lon, d.lat) for d in kept],
                 household_ids=[int(d.id) for d in kept], line=_walked(route, fit))


def find_offer(session: Session, *, pools: list[Pool], lat: float, lon: float, minutes: float,
               max_km: float, cut: bool = True, line: bool = False) -> Offer | NoOffer:
    """The offer, or why there is none. ``cut`` False: only whether there is one (the free doors
    are found but not routed; the Offer then says only how near the first door is). ``line``: a
    ready-cut list's walk along the streets too, for the page's sketch (taking it needs none; a
    cut has its line from its route anyway)."""
    radius = max_km * 1000
    pools = [p for p in pools if not p.empty]
    if not pools:
        return NoOffer("Your team lead has not chosen any self-serve areas yet.")
    ready = sorted(((r, p) for p in pools for r in ready_lists(session, pool=p, lat=lat, lon=lon, radius_m=radius,
                                                                 minutes=minutes)), key=lambda rp: rp[0].metres)
    if ready:
        return _ready_offer(session, ready[0][1], ready[0][0], lat, lon, line=line)
    pace = campaign_pace()
    best = None
    most = max_doors(minutes, pace)
    for p in pools:
        free = free_doors(session, pool=p, lat=lat, lon=lon, radius_m=min(radius, NEAR_M))
        if len(free) < most and radius > NEAR_M:  # too few close by: the whole distance
            free = free_doors(session, pool=p, lat=lat, lon=lon, radius_m=radius)
        if free and (best is None or free[0].metres < best[1][0].metres):
            best = (p, free)
    if best is not None and not cut:
        return Offer(team_id=best[0].team_id, doors=len(best[1]), minutes=0.0, length_m=0.0,
                     start_m=best[1][0].metres, streets=[], points=[])
    if best is not None:
        doors = offer_doors(best[1], minutes=minutes, pace=pace)
        return cut_offer(doors, team_id=best[0].team_id, lat=lat, lon=lon, minutes=minutes, pace=pace,
                         network=doors_network(session, doors, [(lon, lat)]))
    nearest = min((d.metres for p in pools for d in free_doors(session, pool=p, lat=lat, lon=lon, radius_m=None)[:1]),
                  default=None)
    if nearest is None:
        return NoOffer("Every self-serve door is on a list already: nothing is left to take. Try again later, "
                       "or ask your team lead.")
    suggest = max(max_km + 1, float(int(nearest / 1000) + 1))
    return NoOffer(f"No self-serve doors within {km_text(max_km)}; the nearest free doors are "
                   f"{nearest / 1000:.1f} km away: try {km_text(suggest)}.")
