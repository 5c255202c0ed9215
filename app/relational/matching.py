"""Matching the people a volunteer knows against the register.

Blocking first, by indexes, then similarity in Python over the few rows that survive:

- a postcode typed: the register's people at that postcode (``ix_households_postcode``), each
  needing ``[relational] name_threshold``; when nobody there is close enough, the rest of its
  postcode area (the UK outward code; a ZIP is an area on its own), whose surname starts as a
  typed word does, needing the stricter ``area_name_threshold``. Nobody outside the area, ever.
- only a street typed: the people on the register's streets spelled like it (``ix_households_street``).

The distinct postcodes and streets are read once per run (``Register``), so the right spellings
("CB1 2AB", "cb12ab") are found through the index whatever the volunteer typed. What comes back is
a person id and their street: callers show the street and nothing else of the register.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlmodel import Session

from ..config import Settings
from ..models import Household, Person
from .names import jaro_winkler, name_similarity, name_tokens, postcode_area, postcode_key, street_key

STREET_SIMILARITY = 0.92   # "Mill Rd" and "Mil Road" are one street; "Mill Road" and "Hill Road" are not
STREET_BONUS = 0.03        # a postcode and the street both agree
PHONE_BONUS = 0.05         # the number typed is the register's
H, P = Household.__table__.c, Person.__table__.c


@dataclass(frozen=True)
class Wanted:
    """Someone a volunteer knows, as typed. ``exclude``: people already said no to, or already
    linked to another of this volunteer's entries."""

    key: object
    name: str
    postcode: str = ""
    street: str = ""
    phone: str | None = None
    exclude: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Candidate:
    person_id: int
    street: str      # as the register spells it: the only thing of the register ever shown
    score: float


class Register:
    """The register's distinct postcodes and streets, grouped by their comparable keys."""

    def __init__(self, session: Session):
        conn = session.connection()
        self.by_postcode: dict[str, list[str]] = {}
        self.by_area: dict[str, list[str]] = {}
        for (raw,) in conn.execute(sa.select(H.postcode).where(H.postcode != "").distinct()):
            key = postcode_key(raw)
            self.by_postcode.setdefault(key, []).append(raw)
            self.by_area.setdefault(postcode_area(key), []).append(raw)
        self.by_street: dict[str, list[str]] = {}
        for (raw,) in conn.execute(sa.select(H.street).where(H.street != "").distinct()):
            self.by_street.setdefault(street_key(raw), []).append(raw)

    def streets_like(self, typed: str) -> list[str]:
        key = street_key(typed)
        if not key:
            return []
        return [raw for other, raws in self.by_street.items() if jaro_winkler(key, other) >= STREET_SIMILARITY
                for raw in raws]


def _rows(session: Session, where) -> list:
    stmt = (sa.select(P.id, P.first_name, P.last_name, P.phone, H.postcode, H.street)
            .select_from(Person.__table__.join(Household.__table__, H.id == P.household_id)).where(where))
    return list(session.connection().execute(stmt))


def _best(wanted: Wanted, rows, *, threshold: float, street: str) -> Candidate | None:
    typed = name_tokens(wanted.name)
    street_typed = street_key(street)
    best: tuple | None = None
    for pid, first, last, phone, _postcode, register_street in rows:
        if pid in wanted.exclude:
            continue
        similarity = name_similarity(typed, name_tokens(first), name_tokens(last))
        if similarity < threshold:
            continue
        score = similarity
        if street_typed and jaro_winkler(street_typed, street_key(register_street)) >= STREET_SIMILARITY:
            score += STREET_BONUS
        if wanted.phone and phone == wanted.phone:
            score += PHONE_BONUS
        rank = (score, -pid)
        if best is None or rank > best[0]:
            best = (rank, Candidate(person_id=pid, street=register_street, score=round(score, 4)))
    return best[1] if best else None


def match_one(session: Session, wanted: Wanted, *, register: Register, settings: Settings) -> Candidate | None:
    conf = settings.relational
    key = postcode_key(wanted.postcode)
    if key:
        exact = register.by_postcode.get(key, [])
        found = _best(wanted, _rows(session, H.postcode.in_(exact)), threshold=conf.name_threshold,
                      street=wanted.street) if exact else None
        if found:
            return found
        here = set(exact)
        nearby = [raw for raw in register.by_area.get(postcode_area(key), []) if raw not in here]
        initials = sorted({token[0] for token in name_tokens(wanted.name)})
        if not nearby or not initials:
            return None
        surname_starts = sa.func.lower(sa.func.substr(P.last_name, 1, 1)).in_(initials)
        return _best(wanted, _rows(session, sa.and_(H.postcode.in_(nearby), surname_starts)),
                     threshold=conf.area_name_threshold, street=wanted.street)
    streets = register.streets_like(wanted.street)
    if not streets:
        return None
    return _best(wanted, _rows(session, H.street.in_(streets)), threshold=conf.name_threshold, street=wanted.street)


def match_many(session: Session, wanted: list[Wanted], *, settings: Settings) -> dict[object, Candidate | None]:
    """The best candidate (or None) for each entry, keyed by ``Wanted.key``: reads only."""
    register = Register(session)
    return {w.key: match_one(session, w, register=register, settings=settings) for w in wanted}
