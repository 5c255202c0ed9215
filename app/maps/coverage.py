"""Coverage by area, read from contact events: the numbers the maps and the dashboard share.

Read-only by design (the house rule: maps and dashboards never write). Coverage counts
households, not events: a door knocked five times is one attempted door. "Contacted" means a
contact event whose code is flagged ``contact`` in config.toml for its channel (the same code
name can mean different things at the door and on the phone).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session, select

from ..config import Settings
from ..models import Assignment, ContactEvent, Household, ListPin, User, WalkList, WalkListDoor

# Door-level categories, in the order the legend lists them. Precedence when several apply:
# do-not-contact, then the latest known support level, then "ever reached", then "attempted".
STATUSES = ("not_attempted", "not_home", "spoke", "supporter", "against", "dnc")
STATUS_LABELS = {
    "not_attempted": "Not attempted",
    "not_home": "Not home / not reached",
    "spoke": "Spoke",
    "supporter": "Supporter",
    "against": "Against",
    "dnc": "Do not contact",
}
MEASURES = (
    ("door_attempted", "Doors knocked"),
    ("door_contacted", "Reached at the door"),
    ("phone_attempted", "Called"),
    ("phone_contacted", "Reached by phone"),
)


@dataclass
class AreaCoverage:
    """Household counts for one area (a ward or a neighbourhood)."""

    households: int = 0
    door_attempted: int = 0
    door_contacted: int = 0
    phone_attempted: int = 0
    phone_contacted: int = 0

    def share(self, measure: str) -> float:
        """0..1 share of the area's households counted by ``measure``."""
        return getattr(self, measure) / self.households if self.households else 0.0

    def add(self, other: AreaCoverage) -> None:
        for name in ("households",) + tuple(m for m, _ in MEASURES):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in ("households",) + tuple(m for m, _ in MEASURES)}


def contact_condition(settings: Settings):
    """SQL truth value: this event reached a person (per its channel's codes)."""
    parts = []
    for channel in ("door", "phone"):
        codes = [c.code for c in settings.codes(channel).values() if c.contact]
        if codes:
            parts.append(sa.and_(ContactEvent.channel == channel, ContactEvent.code.in_(codes)))
    return sa.or_(*parts) if parts else sa.false()


def dnc_condition(settings: Settings):
    parts = []
    for channel in ("door", "phone"):
        codes = [c.code for c in settings.codes(channel).values() if c.dnc]
        if codes:
            parts.append(sa.and_(ContactEvent.channel == channel, ContactEvent.code.in_(codes)))
    return sa.or_(*parts) if parts else sa.false()


@dataclass
class AreaActivity:
    """One (ward, neighbourhood, channel): households ever attempted/contacted, and the events
    of a period (with their contacts, do-not-contact requests, and how many in the last hour)."""

    attempted: int = 0
    contacted: int = 0
    events: int = 0
    contacts: int = 0
    dnc: int = 0
    recent: int = 0


def area_activity(session: Session, *, settings: Settings, since: datetime | None = None,
                  recent_since: datetime | None = None, ward_id: int | None = None
                  ) -> dict[tuple[int | None, int | None, str], AreaActivity]:
    """Events rolled up per household first (an index-ordered pass, no big sort), then per area.

    The maps' coverage and the dashboard's area tallies both come from here, so they agree.
    """
    contact, dnc = contact_condition(settings), dnc_condition(settings)
    in_period = ContactEvent.recorded_at >= since if since is not None else sa.true()
    recent = ContactEvent.recorded_at >= recent_since if recent_since is not None else sa.false()

    def count_if(cond):
        return sa.func.sum(sa.case((cond, 1), else_=0))

    per_home = (select(ContactEvent.household_id.label("hid"), ContactEvent.channel.label("channel"),
                       sa.func.max(sa.case((contact, 1), else_=0)).label("reached"),
                       count_if(in_period).label("events"), count_if(sa.and_(in_period, contact)).label("contacts"),
                       count_if(sa.and_(in_period, dnc)).label("dnc"), count_if(recent).label("recent"))
                .group_by(ContactEvent.household_id, ContactEvent.channel))
    if ward_id is not None:
        per_home = per_home.where(ContactEvent.household_id.in_(select(Household.id).where(Household.ward_id == ward_id)))
    per_home = per_home.subquery()
    stmt = (select(Household.ward_id, Household.neighbourhood_id, per_home.c.channel, sa.func.count(),
                   sa.func.sum(per_home.c.reached), sa.func.sum(per_home.c.events), sa.func.sum(per_home.c.contacts),
                   sa.func.sum(per_home.c.dnc), sa.func.sum(per_home.c.recent))
            .join(Household, Household.id == per_home.c.hid)
            .group_by(Household.ward_id, Household.neighbourhood_id, per_home.c.channel))
    return {(ward, hood, channel): AreaActivity(*(int(v or 0) for v in values))
            for ward, hood, channel, *values in session.exec(stmt)}


def households_by_area(session: Session, *, ward_id: int | None = None) -> dict[tuple[int | None, int | None], int]:
    scope = [Household.ward_id == ward_id] if ward_id is not None else []
    return {(ward, hood): count for ward, hood, count in session.exec(
        select(Household.ward_id, Household.neighbourhood_id, sa.func.count())
        .where(*scope).group_by(Household.ward_id, Household.neighbourhood_id))}


def coverage_from(households: dict, activity: dict) -> dict[tuple[int | None, int | None], AreaCoverage]:
    out = {key: AreaCoverage(households=count) for key, count in households.items()}
    for (ward, hood, channel), act in activity.items():
        cov = out.setdefault((ward, hood), AreaCoverage())
        setattr(cov, f"{channel}_attempted", getattr(cov, f"{channel}_attempted") + act.attempted)
        setattr(cov, f"{channel}_contacted", getattr(cov, f"{channel}_contacted") + act.contacted)
    return out


def coverage_by_area(session: Session, *, settings: Settings, ward_id: int | None = None
                     ) -> dict[tuple[int | None, int | None], AreaCoverage]:
    """Coverage keyed by (ward_id, neighbourhood_id); roll up with ``by_ward``/``by_neighbourhood``."""
    return coverage_from(households_by_area(session, ward_id=ward_id),
                         area_activity(session, settings=settings, ward_id=ward_id))


def by_neighbourhood(cov: dict[tuple, AreaCoverage]) -> dict[int | None, AreaCoverage]:
    out: dict[int | None, AreaCoverage] = {}
    for (_ward, hood), item in cov.items():
        out.setdefault(hood, AreaCoverage()).add(item)
    return out


def by_ward(cov: dict[tuple, AreaCoverage]) -> dict[int | None, AreaCoverage]:
    out: dict[int | None, AreaCoverage] = {}
    for (ward, _hood), item in cov.items():
        out.setdefault(ward, AreaCoverage()).add(item)
    return out


@dataclass
class ListProgress:
    id: int
    name: str
    code: str
    hull: str | None
    ward_id: int | None
    neighbourhood_id: int | None
    total: int = 0
    done: int = 0                     # list doors with a door event recorded on this list
    last_activity: datetime | None = None
    volunteers: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.done / self.total if self.total else 0.0


def list_progress(session: Session, *, ward_id: int | None = None, neighbourhood_id: int | None = None,
                  list_ids: list[int] | None = None) -> list[ListProgress]:
    """Active walk lists in scope with done/total doors, last activity and who holds them."""
    conds = [WalkList.status == "active"]
    if ward_id is not None:
        conds.append(WalkList.ward_id == ward_id)
    if neighbourhood_id is not None:
        conds.append(WalkList.neighbourhood_id == neighbourhood_id)
    if list_ids is not None:
        conds.append(WalkList.id.in_(list_ids))
    lists = {wl.id: ListProgress(id=wl.id, name=wl.name, code=wl.code, hull=wl.hull, ward_id=wl.ward_id,
                                 neighbourhood_id=wl.neighbourhood_id)
             for wl in session.exec(select(WalkList).where(*conds).order_by(WalkList.name))}
    if not lists:
        return []
    ids = list(lists)
    for list_id, total in session.exec(select(WalkListDoor.walk_list_id, sa.func.count())
                                       .where(WalkListDoor.walk_list_id.in_(ids))
                                       .group_by(WalkListDoor.walk_list_id)):
        lists[list_id].total = total
    # Only events recorded on this list count towards it: a door knocked from an older,
    # released list is that list's history, not this volunteer's progress.
    done = (select(ContactEvent.walk_list_id, sa.func.count(sa.distinct(ContactEvent.household_id)),
                   sa.func.max(ContactEvent.recorded_at))
            .where(ContactEvent.walk_list_id.in_(ids), ContactEvent.channel == "door")
            .group_by(ContactEvent.walk_list_id))
    for list_id, count, last in session.exec(done):
        lists[list_id].done, lists[list_id].last_activity = count, last
    holders = (select(Assignment.walk_list_id, User.name, User.email).join(User, User.id == Assignment.user_id)
               .where(Assignment.walk_list_id.in_(ids), Assignment.unassigned_at.is_(None))
               .order_by(User.name, User.email))
    for list_id, name, email in session.exec(holders):
        lists[list_id].volunteers.append(name or email)
    pins = (select(ListPin.walk_list_id, ListPin.label)
            .where(ListPin.walk_list_id.in_(ids), ListPin.revoked_at.is_(None)).order_by(ListPin.id))
    for list_id, label in session.exec(pins):
        lists[list_id].volunteers.append(f"PIN: {label}" if label else "PIN volunteer")
    return list(lists.values())
