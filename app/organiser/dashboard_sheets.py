"""Printable walk sheets: a list's doors in route order, each street side (odds, evens) kept
together, with the people, do-not-contact warnings and the last door outcome."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

import qrcode
import qrcode.image.svg
from sqlmodel import Session, select

from ..config import Settings
from ..maps.doors import dnc_households
from ..models import DoNotContact, Household, HouseholdSummary, Person, WalkList, WalkListDoor

NUMBER = re.compile(r"\d+")


@dataclass
class SheetDoor:
    position: int
    household: Household
    people: list[Person] = field(default_factory=list)
    dnc_people: set[int] = field(default_factory=set)
    dnc: bool = False
    last_code: str | None = None
    last_at: datetime | None = None


@dataclass
class SheetSection:
    street: str
    side: str            # "Odd side", "Even side" or "" (no house number)
    doors: list[SheetDoor] = field(default_factory=list)


def side_of(house_number: str) -> str:
    match = NUMBER.match(house_number or "")
    if not match:
        return ""
    return "Even side" if int(match.group()) % 2 == 0 else "Odd side"


def group_sections(doors: list[SheetDoor]) -> list[SheetSection]:
    """Sections in order of the route's first visit; doors keep route order inside a section.

    A route that crosses back and forth still prints one block per street side, so a canvasser
    working one side of the street finds every door for it in one place.
    """
    sections: dict[tuple[str, str], SheetSection] = {}
    for door in doors:
        key = (door.household.street, side_of(door.household.house_number))
        sections.setdefault(key, SheetSection(*key)).doors.append(door)
    return list(sections.values())


def sheet_doors(session: Session, *, walk_list: WalkList) -> list[SheetDoor]:
    rows = session.exec(select(WalkListDoor.position, Household).join(Household, Household.id == WalkListDoor.household_id)
                        .where(WalkListDoor.walk_list_id == walk_list.id).order_by(WalkListDoor.position)).all()
    doors = {h.id: SheetDoor(position=pos + 1, household=h) for pos, h in rows}
    if not doors:
        return []
    ids = list(doors)
    in_list = select(WalkListDoor.household_id).where(WalkListDoor.walk_list_id == walk_list.id)
    for person in session.exec(select(Person).where(Person.household_id.in_(in_list))
                               .order_by(Person.last_name, Person.first_name, Person.id)):
        doors[person.household_id].people.append(person)
    for hid in dnc_households(session, in_scope=lambda col: col.in_(in_list)):
        doors[hid].dnc = True
    blocked_people = select(DoNotContact.person_id, Person.household_id).join(Person, Person.id == DoNotContact.person_id)
    for pid, hid in session.exec(blocked_people.where(Person.household_id.in_(in_list))):
        doors[hid].dnc_people.add(pid)
    # The latest door outcome per household, kept by app/contacts/summary.py (no scan of events).
    for hid, code, at in session.exec(select(HouseholdSummary.household_id, HouseholdSummary.door_code,
                                             HouseholdSummary.door_at)
                                      .where(HouseholdSummary.household_id.in_(ids),
                                             HouseholdSummary.door_code.is_not(None))):
        doors[hid].last_code, doors[hid].last_at = code, at
    return list(doors.values())


def qr_svg(url: str) -> str:
    """An inline SVG QR code (no Pillow): the phone camera opens the same list."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def door_codes(settings: Settings) -> list:
    """The canvass answers a walk sheet ticks (a knock-up sheet has its own: app/pollingday)."""
    return list(settings.door_outcomes)
