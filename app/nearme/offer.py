"""The offer "canvass near me" makes: a ready-cut list nobody holds near the volunteer that fits
their time, else doors cut on the spot (walklists routes them) from the nearest free doors of
their team's pool, sized to their minutes at the campaign's pace. Reads only."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlmodel import Session, select

from walklists import Door, Pace, Route, StreetNetwork, order_route

from ..models import Household, WalkList, WalkListDoor
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


def _ready_offer(session: Session, pool: Pool, ready, lat: float, lon: float) -> Offer:
    walk_list = session.get(WalkList, ready.id)
    rows = session.exec(select(Household.street, Household.lon, Household.lat)
                        .join(WalkListDoor, WalkListDoor.household_id == Household.id)
                        .where(WalkListDoor.walk_list_id == ready.id).order_by(WalkListDoor.position)).all()
    return Offer(team_id=pool.team_id, doors=walk_list.door_count, minutes=walk_list.est_minutes,
                 length_m=walk_list.length_m, start_m=ready.metres, streets=_streets([r[0] for r in rows]),
                 points=[(r[1], r[2]) for r in rows if r[1] is not None], walk_list_id=walk_list.id,
                 name=walk_list.name)


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
                 household_ids=[int(d.id) for d in kept])


def find_offer(session: Session, *, pools: list[Pool], lat: float, lon: float, minutes: float,
               max_km: float, cut: bool = True) -> Offer | NoOffer:
    """The offer, or why there is none. ``cut`` False: only whether there is one (the free doors
    are found but not routed; the Offer then says only how near the first door is)."""
    radius = max_km * 1000
    pools = [p for p in pools if not p.empty]
    if not pools:
        return NoOffer("Your team lead has not chosen any self-serve areas yet.")
    ready = sorted(((r, p) for p in pools for r in ready_lists(session, pool=p, lat=lat, lon=lon, radius_m=radius,
                                                                 minutes=minutes)), key=lambda rp: rp[0].metres)
    if ready:
        return _ready_offer(session, ready[0][1], ready[0][0], lat, lon)
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
