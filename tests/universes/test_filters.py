"""The compiled SQL selects exactly the people a plain Python reading of the tree says
(tests/universes/reference.py), for random trees over the made-up town, on SQLite and PostgreSQL."""
from __future__ import annotations

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from app.contacts import reach
from app.models import Person
from app.universes import tree as trees
from app.universes.filters import person_clause
from app.universes.queries import count, households_select, people_select
from tests.universes.reference import Reference

FLAGS = list(trees.FLAGS)


def trees_for(town, conf):
    scale = [v for v, _ in conf.support_scale]
    dates = st.none() | st.sampled_from(town.dates)
    some = lambda items: st.lists(st.sampled_from(items), min_size=1, max_size=3, unique=True)  # noqa: E731
    channel = st.sampled_from(["any", "door", "phone"])

    def dated(kind):
        return st.fixed_dictionaries({"kind": st.just(kind), "channel": channel, "from": dates, "to": dates}).filter(
            lambda n: n["from"] is None or n["to"] is None or n["from"] <= n["to"])

    def outcome(ch):
        return st.fixed_dictionaries({"kind": st.just("outcome"), "channel": st.just(ch),
                                      "codes": some(list(conf.codes(ch))), "latest": st.booleans()})

    leaves = st.one_of(
        st.fixed_dictionaries({"kind": st.just("ward"), "ids": some(town.wards)}),
        st.fixed_dictionaries({"kind": st.just("neighbourhood"), "ids": some(town.neighbourhoods)}),
        st.fixed_dictionaries({"kind": st.just("walk_list"), "ids": some(town.walk_lists)}),
        st.fixed_dictionaries({"kind": st.just("support"), "levels": st.lists(st.sampled_from(scale), max_size=3, unique=True),
                               "unknown": st.booleans()}).filter(lambda n: n["levels"] or n["unknown"]),
        dated("reached"), dated("attempted"),
        st.fixed_dictionaries({"kind": st.just("never_reached"), "channel": channel}),
        st.just({"kind": "not_home_last"}), st.just({"kind": "has_phone"}),
        outcome("door"), outcome("phone"),
        st.fixed_dictionaries({"kind": st.just("issue"), "issues": some(list(conf.issues))}),
        st.fixed_dictionaries({"kind": st.just("flag"), "flags": some(FLAGS)}),
        st.fixed_dictionaries({"kind": st.sampled_from(["voted", "did_not_vote"]),
                               "election_id": st.sampled_from(town.elections)}),
    )
    return st.recursive(leaves, lambda inner: st.one_of(
        st.fixed_dictionaries({"kind": st.sampled_from(["and", "or"]), "of": st.lists(inner, max_size=4)}),
        st.fixed_dictionaries({"kind": st.just("not"), "of": inner})), max_leaves=10)


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_the_sql_selects_what_the_reference_says(db, town, settings, data):
    tree = trees.parse(data.draw(trees_for(town, settings)), settings=settings)
    reference = Reference(town, settings)
    people = set(db.execute(people_select(tree, settings=settings)).scalars())
    # Reach read as NOT (the others), as a count does when the statistics say those are fewer.
    others = person_clause(tree, settings=settings, reach_shares=dict.fromkeys(range(8), 1.0))
    assert set(db.execute(sa.select(Person.id).where(others)).scalars()) == people
    households = set(db.execute(households_select(tree, settings=settings)).scalars())
    db.rollback()
    assert people == reference.people(tree), trees.dumps(tree)
    assert households == reference.households(tree)
    counted = count(db, tree=tree, settings=settings)
    db.rollback()
    assert (counted.people, counted.households) == (len(people), len(households))


def test_the_town_has_something_to_tell_apart(db, town, settings):
    """The property above is only worth something if each condition splits the town."""
    reference = Reference(town, settings)
    everyone = set(town.people)
    for tree in ({"kind": "support", "levels": ["1", "2"]}, {"kind": "never_reached"}, {"kind": "not_home_last"},
                 {"kind": "reached", "channel": "door", "from": town.dates[2], "to": town.dates[3]},
                 {"kind": "issue", "issues": list(settings.issues[:2])}, {"kind": "flag", "flags": ["poster"]},
                 {"kind": "has_phone"}, {"kind": "voted", "election_id": town.elections[0]},
                 {"kind": "outcome", "channel": "phone", "codes": list(settings.codes("phone"))[:3], "latest": True},
                 {"kind": "ward", "ids": town.wards[:1]}):
        chosen = reference.people(trees.parse(tree, settings=settings))
        assert chosen and chosen != everyone, tree
    assert any(h["ward_id"] is None for h in town.households.values())
    assert any(r["person_id"] is None for r in town.responses)


def test_a_household_is_in_when_any_of_its_people_is(db, town, settings):
    tree = trees.parse({"kind": "has_phone"}, settings=settings)
    households = set(db.execute(households_select(tree, settings=settings)).scalars())
    mixed = [hid for hid in households
             if any(p["household_id"] == hid and (p["phone"] is None or p["retired"]) for p in town.people.values())]
    assert mixed, "some household with a phone also has someone without one"
    assert db.execute(sa.select(sa.func.count()).select_from(households_select(tree, settings=settings).subquery())).scalar() \
        == len(households)


def test_postgresql_gets_exists_where_sqlite_gets_in(settings):
    """A negated condition is NOT EXISTS on PostgreSQL (an anti-join): its NOT IN probed the
    subquery row by row once the subquery outgrew work_mem (a state's "never reached": minutes;
    "never reached" itself now selects the households whose reached bit is clear)."""
    from sqlalchemy.dialects import postgresql, sqlite

    clause = person_clause({"kind": "not", "of": {"kind": "reached", "channel": "door", "from": None, "to": None}},
                           settings=settings)
    on_pg = str(clause.compile(dialect=postgresql.dialect()))
    on_sqlite = str(clause.compile(dialect=sqlite.dialect()))
    assert "NOT (EXISTS" in on_pg or "NOT EXISTS" in on_pg
    assert " IN (SELECT" not in on_pg
    assert " IN (SELECT" in on_sqlite


def test_reach_hashes_the_fewer_households(settings):
    """Reached and never reached select the households with (or without) the channel's bit, or NOT
    the others, whichever the statistics say are fewer: a state's "never reached at the door" is 10%
    of its households, early in a campaign 90% (PostgreSQL hashes the subquery's households)."""
    from sqlalchemy.dialects import postgresql

    def sql(kind, shares):
        return str(person_clause({"kind": kind, "channel": "door", "from": None, "to": None}, settings=settings,
                                 reach_shares=shares).compile(dialect=postgresql.dialect(),
                                                              compile_kwargs={"literal_binds": True}))

    late, early = {1: 0.6, 3: 0.3, 0: 0.06, 2: 0.04}, {0: 0.8, 2: 0.15, 1: 0.05}
    assert sql("never_reached", late).startswith("EXISTS") and "IN (0, 2, 4, 6)" in sql("never_reached", late)
    assert sql("never_reached", early).startswith("NOT EXISTS") and "IN (1, 3, 5, 7)" in sql("never_reached", early)
    assert sql("reached", late).startswith("NOT EXISTS") and "IN (0, 2, 4, 6)" in sql("reached", late)
    assert sql("reached", early).startswith("EXISTS") and "IN (1, 3, 5, 7)" in sql("reached", early)
    assert sql("never_reached", None) == sql("never_reached", late)  # no statistics: as written


def test_counts_read_the_households_reach_statistics(db, town):
    """PostgreSQL's statistics give each reached value's share (every value is among the most
    common: eight at most); SQLite has none, and the count keeps the tree as written."""
    conn = db.connection()
    if conn.dialect.name != "postgresql":
        assert reach.shares(conn) is None
        return
    conn.exec_driver_sql("ANALYZE households")
    shares = reach.shares(conn)
    assert set(shares) <= set(range(8)) and abs(sum(shares.values()) - 1) < 0.01
    db.rollback()
