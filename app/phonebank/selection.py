"""Who goes on call sheets: people in a ward, neighbourhood or walk list, filtered by what the
door and earlier calls found, turned into ``walklists.Callee`` values for split_call_sheets.

Reads only. Criteria and priorities are named here so the form, the CLI and tests share them.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from walklists import Callee

from ..config import Settings
from ..errors import ValidationError
from ..models import Channel, ContactEvent, DncChannel, DoNotContact, Household, Neighbourhood, Person, SurveyResponse, \
    WalkList, WalkListDoor, Ward
from .queue import timezone_for_number
from .strikeoff import KNOCKUP

CRITERIA = {
    "all": "Everyone with a phone number",
    "not_home": "Not home at the door (last knock got no answer)",
    "no_contact": "No contact yet (door or phone)",
    "supporters": "Supporters, for a reminder",
}
# What a sheet's criteria says on the sheets pages: the form's choices, and polling day's knock-up.
LABELS = {**CRITERIA, KNOCKUP: "Polling-day knock-up: pledges not yet voted"}
PRIORITIES = {
    "not_home_first": "Not home at the door first",
    "supporters_first": "Supporters first",
    "none": "No preference (by number)",
}


@dataclass(frozen=True)
class Scope:
    kind: str  # "ward", "neighbourhood" or "list"
    id: int
    name: str

    @property
    def column(self):
        return {"ward": Household.ward_id, "neighbourhood": Household.neighbourhood_id}.get(self.kind)


def parse_scope(session: Session, raw: str) -> Scope:
    """'ward:3', 'neighbourhood:5' or 'list:7' -> Scope; a clear error for anything else."""
    kind, _, raw_id = (raw or "").partition(":")
    model = {"ward": Ward, "neighbourhood": Neighbourhood, "list": WalkList}.get(kind)
    row = session.get(model, int(raw_id)) if model is not None and raw_id.isdigit() else None
    if row is None:
        raise ValidationError("Choose a ward, neighbourhood or walk list to call.")
    return Scope(kind=kind, id=row.id, name=row.name)


def _households_in(scope: Scope):
    if scope.kind == "list":
        return select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id == scope.id)
    return select(Household.id).where(scope.column == scope.id)


def _not_home_households(session: Session, households, settings: Settings) -> set[int]:
    """Households whose latest door knock reached nobody and closed nothing (not home, come back)."""
    door = settings.codes(Channel.DOOR)
    latest: dict[int, tuple] = {}
    rows = session.execute(select(ContactEvent.household_id, ContactEvent.recorded_at, ContactEvent.code)
                           .where(ContactEvent.channel == Channel.DOOR, ContactEvent.household_id.in_(households)))
    for household_id, recorded_at, code in rows:
        if household_id not in latest or recorded_at > latest[household_id][0]:
            latest[household_id] = (recorded_at, code)
    out = set()
    for household_id, (_, code) in latest.items():
        c = door.get(code)
        if c is not None and not (c.contact or c.final or c.dnc):
            out.add(household_id)
    return out


def _contacted_households(session: Session, households, settings: Settings) -> set[int]:
    codes = [c.code for channel in Channel for c in settings.codes(channel).values() if c.contact]
    return set(session.execute(select(ContactEvent.household_id).where(
        ContactEvent.household_id.in_(households), ContactEvent.code.in_(codes)).distinct()).scalars())


def _supporters(session: Session, households, settings: Settings) -> set[int]:
    """People whose latest recorded support level is on the supporter side of the scale."""
    rows = session.execute(
        select(SurveyResponse.person_id, SurveyResponse.support_level, ContactEvent.recorded_at)
        .join(ContactEvent, ContactEvent.id == SurveyResponse.event_id)
        .where(ContactEvent.household_id.in_(households), SurveyResponse.support_level.is_not(None))
    )
    latest: dict[int, tuple] = {}
    for person_id, level, at in rows:
        if person_id not in latest or at > latest[person_id][0]:
            latest[person_id] = (at, level)
    return {pid for pid, (_, level) in latest.items() if level in settings.supporter_values}


def ledger(session: Session) -> tuple[set[str], set[int]]:
    """Phone-blocking ledger entries: person ids and numbers (as strings), and whole households."""
    blocked, households = set(), set()
    rows = session.execute(select(DoNotContact.person_id, DoNotContact.phone, DoNotContact.household_id)
                           .where(DoNotContact.channel.in_((DncChannel.ALL, DncChannel.PHONE))))
    for person_id, phone, household_id in rows:
        if person_id is not None:
            blocked.add(str(person_id))
        elif household_id is not None:
            households.add(household_id)
        if phone:
            blocked.add(phone)
    return blocked, households


def callees(session: Session, *, scope: Scope, criteria: str, priority: str,
            settings: Settings, person_ids=None) -> tuple[list[Callee], set[str]]:
    """People to put on sheets, and the ledger's ids/numbers to pass as do_not_contact.
    person_ids: a SELECT of person ids to keep to (a universe's people); None: everyone."""
    if criteria not in CRITERIA:
        raise ValidationError(f"Unknown criteria {criteria!r}.")
    if priority not in PRIORITIES:
        raise ValidationError(f"Unknown priority {priority!r}.")
    households = _households_in(scope)
    query = (select(Person.id, Person.household_id, Person.phone)
             .where(Person.household_id.in_(households), Person.phone.is_not(None), Person.phone_retired_at.is_(None)))
    if person_ids is not None:
        query = query.where(Person.id.in_(person_ids))
    people = session.execute(query).all()
    not_home = _not_home_households(session, households, settings)
    supporters = (_supporters(session, households, settings)
                  if "supporters" in (criteria, priority.removesuffix("_first")) else set())
    contacted = _contacted_households(session, households, settings) if criteria == "no_contact" else set()
    keep = {
        "all": lambda pid, hid: True,
        "not_home": lambda pid, hid: hid in not_home,
        "no_contact": lambda pid, hid: hid not in contacted,
        "supporters": lambda pid, hid: pid in supporters,
    }[criteria]
    rank = {
        "not_home_first": lambda pid, hid: 0.0 if hid in not_home else 1.0,
        "supporters_first": lambda pid, hid: 0.0 if pid in supporters else 1.0,
        "none": lambda pid, hid: 0.0,
    }[priority]
    blocked, blocked_households = ledger(session)
    out = [
        Callee(id=str(pid), phone=phone, household_id=str(hid), priority=rank(pid, hid),
               timezone=timezone_for_number(phone, settings.timezone))
        for pid, hid, phone in people
        if hid not in blocked_households and keep(pid, hid)
    ]
    return out, blocked


def criteria_label(criteria: str) -> str:
    return LABELS.get(criteria, criteria)

