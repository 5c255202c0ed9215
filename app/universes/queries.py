"""Reads of universes: the saved ones, their people and households, and counts.

``universe_people`` / ``universe_households`` are SELECTs the walk-list cut, the call sheets and
the CSV export put inside their own queries, so a universe always means today's data.
A team lead's ``scope`` (app.auth.access.Scope) keeps them to the lead's areas; None: everywhere.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session, select

from ..auth.access import Scope, scope_area_clause
from ..config import Settings
from ..contacts import reach
from ..db import is_sqlite
from ..errors import NotFound, ValidationError
from ..models import Election, Household, Neighbourhood, Universe, WalkList, Ward
from ..sorting import by_name
from . import tree as trees
from .filters import HID, P, MemberOf, person_clause

REFERENCES = {"ward": (Ward, "ward"), "neighbourhood": (Neighbourhood, "neighbourhood"),
              "walk_list": (WalkList, "walk list"), "voted": (Election, "election"), "did_not_vote": (Election, "election")}


@dataclass(frozen=True)
class Counts:
    people: int
    households: int

    def as_dict(self) -> dict:
        return {"people": self.people, "households": self.households}


def _settings(settings: Settings | None) -> Settings:
    if settings is not None:
        return settings
    from ..config import settings as current

    return current()


def _where(tree: dict, settings: Settings, scope: Scope | None, reach_shares: dict[int, float] | None = None):
    clause = person_clause(tree, settings=settings, reach_shares=reach_shares)
    if scope is not None:
        hid = Household.__table__.c
        clause = sa.and_(clause, MemberOf(HID, sa.select(hid.id).where(
            scope_area_clause(scope, hid.ward_id, hid.neighbourhood_id))))
    return clause


def people_select(tree: dict, *, settings: Settings, scope: Scope | None = None) -> sa.Select:
    """SELECT people.id of the (canonical) tree's people."""
    return sa.select(P.id).where(_where(tree, settings, scope))


def households_select(tree: dict, *, settings: Settings, scope: Scope | None = None) -> sa.Select:
    """SELECT the households with at least one of the tree's people (each once)."""
    return sa.select(P.household_id).where(_where(tree, settings, scope)).distinct()


def count(session: Session, *, tree: dict, settings: Settings, scope: Scope | None = None) -> Counts:
    """People and households in the tree, in one pass over people."""
    asks_reach = any(node["kind"] in ("reached", "never_reached") for node, _where_in in trees.walk(tree))
    where = _where(tree, settings, scope, reach.shares(session.connection()) if asks_reach else None)
    if is_sqlite(session):
        people, households = session.execute(sa.select(sa.func.count(), sa.func.count(sa.distinct(P.household_id)))
                                             .where(where)).one()
        return Counts(people, households)
    # PostgreSQL's count(DISTINCT) sorts every row in one process (spilling to disk over a state);
    # grouped, it reads ix_people_household_id in order (index-only) or hashes in parallel workers.
    per = sa.select(P.household_id, sa.func.count().label("n")).where(where).group_by(P.household_id).subquery()
    people, households = session.execute(sa.select(sa.func.coalesce(sa.func.sum(per.c.n), 0),
                                                   sa.func.count())).one()
    return Counts(int(people), households)


def people_at_most(session: Session, *, limit: int) -> bool:
    """Does the campaign hold at most ``limit`` people? Told by the highest person id (one probe of
    the primary key), not a count: a state's count of its people is itself a pass over millions."""
    highest = session.execute(sa.select(sa.func.max(P.id))).scalar()
    return (highest or 0) <= limit


def check_references(session: Session, *, tree: dict) -> None:
    """Every ward, neighbourhood, walk list and election the tree names exists (ValidationError
    naming the first condition that names one that does not)."""
    for node, where in trees.walk(tree):
        ref = REFERENCES.get(node["kind"])
        if ref is None:
            continue
        model, what = ref
        ids = node["ids"] if "ids" in node else [node["election_id"]]
        found = set(session.exec(select(model.id).where(model.id.in_(ids))).all())
        missing = [i for i in ids if i not in found]
        if missing:
            raise where.error(f"there is no {what} {missing[0]}.")


def checked(session: Session, raw, *, settings: Settings) -> dict:
    """A submitted tree (dict or JSON text), checked: its canonical form."""
    tree = trees.parse(raw, settings=settings)
    check_references(session, tree=tree)
    return tree


def get_universe(session: Session, *, universe_id: int) -> Universe:
    universe = session.get(Universe, universe_id)
    if universe is None:
        raise NotFound("There is no such universe.")
    return universe


def definition(universe: Universe, *, settings: Settings) -> dict:
    """A saved universe's tree, checked against today's settings (a support level or outcome code
    taken out of config.toml since it was saved is an error that says which condition)."""
    try:
        return trees.parse(universe.definition, settings=settings)
    except ValidationError as err:
        raise ValidationError(f"Universe “{universe.name}” needs editing: {err.message}") from None


def universe_people(session: Session, *, universe_id: int, settings: Settings | None = None,
                    scope: Scope | None = None) -> sa.Select:
    """SELECT people.id of a saved universe's people (NotFound, or ValidationError if stale)."""
    settings = _settings(settings)
    return people_select(definition(get_universe(session, universe_id=universe_id), settings=settings),
                         settings=settings, scope=scope)


def universe_households(session: Session, *, universe_id: int, settings: Settings | None = None,
                        scope: Scope | None = None) -> sa.Select:
    """SELECT household ids with at least one of a saved universe's people."""
    settings = _settings(settings)
    return households_select(definition(get_universe(session, universe_id=universe_id), settings=settings),
                             settings=settings, scope=scope)


def all_universes(session: Session) -> list[Universe]:
    return by_name(session.exec(select(Universe)).all())


def choices(session: Session) -> list[tuple[str, str]]:
    """The cut and call-sheet forms' "Universe (optional)" menu: ("", none) then every universe."""
    return [("", "Everyone in the area")] + [(str(u.id), u.name) for u in all_universes(session)]
