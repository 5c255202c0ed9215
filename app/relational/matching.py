"""Matching the people a volunteer knows against the register.

Blocking first, by indexes, then similarity in Python over the few rows that survive:

- a postcode typed: the register's people at that postcode (``ix_households_postcode``), each
  needing ``[relational] name_threshold``; when nobody there is close enough, the rest of its
  postcode area (the UK outward code; a ZIP is an area on its own), whose surname begins with a
  typed word's first four letters (``ix_people_last_name``), needing the stricter
  ``area_name_threshold``. Nobody outside the area, ever.
- only a street typed: the people on the register's streets spelled like it (``ix_households_street``),
  compared only with the streets sharing a word's first three letters ("bra" for "Brackley Rd"),
  whose surname begins with a typed word's first letter.

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
from ..sql import chunks
from .names import jaro_winkler, name_similarity, name_tokens, postcode_area, postcode_key, street_key, street_tokens

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
        self.by_token: dict[str, set[str]] = {}   # "bra" -> the street keys with a word starting so
        for (raw,) in conn.execute(sa.select(H.street).where(H.street != "").distinct()):
            key = street_key(raw)
            self.by_street.setdefault(key, []).append(raw)
            for token in street_tokens(key):
                self.by_token.setdefault(token, set()).add(key)

    def streets_like(self, typed: str) -> list[str]:
        """The register's spellings of streets like ``typed``: among those sharing a word's first
        three letters with it, the ones similar enough."""
        key = street_key(typed)
        if not key:
            return []
        near = set().union(*(self.by_token.get(t, ()) for t in street_tokens(key)))
        return [raw for other in sorted(near) if jaro_winkler(key, other) >= STREET_SIMILARITY
                for raw in self.by_street[other]]


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


def _in_area(session: Session, wanted: Wanted, key: str, *, register: Register, threshold: float) -> Candidate | None:
    """Elsewhere in the postcode's area. An area holds thousands of people, and the stricter
    threshold wants a near-exact name anyway, so the surname must begin with a typed word's first
    four letters: found through ``ix_people_last_name`` (a range per spelling: "Okaf", "OKAF",
    "okaf"), then kept only if their household's postcode is in the area."""
    here = set(register.by_postcode.get(key, ()))
    nearby = {raw for raw in register.by_area.get(postcode_area(key), ()) if raw not in here}
    starts = {token[:4] for token in name_tokens(wanted.name)}
    if not nearby or not starts:
        return None
    ranges = [sa.and_(P.last_name >= low, P.last_name < low[:-1] + chr(ord(low[-1]) + 1))
              for start in sorted(starts) for low in {start.capitalize(), start.upper(), start}]
    people = session.connection().execute(sa.select(P.id, P.first_name, P.last_name, P.phone, P.household_id)
                                          .where(sa.or_(*ranges))).all()
    homes = {}
    for chunk in chunks(sorted({row.household_id for row in people})):
        homes.update((hid, (postcode, street)) for hid, postcode, street in session.connection().execute(
            sa.select(H.id, H.postcode, H.street).where(H.id.in_(chunk))))
    rows = {(row.id, row.first_name, row.last_name, row.phone) + homes[row.household_id] for row in people
            if homes.get(row.household_id, ("",))[0] in nearby}
    return _best(wanted, sorted(rows), threshold=threshold, street=wanted.street)


def _on_street(session: Session, wanted: Wanted, *, register: Register, threshold: float) -> Candidate | None:
    """No postcode: the streets spelled like the one typed. A street is longer than a postcode,
    so there the surname's first letter must be a typed word's."""
    streets = register.streets_like(wanted.street)
    initials = sorted({token[0] for token in name_tokens(wanted.name)})
    if not streets or not initials:
        return None
    surname = sa.func.lower(sa.func.substr(P.last_name, 1, 1)).in_(initials)
    return _best(wanted, _rows(session, sa.and_(H.street.in_(streets), surname)), threshold=threshold,
                 street=wanted.street)


def match_many(session: Session, wanted: list[Wanted], *, settings: Settings,
               register: Register | None = None) -> dict[object, Candidate | None]:
    """The best candidate (or None) for each entry, keyed by ``Wanted.key``: reads only. The
    people at every postcode typed come in one read (a chunk of postcodes at a time)."""
    conf = settings.relational
    register = register or Register(session)
    out: dict[object, Candidate | None] = {w.key: None for w in wanted}
    at: dict[str, list] = {}
    exact = sorted({raw for w in wanted for raw in register.by_postcode.get(postcode_key(w.postcode), ())})
    for chunk in chunks(exact):
        for row in _rows(session, H.postcode.in_(chunk)):
            at.setdefault(postcode_key(row.postcode), []).append(row)
    for w in wanted:
        key = postcode_key(w.postcode)
        if key:
            out[w.key] = (_best(w, at.get(key, ()), threshold=conf.name_threshold, street=w.street)
                          or _in_area(session, w, key, register=register, threshold=conf.area_name_threshold))
        else:
            out[w.key] = _on_street(session, w, register=register, threshold=conf.name_threshold)
    return out


def match_one(session: Session, wanted: Wanted, *, register: Register, settings: Settings) -> Candidate | None:
    return match_many(session, [wanted], settings=settings, register=register)[wanted.key]
