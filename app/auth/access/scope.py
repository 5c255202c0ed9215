"""Team leads run their teams' areas as an organiser runs the campaign: on the organiser's pages
they read and change the lists, call sheets, maps, figures and exports inside those areas only.
A whole ward covers its neighbourhoods; a place with a neighbourhood is judged by it."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ...errors import Forbidden, NotFound
from ...models import CallSheet, ListStatus, Neighbourhood, TeamArea, WalkList, Ward
from .roles import can_lead_team, is_organiser, lead_team_ids


@dataclass(frozen=True)
class Scope:
    """The areas a team lead covers. ``ward_ids``: whole wards; ``neighbourhood_ids``: every
    neighbourhood covered, those of whole wards included; ``touched_ward_ids``: wards with any
    area covered (whole, or one of their neighbourhoods): the maps' ward choices."""

    ward_ids: frozenset[int] = frozenset()
    neighbourhood_ids: frozenset[int] = frozenset()
    touched_ward_ids: frozenset[int] = frozenset()

    def covers_area(self, *, ward_id: int | None, neighbourhood_id: int | None) -> bool:
        """A place with a neighbourhood is judged by it; one with a ward only needs the whole ward."""
        if neighbourhood_id is not None:
            return neighbourhood_id in self.neighbourhood_ids
        return ward_id is not None and ward_id in self.ward_ids

    def covers_key(self, key: str) -> bool:
        """The cut form's area keys: "ward:<id>" (whole ward) or "hood:<id>"."""
        kind, _, raw = key.partition(":")
        if not raw.isdigit():
            return False
        return int(raw) in (self.ward_ids if kind == "ward" else self.neighbourhood_ids if kind == "hood" else ())


def area_scope(session: Session, *, principal) -> Scope | None:
    """None for an organiser (everything); otherwise the areas of the teams the principal leads
    (empty for someone who leads none)."""
    if is_organiser(principal):
        return None
    return teams_scope(session, team_ids=lead_team_ids(session, principal=principal))


def teams_scope(session: Session, *, team_ids: set[int]) -> Scope:
    """The areas these teams cover together."""
    if not team_ids:
        return Scope()
    rows = session.exec(select(TeamArea.ward_id, TeamArea.neighbourhood_id).where(TeamArea.team_id.in_(team_ids))).all()
    wards = frozenset(w for w, _ in rows if w is not None)
    hoods = {h for _, h in rows if h is not None}
    if wards:
        hoods |= set(session.exec(select(Neighbourhood.id).where(Neighbourhood.ward_id.in_(wards))).all())
    hood_wards = set(session.exec(select(Neighbourhood.ward_id).where(
        Neighbourhood.id.in_(hoods), Neighbourhood.ward_id.is_not(None))).all()) if hoods else set()
    return Scope(wards, frozenset(hoods), wards | frozenset(hood_wards))


def in_scope(scope: Scope | None, *, ward_id: int | None, neighbourhood_id: int | None) -> bool:
    return scope is None or scope.covers_area(ward_id=ward_id, neighbourhood_id=neighbourhood_id)


def list_in_scope(scope: Scope | None, walk_list: WalkList) -> bool:
    """A walk list is in scope when its neighbourhood is, or (no neighbourhood) its whole ward is."""
    return in_scope(scope, ward_id=walk_list.ward_id, neighbourhood_id=walk_list.neighbourhood_id)


def sheet_in_scope(session: Session, scope: Scope | None, sheet: CallSheet) -> bool:
    """A call sheet made for a ward or neighbourhood is judged by that area; one made for a walk
    list by the list; one made for no area (the whole campaign) is for organisers only."""
    if scope is None:
        return True
    if sheet.ward_id is not None or sheet.neighbourhood_id is not None:
        return scope.covers_area(ward_id=sheet.ward_id, neighbourhood_id=sheet.neighbourhood_id)
    if sheet.walk_list_id is not None:
        walk_list = session.get(WalkList, sheet.walk_list_id)
        return walk_list is not None and list_in_scope(scope, walk_list)
    return False


def scope_area_clause(scope: Scope, ward_col, hood_col, *, none=None):
    """``Scope.covers_area`` as SQL on any (ward, neighbourhood) column pair: households, lists,
    the activity rollups (whose "no neighbourhood" is ``none``: 0 there, NULL elsewhere)."""
    no_hood = hood_col.is_(None) if none is None else hood_col == none
    return sa.or_(hood_col.in_(sorted(scope.neighbourhood_ids)),
                  sa.and_(no_hood, ward_col.in_(sorted(scope.ward_ids))))


def scope_list_clause(scope: Scope | None):
    """The same rule as ``list_in_scope`` as a WHERE clause on WalkList (None: no restriction)."""
    if scope is None:
        return None
    return scope_area_clause(scope, WalkList.ward_id, WalkList.neighbourhood_id)


def require_list_in_scope(session: Session, *, principal, walk_list_id: int) -> WalkList:
    """The walk list, if the principal may run it: NotFound if there is none, Forbidden outside
    their areas."""
    walk_list = session.get(WalkList, walk_list_id)
    if walk_list is None:
        raise NotFound("There is no such walk list.")
    if not list_in_scope(area_scope(session, principal=principal), walk_list):
        raise Forbidden("That walk list is outside your team's areas.")
    return walk_list


def require_sheet_in_scope(session: Session, *, principal, sheet_id: int) -> CallSheet:
    sheet = session.get(CallSheet, sheet_id)
    if sheet is None:
        raise NotFound("There is no such call sheet.")
    if not sheet_in_scope(session, area_scope(session, principal=principal), sheet):
        raise Forbidden("That call sheet is outside your team's areas.")
    return sheet


def require_neighbourhood_in_scope(session: Session, *, principal, neighbourhood_id: int) -> Neighbourhood:
    hood = session.get(Neighbourhood, neighbourhood_id)
    if hood is None:
        raise NotFound("There is no such neighbourhood.")
    scope = area_scope(session, principal=principal)
    if scope is not None and hood.id not in scope.neighbourhood_ids:
        raise Forbidden("That neighbourhood is outside your team's areas.")
    return hood


def scope_wards(session: Session, scope: Scope | None) -> list[Ward]:
    """The wards a principal may pick on a map (every ward for an organiser), by name."""
    from ...sorting import by_name

    query = select(Ward)
    if scope is not None:
        query = query.where(Ward.id.in_(sorted(scope.touched_ward_ids)))
    return by_name(session.exec(query).all())


def team_work_ids(session: Session, *, principal, team_id: int | None) -> tuple[set[int], set[int]] | None:
    """The walk lists and call sheets an event of this team may work, as (list ids, sheet ids):
    the active lists and the sheets inside the team's areas, by the same rule as a lead's pages;
    None means every one (organisers)."""
    if is_organiser(principal):
        return None
    if team_id is None or not can_lead_team(session, principal=principal, team_id=team_id):
        return set(), set()
    scope = teams_scope(session, team_ids={team_id})
    lists = set(session.exec(select(WalkList.id).where(WalkList.status == ListStatus.ACTIVE,
                                                       scope_list_clause(scope))).all())
    sheets = {sheet.id for sheet in session.exec(select(CallSheet)).all() if sheet_in_scope(session, scope, sheet)}
    return lists, sheets


def ward_scope(session: Session, scope: Scope | None, ward_id: int) -> Scope:
    """One ward's part of ``scope`` (None: the whole ward): what a ward's own dashboard counts."""
    hoods = frozenset(session.exec(select(Neighbourhood.id).where(Neighbourhood.ward_id == ward_id)).all())
    if scope is None:
        return Scope(frozenset({ward_id}), hoods, frozenset({ward_id}))
    return Scope(scope.ward_ids & {ward_id}, scope.neighbourhood_ids & hoods, frozenset({ward_id}))
