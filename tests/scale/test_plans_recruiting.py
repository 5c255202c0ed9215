"""The recruiting chains page and a volunteer's home page on a made-up statewide campaign
(tests/scale/conftest.py): the chains page's rungs take a row per volunteer from the day rollup
(their recent weeks, summed in SQL), not every volunteer's every day worked (5,000 volunteers' days
in Python were 2.5 s of a 3 s page); a volunteer's streak reads their own day rows by
ix_activity_days_actor, not a pass over the state's."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import db as dbmod
from tests.scale.plans import Captured, login

pytestmark = pytest.mark.timeout(900)


def _explained(engine, statements, *, small_area: bool):
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        if small_area:  # as the other plan checks: a small part of a big state
            for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
                cursor.execute(f"SET {setting} = off")
        for statement, parameters in statements:
            if "activity_days" in statement:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters or None)
                yield statement, cursor.fetchone()[0][0]["Plan"]
        conn.rollback()


def _day_reads(plan: dict) -> list[tuple[str, str, int]]:
    """(node, index, rows kept) of each read of the day rollup; a bitmap scan's index is its bitmap's.
    A condition on a later column of the primary key reads the whole index: the index tells."""
    found = []
    if plan.get("Relation Name") == "activity_days":
        index = plan.get("Index Name") or ",".join(c.get("Index Name", "?") for c in plan.get("Plans", []))
        found.append((plan["Node Type"], index, plan["Actual Rows"] * plan["Actual Loops"]))
    return found + [r for child in plan.get("Plans", []) for r in _day_reads(child)]


@pytest.mark.shared_data
def test_the_chains_page_takes_a_row_per_volunteer_from_the_day_rollup(statewide_app):
    client = statewide_app.test_client()
    login(client, "organiser@example.org")
    engine = dbmod.engine_for(statewide_app)
    with Captured(engine) as captured:
        response = client.get("/recruiting")
    assert response.status_code == 200
    with engine.connect() as conn:
        volunteers = conn.execute(sa.text("SELECT count(*) FROM users WHERE roles LIKE '%volunteer%'")).scalar_one()
        days = conn.execute(sa.text("SELECT count(DISTINCT (actor_user_id, day)) FROM activity_days "
                                    "WHERE actor_user_id > 0")).scalar_one()
    assert days > 5 * volunteers  # the campaign's volunteers worked many days each
    returned = [(plan["Actual Rows"], " ".join(statement.split())[:300])
                for statement, plan in _explained(engine, captured.statements, small_area=False)]
    assert returned and sum(n for n, _ in returned) <= volunteers, returned


@pytest.mark.shared_data
def test_a_volunteers_streak_reads_only_their_own_day_rows(statewide_app, places):
    client = statewide_app.test_client()
    login(client, places["canvasser"])
    engine = dbmod.engine_for(statewide_app)
    with Captured(engine) as captured:
        response = client.get("/me")
    assert response.status_code == 200
    with engine.connect() as conn:
        own = conn.execute(sa.text("SELECT count(*) FROM activity_days d JOIN users u ON u.id = d.actor_user_id "
                                   "WHERE u.email = :e"), {"e": places["canvasser"]}).scalar_one()
        every = conn.execute(sa.text("SELECT count(*) FROM activity_days")).scalar_one()
    assert 0 < own < every / 10
    reads = [(read, " ".join(statement.split())[:300])
             for statement, plan in _explained(engine, captured.statements, small_area=True) for read in _day_reads(plan)]
    assert reads and all(index == "ix_activity_days_actor" and rows <= own for (_n, index, rows), _ in reads), reads
