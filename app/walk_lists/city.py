"""Whole-city cuts from a universe: every free door with someone in the universe, wherever it is,
cut into lists without choosing a ward or neighbourhood first (a team lead's "whole city" is their
team's areas). Lists never span a ward or a neighbourhood; saving files each ward's lists under
that ward, named as a ward cut's are ("<Ward> · <n>")."""
from __future__ import annotations

from itertools import groupby

from sqlmodel import Session, select

from walklists import Pace, cut_turf

from ..auth.access import Scope, in_scope
from ..errors import ValidationError
from ..models import Household, Ward, WalkList
from ..streets.routes import crossing_m, door_of, doors_network, street_lines, turf_route
from ..universes.queries import get_universe, universe_households
from .operations import Proposal, ProposedTurf, active_list_households, campaign_pace, save_lists, turf_hull

CITY = "city"  # the cut form's area key for the whole city
CITY_NAME = "Whole city"


def cut_city(session: Session, *, universe_id: int | None, target_size: int, tolerance: float = 0.10,
             pace: Pace | None = None, scope: Scope | None = None) -> Proposal:
    """Propose lists for the free doors of a universe across the city (nothing is written)."""
    if universe_id is None:
        raise ValidationError("Choose a universe to cut the whole city: without one, choose a ward or neighbourhood.")
    if isinstance(target_size, bool) or not isinstance(target_size, int) or not 1 <= target_size <= 1000:
        raise ValidationError("Target list size must be a whole number of doors between 1 and 1000.")
    universe = get_universe(session, universe_id=universe_id)
    chosen = universe_households(session, universe_id=universe_id, scope=scope)
    households = [h for h in session.exec(select(Household).where(Household.id.in_(chosen))).all()
                  if in_scope(scope, ward_id=h.ward_id, neighbourhood_id=h.neighbourhood_id)]
    reserved = set(session.exec(active_list_households()).all())
    free = [h for h in households if h.id not in reserved]
    located = [h for h in free if h.lon is not None and h.lat is not None]
    proposal = Proposal(ward_id=None, neighbourhood_id=None, area_name=CITY_NAME, target_size=target_size,
                        tolerance=tolerance, turfs=[], skipped_no_location=len(free) - len(located),
                        skipped_in_active_list=len(households) - len(free), universe_id=universe_id,
                        universe_name=universe.name)
    if not located:
        return proposal
    doors = [door_of(h) for h in located]
    within = {str(h.id): (h.ward_id or 0, h.neighbourhood_id or 0) for h in located}
    pace = pace or campaign_pace()
    network = doors_network(session, doors)
    for turf in cut_turf(doors, target_size, tolerance=tolerance, within=within, pace=pace,
                         streets=street_lines(network), crossing_m=crossing_m()):
        route = turf_route(turf, pace=pace, network=network)
        points = [[d.lon, d.lat] for d in route.doors]
        ward_id, hood_id = turf.area
        proposal.turfs.append(ProposedTurf(
            household_ids=[int(d.id) for d in route.doors], length_m=round(route.length_m, 1),
            minutes=round(route.minutes, 1), neighbourhood_id=hood_id or None, ward_id=ward_id or None,
            hull=turf_hull([tuple(p) for p in points]), points=points))
    return proposal


def save_any(session: Session, *, proposal: Proposal, created_by_id: int | None = None,
             scope: Scope | None = None) -> list[WalkList]:
    """Save a proposal: a ward or neighbourhood cut as it is; a whole-city one ward by ward."""
    if proposal.ward_id is not None or proposal.neighbourhood_id is not None:
        return save_lists(session, proposal=proposal, created_by_id=created_by_id, scope=scope)
    if not proposal.turfs:
        raise ValidationError("There are no doors to save: every door is already on an active list.")
    saved: list[WalkList] = []
    ordered = sorted(proposal.turfs, key=lambda t: t.ward_id or 0)
    for ward_id, turfs in groupby(ordered, key=lambda t: t.ward_id or 0):
        ward = session.get(Ward, ward_id) if ward_id else None
        part = Proposal(**{**proposal.as_dict(), "turfs": [], "ward_id": ward.id if ward else None,
                           "area_name": ward.name if ward else CITY_NAME})
        part.turfs = list(turfs)
        saved += save_lists(session, proposal=part, created_by_id=created_by_id, scope=scope)
    return saved


__all__ = ["CITY", "CITY_NAME", "cut_city", "save_any"]
