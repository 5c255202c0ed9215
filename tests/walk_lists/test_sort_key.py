"""The lists' stored sort keys (app.sorting.sort_key, WalkList.sort_key): the database orders them
exactly as natural_key orders the names in Python, on SQLite and on PostgreSQL; every way a list
is stored or renamed keeps its key; migration 0022 and ``flask init-db`` fill the keys of lists
stored without them."""
from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from app import db as dbmod
from app.db import write_transaction
from app.migrate import upgrade
from app.models import ListStatus, WalkList
from app.organiser.list_filter import page_of_lists
from app.sorting import natural_key, sort_key
from app.walk_lists.names import rename_list
from app.walk_lists.sort_keys import refresh_sort_keys

# Names as people and imports write them: digits and separators often, any other character
# PostgreSQL can store (no NUL, no lone surrogate), control characters included.
CHARS = st.one_of(st.sampled_from("0123456789 ·-aAbZß٣𝟏\x01\x02"),
                  st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"))
NAMES = st.text(alphabet=CHARS, max_size=16)
# Runs of 29, 30 and 31 digits: where natural_key's 30-place padding stops ordering by value.
LONG_RUNS = ["a" + "9" * 29, "a1" + "0" * 29, "a1" + "0" * 30, "a1" + "0" * 28 + "1", "a2" + "0" * 28,
             "a" + "0" * 40 + "5", "a1", "a01", "a 1", "a", "", "A1b", "a1\x01"]


@settings(max_examples=500, deadline=None)
@given(names=st.lists(NAMES, max_size=30))
def test_sort_key_orders_as_natural_key(names):
    assert sorted(names, key=sort_key) == sorted(names, key=natural_key)


def test_sort_key_orders_long_digit_runs_as_natural_key():
    assert sorted(LONG_RUNS, key=sort_key) == sorted(LONG_RUNS, key=natural_key)
    assert all("\x00" not in sort_key(n) for n in LONG_RUNS + ["a\x00b"])


def _store(db, names, statuses=None) -> list[int]:
    statuses = statuses or [ListStatus.ACTIVE] * len(names)
    rows = [WalkList(name=n, code=uuid.uuid4().hex[:12].upper(), status=s) for n, s in zip(names, statuses)]
    db.add_all(rows)
    db.flush()
    return [r.id for r in rows]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(NAMES, min_size=1, max_size=25), released=st.lists(st.booleans(), max_size=25),
       page_size=st.integers(1, 9))
def test_the_list_of_lists_pages_in_natural_order_in_sql(db, names, released, page_size):
    """Page after page, the lists come as Python's sort by (status, natural_key) puts them."""
    statuses = [ListStatus.RELEASED if i < len(released) and released[i] else ListStatus.ACTIVE
                for i in range(len(names))]
    try:
        _store(db, names, statuses)
        first = page_of_lists(db, scope=None, page_size=page_size)
        shown = [(w.status, w.name) for p in range(1, first.pages + 1)
                 for w in page_of_lists(db, scope=None, page=p, page_size=page_size).lists]
        in_sql = db.execute(sa.select(WalkList.name).order_by(WalkList.sort_key, WalkList.id)).scalars().all()
    finally:
        db.rollback()
    assert shown == sorted(zip(statuses, names), key=lambda p: (p[0], natural_key(p[1])))
    assert in_sql == sorted(names, key=natural_key)


def test_every_way_a_list_is_stored_or_renamed_keeps_its_key(db):
    [orm] = _store(db, ["Ward 9 · 10"])
    db.execute(sa.insert(WalkList), [{"name": f"Core · {n}", "code": f"CORE{n}"} for n in (2, 10)])
    db.commit()
    write_transaction(db, lambda s: rename_list(s, walk_list_id=orm, name="Riverside 3", by_id=None))
    by_hand = db.execute(sa.select(WalkList).where(WalkList.code == "CORE2")).scalar_one()
    by_hand.name = "Ward 9 · 1"  # a bare attribute change too (tests and scripts do this)
    db.commit()
    stored = db.execute(sa.select(WalkList.__table__.c.name, WalkList.__table__.c.sort_key)).all()
    assert sorted(stored) == sorted((name, sort_key(name)) for name in ("Riverside 3", "Ward 9 · 1", "Core · 10"))


def test_refresh_rewrites_only_stale_keys(db):
    ids = _store(db, [f"List {n}" for n in (1, 2, 10)])
    db.commit()
    db.execute(sa.update(WalkList).where(WalkList.id.in_(ids[1:])).values(sort_key=""))
    assert refresh_sort_keys(db.connection()) == 2
    assert refresh_sort_keys(db.connection()) == 0
    db.commit()
    assert db.execute(sa.select(WalkList.name).order_by(WalkList.sort_key)).scalars().all() == ["List 1", "List 2", "List 10"]


@pytest.mark.parametrize("name", ["𝟏ῷ" * 60, "1 " * 59 + "1", "ῷ" * 120, "9" * 120])
def test_the_key_of_the_longest_name_fits_the_index(db, name):
    """120 characters of digit runs and of letters that casefold longer: the key stays small
    enough for a PostgreSQL index entry (natural_key's 30-place padding would not)."""
    [lid] = _store(db, [name])
    db.commit()
    assert db.get(WalkList, lid).sort_key == sort_key(name) and len(sort_key(name).encode()) < 2000


def test_postgresql_orders_the_keys_bytewise(db):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite's default collation (BINARY) is bytewise already")
    collation = db.execute(sa.text("SELECT collation_name FROM information_schema.columns "
                                   "WHERE table_name = 'walk_lists' AND column_name = 'sort_key' "
                                   "AND table_schema = current_schema()")).scalar_one()
    assert collation == "C"


def test_0022_keys_the_lists_already_stored(app):
    engine = dbmod.engine_for(app)
    dbmod.drop_all(app)
    try:
        upgrade(app, "0021")
        with engine.begin() as conn:
            for n in (10, 2, 1):
                conn.execute(sa.text("INSERT INTO walk_lists (name, code, status, door_count, length_m, est_minutes, "
                                     "created_at) VALUES (:name, :code, 'active', 0, 0, 0, CURRENT_TIMESTAMP)"),
                             {"name": f"Ward 9 · {n}", "code": f"C{n}"})
        upgrade(app)
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT name, sort_key FROM walk_lists ORDER BY sort_key")).all()
            indexes = {i["name"] for i in sa.inspect(conn).get_indexes("walk_lists")}
        assert rows == [(f"Ward 9 · {n}", sort_key(f"Ward 9 · {n}")) for n in (1, 2, 10)]
        assert "ix_walk_lists_order" in indexes
    finally:
        dbmod.drop_all(app)
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        dbmod.create_all(app)
