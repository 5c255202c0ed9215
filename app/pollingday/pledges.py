"""Pledges: the people whose latest support answer, at the door or on the phone, is on the
supporter side of the campaign's scale (``[survey] supporter_values``: "include leaners" is
those values as configured). Postal voters are not pledges for polling day (nobody knocks them
up): they are returned apart, for their own reminder list. Read from each person's latest answer
(``person_supports``, folded in the same transaction as the answer), so a later answer
("against") takes a person off at once.

And the sizing calculator: votes needed ÷ expected pledge turnout = pledges needed.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..errors import ValidationError
from ..models import Elector, Household, Neighbourhood, Person, PersonSupport
from ..sql import chunks


@dataclass(frozen=True)
class Pledges:
    pledged: dict[int, int]   # person id -> polling district (neighbourhood id): not postal
    postal: dict[int, int]    # pledged postal voters: their reminder list, not the knock-up


def pledges(session: Session, *, settings: Settings, neighbourhood_ids=None, person_ids=None) -> Pledges:
    """The pledges in these polling districts (None: everywhere), among these people (None: all).
    Only electors count (someone not on the register cannot vote here); their polling district is
    their elector number's prefix. Each person's latest answer is ``person_supports``, which the
    contact write path keeps. Many people are asked about in parts: the whole constituency's
    sheets name everyone behind round 1's doors (55,000 people in scripts.bench.pollingday), more
    than one statement may bind (SQLite 32,766, PostgreSQL 65,535)."""
    values = sorted(settings.supporter_values)
    if not values or (neighbourhood_ids is not None and not neighbourhood_ids) or (person_ids is not None and not person_ids):
        return Pledges({}, {})
    query = (sa.select(PersonSupport.person_id, Neighbourhood.id, Elector.postal)
             .join(Elector, Elector.person_id == PersonSupport.person_id)
             .join(Neighbourhood, Neighbourhood.code == Elector.prefix)
             .where(PersonSupport.support_level.in_(values)))
    if neighbourhood_ids is not None:
        query = query.where(Neighbourhood.id.in_(list(neighbourhood_ids)))
    pledged, postal = {}, {}
    for part in [None] if person_ids is None else chunks(sorted(set(person_ids)), 10_000):
        rows = session.execute(query if part is None else query.where(PersonSupport.person_id.in_(part)))
        for person_id, hood_id, is_postal in rows:
            (postal if is_postal else pledged)[person_id] = hood_id
    return Pledges(pledged, postal)


def postal_reminders(session: Session, *, settings: Settings, neighbourhood_ids=None) -> list[tuple]:
    """The pledged postal voters' reminder list: (person id, name, address), by address."""
    ids = list(pledges(session, settings=settings, neighbourhood_ids=neighbourhood_ids).postal)
    if not ids:
        return []
    rows = session.execute(sa.select(Person, Household).join(Household, Household.id == Person.household_id)
                           .where(Person.id.in_(ids))).all()
    return sorted(((p.id, p.full_name, h.address) for p, h in rows), key=lambda r: (r[2], r[1]))


# ---- the sizing calculator -------------------------------------------------------------------
MAX_VOTES = 10_000_000


@dataclass(frozen=True)
class Sizing:
    votes_needed: int
    turnout_percent: Decimal
    pledges_needed: int
    pledges_held: int

    @property
    def shortfall(self) -> int:
        return max(0, self.pledges_needed - self.pledges_held)


def size(*, votes_needed, turnout_percent, pledges_held: int) -> Sizing:
    """Pledges needed to get ``votes_needed`` votes if ``turnout_percent`` of pledges vote.
    Inputs as typed (strings or numbers); a bad one is a ValidationError naming it."""
    try:
        votes = int(str(votes_needed).strip())
    except (TypeError, ValueError):
        raise ValidationError("Votes needed must be a whole number.") from None
    if not 1 <= votes <= MAX_VOTES:
        raise ValidationError(f"Votes needed must be between 1 and {MAX_VOTES:,}.")
    try:
        turnout = Decimal(str(turnout_percent).strip().rstrip("%"))
    except (ArithmeticError, TypeError, ValueError):
        raise ValidationError("Expected pledge turnout must be a percentage, e.g. 80.") from None
    if not turnout.is_finite() or not Decimal(1) <= turnout <= Decimal(100):
        raise ValidationError("Expected pledge turnout must be a percentage between 1 and 100.")
    turnout = turnout.quantize(Decimal("0.1"))
    if turnout < 1:
        raise ValidationError("Expected pledge turnout must be a percentage between 1 and 100.")
    # Integer arithmetic: 100 votes at 80% is exactly 125 pledges, never 126 from a float.
    needed = math.ceil(Decimal(votes) * 100 / turnout)
    return Sizing(votes, turnout, needed, pledges_held)
