"""Who may see which household: the one place privacy rules live.

Organisers see everything. A canvasser sees the households on walk lists currently assigned to
them; a PIN joiner the households on their one list; a caller the households of the people
they have claimed from the call queue or called. Everything else is hidden.

A hold that ended (list released, volunteer unassigned, PIN revoked) still lets its holder hand
in the doors they recorded while they held it, for ``[canvass] late_grace_hours`` after it ended
(``lapsed_holds`` and ``late_verdict``); it lets them read nothing.

Team leads run their teams' areas as an organiser runs the campaign (``area_scope`` and the
``*_in_scope`` helpers at the end): on the organiser's pages they read the lists, call sheets,
maps, figures and exports inside those areas only. The phone's pages and API still follow the
household rules above: a lead canvasses only the lists assigned to them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session, select

from ..clock import as_utc, campaign_time
from ..config import settings
from ..errors import Forbidden, ListClosed, NotFound
from ..models import (Assignment, CallAttempt, CallQueueEntry, CallSheet, ListPin, ListStatus, Neighbourhood, Person,
                      QueueStatus, TeamArea, TeamMember, WalkList, WalkListDoor, Ward)


def is_organiser(principal) -> bool:
    return bool(principal is not None and getattr(principal, "is_authenticated", False)
                and principal.has_role("organiser"))


def lead_team_ids(session: Session, *, principal) -> set[int]:
    """The teams the principal leads (a PIN joiner or a stranger leads none)."""
    if principal is None or not getattr(principal, "is_authenticated", False) or principal.has_role("pin"):
        return set()
    return set(session.exec(select(TeamMember.team_id).where(TeamMember.user_id == principal.id,
                                                             TeamMember.is_lead.is_(True))).all())


def can_lead_team(session: Session, *, principal, team_id: int | None) -> bool:
    """May the principal run this team's patch (its events, lists, volunteers)? Organisers may
    run every team's; a team lead only their own. ``team_id`` None: organisers only."""
    if is_organiser(principal):
        return True
    return team_id is not None and team_id in lead_team_ids(session, principal=principal)


def is_user(principal) -> bool:
    """A signed-in account (a User row), not a PIN joiner nor a stranger."""
    return bool(principal is not None and getattr(principal, "is_authenticated", False)
                and not principal.has_role("pin") and getattr(principal, "id", None) is not None)


def may_tell(principal) -> bool:
    """Recording who has voted (POST /api/tellings): tellers and organisers, with an account."""
    return is_user(principal) and principal.has_role("teller", "organiser")


def may_take_training(principal) -> bool:
    """Training is recorded against a person: anyone signed in with an account (a PIN joiner has none)."""
    return is_user(principal)


def member_team_ids(session: Session, *, principal) -> set[int]:
    if not is_user(principal):
        return set()
    return set(session.exec(select(TeamMember.team_id).where(TeamMember.user_id == principal.id)).all())


def may_create_events(session: Session, *, principal) -> bool:
    """Organisers and leads create events; a volunteer in a team may propose one."""
    return is_organiser(principal) or bool(lead_team_ids(session, principal=principal)) or (
        is_user(principal) and principal.has_role("volunteer") and bool(member_team_ids(session, principal=principal)))


def may_manage_event(session: Session, *, principal, event) -> bool:
    """Edit, cancel, run the admin page: organisers, the event team's leads, and its host."""
    return can_lead_team(session, principal=principal, team_id=event.team_id) or (
        is_user(principal) and event.host_id is not None and event.host_id == principal.id)


def team_work_ids(session: Session, *, principal, team_id: int | None) -> tuple[set[int], set[int]] | None:
    """The walk lists and call sheets an event of this team may work, as (list ids, sheet ids) of
    active lists / any sheets inside the team's areas; None means every one (organisers)."""
    if is_organiser(principal):
        return None
    if team_id is None or not can_lead_team(session, principal=principal, team_id=team_id):
        return set(), set()
    areas = session.exec(select(TeamArea.ward_id, TeamArea.neighbourhood_id).where(TeamArea.team_id == team_id)).all()
    wards = {w for w, _ in areas if w is not None}
    hoods = {h for _, h in areas if h is not None}
    if wards:
        hoods |= set(session.exec(select(Neighbourhood.id).where(Neighbourhood.ward_id.in_(wards))).all())
    lists = set(session.exec(select(WalkList.id).where(
        WalkList.status == ListStatus.ACTIVE,
        sa.or_(WalkList.ward_id.in_(wards or {-1}), WalkList.neighbourhood_id.in_(hoods or {-1})))).all())
    sheets = set(session.exec(select(CallSheet.id).where(
        sa.or_(CallSheet.ward_id.in_(wards or {-1}), CallSheet.neighbourhood_id.in_(hoods or {-1})))).all())
    return lists, sheets


def require_training(principal) -> None:
    if not may_take_training(principal):
        raise Forbidden("Training is for volunteers with an account: ask your organiser for an invite.")


def may_edit_training(principal) -> bool:
    """Writing modules and seeing who completed them: organisers."""
    return is_organiser(principal)


def visible_list_ids(principal):
    """A SELECT of walk-list ids the principal may open (None means: all of them)."""
    if is_organiser(principal):
        return None
    if principal is None or not getattr(principal, "is_authenticated", False):
        return select(WalkList.id).where(sa.false())
    if principal.has_role("pin"):
        return select(WalkList.id).where(WalkList.id == principal.walk_list_id, WalkList.status == ListStatus.ACTIVE)
    return (
        select(Assignment.walk_list_id)
        .join(WalkList, WalkList.id == Assignment.walk_list_id)
        .where(Assignment.user_id == principal.id, Assignment.unassigned_at.is_(None),
               WalkList.status == ListStatus.ACTIVE)
    )


def visible_household_ids(principal):
    """A SELECT of household ids the principal may read or write (None means: all)."""
    if is_organiser(principal):
        return None
    lists = visible_list_ids(principal)
    queries = [select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id.in_(lists))]
    if getattr(principal, "is_authenticated", False) and principal.has_role("caller"):
        claimed = (select(Person.household_id).join(CallQueueEntry, CallQueueEntry.person_id == Person.id)
                   .where(CallQueueEntry.claimed_by_id == principal.id, CallQueueEntry.status == QueueStatus.CLAIMED))
        called = (select(Person.household_id).join(CallAttempt, CallAttempt.person_id == Person.id)
                  .where(CallAttempt.caller_id == principal.id))
        queries += [claimed, called]
    return sa.union(*queries)


def require_households(session: Session, *, principal, household_ids: set[int]) -> None:
    """Raise Forbidden unless every household is visible: a batch is all allowed or refused."""
    visible = visible_household_ids(principal)
    if visible is None or not household_ids:
        return
    sub = visible.subquery()
    allowed = set(session.exec(select(sub.c[0]).where(sub.c[0].in_(household_ids))).all())
    missing = sorted(household_ids - allowed)
    if missing:
        raise Forbidden(f"household {missing[0]} is not on a list assigned to you")


def require_list(session: Session, *, principal, walk_list_id: int) -> None:
    lists = visible_list_ids(principal)
    if lists is None:
        return
    sub = lists.subquery()
    if session.exec(select(sub.c[0]).where(sub.c[0] == walk_list_id).limit(1)).first() is None:
        held = lapsed_holds(session, principal=principal, walk_list_id=walk_list_id).get(None)
        if held:
            raise ListClosed(closed_message(max(held, key=_end_key)))
        raise Forbidden("that walk list is not assigned to you")


# ---- the door-knock hot path: the same rules as above, in one compiled query ----------------------
_doors = WalkListDoor.__table__
_DOORS_FOR_ORGANISER = (
    sa.select(_doors.c.walk_list_id, _doors.c.household_id)
    .where(_doors.c.household_id.in_(sa.bindparam("hids", expanding=True)),
           _doors.c.walk_list_id.in_(sa.bindparam("lids", expanding=True)))
)
_DOORS_FOR_USER = (  # doors of active lists assigned to the user: visible_list_ids' canvasser branch
    sa.select(_doors.c.walk_list_id, _doors.c.household_id)
    .join(Assignment.__table__, Assignment.__table__.c.walk_list_id == _doors.c.walk_list_id)
    .join(WalkList.__table__, WalkList.__table__.c.id == _doors.c.walk_list_id)
    .where(Assignment.__table__.c.user_id == sa.bindparam("uid"), Assignment.__table__.c.unassigned_at.is_(None),
           WalkList.__table__.c.status == ListStatus.ACTIVE,
           _doors.c.household_id.in_(sa.bindparam("hids", expanding=True)))
)
_DOORS_FOR_PIN = (  # doors of the PIN's list while it is active: visible_list_ids' PIN branch
    sa.select(_doors.c.walk_list_id, _doors.c.household_id)
    .join(WalkList.__table__, WalkList.__table__.c.id == _doors.c.walk_list_id)
    .where(_doors.c.walk_list_id == sa.bindparam("lid"), WalkList.__table__.c.status == ListStatus.ACTIVE,
           _doors.c.household_id.in_(sa.bindparam("hids", expanding=True)))
)



@dataclass
class DoorAccess:
    """What a batch of door outcomes may touch. ``on_list``: the batch's (list, household) pairs
    that are doors of that list, among visible lists; ``households`` / ``lists``: the batch's
    visible ones (None: all of them)."""

    on_list: set[tuple[int, int]]
    households: set[int] | None = None
    lists: set[int] | None = None

    def visible(self, household_id: int | None, walk_list_id: int | None) -> bool:
        return ((self.households is None or household_id is None or household_id in self.households)
                and (self.lists is None or walk_list_id is None or walk_list_id in self.lists))


def door_access(session: Session, *, principal, household_ids: set[int], list_ids: set[int],
                pairs: set[tuple[int, int]]) -> DoorAccess:
    """The rules above for a whole batch, usually in one query.

    The query reads only walk-list visibility, a subset of what the rules allow, so when it
    shows everything visible that answer is exact. Otherwise (a caller's claimed household, a
    list none of these doors is on, a door no longer held) the general rules say what is visible,
    and the caller judges the rest item by item (``lapsed_holds``).
    """
    if not household_ids and not list_ids:
        return DoorAccess(set())
    conn, hids = session.connection(), sorted(household_ids)
    if is_organiser(principal):
        if not pairs:
            return DoorAccess(set())
        rows = conn.execute(_DOORS_FOR_ORGANISER, {"hids": hids, "lids": sorted(list_ids)})
        return DoorAccess(set(map(tuple, rows)) & pairs)
    if principal is None or not getattr(principal, "is_authenticated", False):
        return DoorAccess(set(), set(), set())
    if hids:
        if principal.has_role("pin"):
            rows = conn.execute(_DOORS_FOR_PIN, {"lid": principal.walk_list_id, "hids": hids})
        else:
            rows = conn.execute(_DOORS_FOR_USER, {"uid": principal.id, "hids": hids})
        doors = set(map(tuple, rows))
        if household_ids <= {h for _, h in doors} and list_ids <= {w for w, _ in doors}:
            return DoorAccess(doors & pairs)
    return _door_access_slowly(session, principal, household_ids, list_ids, pairs)


def _door_access_slowly(session, principal, household_ids, list_ids, pairs) -> DoorAccess:
    households, lists = set(), set()
    if household_ids:
        sub = visible_household_ids(principal).subquery()
        households = set(session.exec(select(sub.c[0]).where(sub.c[0].in_(household_ids))).all())
    if list_ids:
        sub = visible_list_ids(principal).subquery()
        lists = set(session.exec(select(sub.c[0]).where(sub.c[0].in_(list_ids))).all())
    wanted = {(w, h) for w, h in pairs if w in lists}
    on_list = set()
    if wanted:
        rows = session.exec(select(WalkListDoor.walk_list_id, WalkListDoor.household_id).where(
            WalkListDoor.walk_list_id.in_({w for w, _ in wanted}),
            WalkListDoor.household_id.in_({h for _, h in wanted}))).all()
        on_list = {tuple(r) for r in rows} & wanted
    return DoorAccess(on_list, households, lists)


# ---- holds that ended: late outcomes, and reopening a closed list ---------------------------------
@dataclass(frozen=True)
class Hold:
    """A list the principal held and holds no more. ``ended_at`` is None when the list was
    released without a recorded time (never by the app itself)."""

    walk_list_id: int
    name: str
    ended_at: datetime | None
    how: str  # "released", "unassigned" or "revoked" (a PIN)


def late_grace() -> timedelta:
    return timedelta(hours=settings().canvass.late_grace_hours)


def _hold(walk_list_id, name, status, released_at, personal_end, personal_how) -> Hold:
    ends = [(as_utc(t), how) for t, how in ((released_at, "released"), (personal_end, personal_how)) if t is not None]
    if ends:
        ended_at, how = min(ends, key=lambda e: e[0])
        return Hold(walk_list_id, name, ended_at, how)
    return Hold(walk_list_id, name, None, "released" if status != ListStatus.ACTIVE else personal_how)


def _end_key(hold: Hold):
    return hold.ended_at.timestamp() if hold.ended_at else float("-inf")


def lapsed_holds(session: Session, *, principal, household_ids: set[int] | None = None,
                 walk_list_id: int | None = None) -> dict[int | None, list[Hold]]:
    """The principal's ended holds on lists with these households (keyed by household id), or
    on that one list (keyed None). Only the list's own holder is answered: a stranger gets {}."""
    pin = getattr(principal, "pin", None)
    if pin is not None:
        how = "revoked"
        query = (select(WalkList.id, WalkList.name, WalkList.status, WalkList.released_at, ListPin.revoked_at)
                 .join(ListPin, ListPin.walk_list_id == WalkList.id)
                 .where(ListPin.id == pin.id,
                        sa.or_(ListPin.revoked_at.is_not(None), WalkList.status != ListStatus.ACTIVE)))
    elif getattr(principal, "is_authenticated", False) and principal.id is not None:
        how = "unassigned"
        query = (select(WalkList.id, WalkList.name, WalkList.status, WalkList.released_at, Assignment.unassigned_at)
                 .join(Assignment, Assignment.walk_list_id == WalkList.id)
                 .where(Assignment.user_id == principal.id,
                        sa.or_(Assignment.unassigned_at.is_not(None), WalkList.status != ListStatus.ACTIVE)))
    else:
        return {}
    out: dict[int | None, list[Hold]] = {}
    if walk_list_id is not None:
        for row in session.exec(query.where(WalkList.id == walk_list_id)).all():
            out.setdefault(None, []).append(_hold(*row, how))
    if household_ids:
        query = query.add_columns(WalkListDoor.household_id).join(
            WalkListDoor, WalkListDoor.walk_list_id == WalkList.id).where(WalkListDoor.household_id.in_(household_ids))
        for *row, household_id in session.exec(query).all():
            out.setdefault(household_id, []).append(_hold(*row, how))
    return out


def _when(moment: datetime) -> str:
    return campaign_time(moment, "%H:%M on %d %b", zone=False)


def _ended_text(hold: Hold) -> str:
    what = {"released": f"Walk list {hold.name} was released",
            "unassigned": f"Walk list {hold.name} was unassigned from you",
            "revoked": f"Your PIN for walk list {hold.name} was revoked"}[hold.how]
    return f"{what} at {_when(hold.ended_at)}" if hold.ended_at else what


def late_verdict(holds: list[Hold], *, household_id: int, walk_list_id: int | None, recorded_at: datetime,
                 now: datetime) -> tuple[Hold | None, str]:
    """May an outcome at a door the principal no longer holds be stored? (the hold, "") when it
    may: recorded at or before the hold ended, arriving within the grace period after that.
    Otherwise (the hold or None, the reason in plain language). A door never held gets the same
    reason as a made-up one, so the answer tells nothing about it."""
    holds = [h for h in holds if walk_list_id is None or h.walk_list_id == walk_list_id]
    if not holds:
        return None, f"household {household_id} is not on a list assigned to you"
    grace = late_grace()
    timed = [h for h in holds if h.ended_at is not None]
    before = [h for h in timed if as_utc(recorded_at) <= h.ended_at]
    for hold in before:
        if now <= hold.ended_at + grace:
            return hold, ""
    if before:
        hold = max(before, key=_end_key)
        return hold, (f"{_ended_text(hold)}; doors recorded before that could be sent for "
                      f"{_hours(grace)} hours after it, and that time is over.")
    hold = max(holds, key=_end_key)
    if hold.ended_at is None:
        return hold, f"{_ended_text(hold)}; doors on it can no longer be sent."
    return hold, f"{_ended_text(hold)}; this door was recorded after that."


def _hours(grace: timedelta) -> str:
    return f"{grace.total_seconds() / 3600:g}"


def closed_message(hold: Hold) -> str:
    """What someone reopening a list they no longer hold reads."""
    text = f"{_ended_text(hold)}."
    if hold.ended_at is not None:
        until = hold.ended_at + late_grace()
        text += (f" Doors you already recorded on this phone will still be sent if they reach us by "
                 f"{_when(until)} ({_hours(late_grace())} hours after that).")
    return text + " Your other lists are under My lists."


# ---- area scope: organisers everywhere, a team lead inside their teams' areas ---------------------
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
    team_ids = lead_team_ids(session, principal=principal)
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
    from ..sorting import by_name

    query = select(Ward)
    if scope is not None:
        query = query.where(Ward.id.in_(sorted(scope.touched_ward_ids)))
    return by_name(session.exec(query).all())


def team_member_ids(session: Session, *, principal) -> set[int] | None:
    """Whom the principal may hand work to or see on the volunteers page: None (anyone) for an
    organiser, else the members (leads included) of the teams they lead."""
    if is_organiser(principal):
        return None
    team_ids = lead_team_ids(session, principal=principal)
    if not team_ids:
        return set()
    return set(session.exec(select(TeamMember.user_id).where(TeamMember.team_id.in_(team_ids))).all())


def may_lead(session: Session, *, principal) -> bool:
    """Organisers, and anyone leading at least one team: who may open the organiser's pages."""
    return is_organiser(principal) or bool(lead_team_ids(session, principal=principal))
