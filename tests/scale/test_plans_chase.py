"""The plans of issue 22's chase and people-you-know queries on a made-up statewide campaign
(tests/scale/conftest.py), as test_query_plans.py checks the other hot pages: every SELECT a page
sends is captured and EXPLAINed (ANALYZE). The generated state has no election, so a third of its
people are given a ballot here first (removed afterwards), and a team of volunteers.

- The people-you-know figures read contact events only through the partial index of talks
  (migration 0025), never the state's door knocks and calls.
- The chase page for one ward or precinct reads that area's rows, and the state's page counts
  at most its cap's worth of the list (the by-status table is the state's by design: one pass
  over the ballots).
- Past ``ballot_tally_above`` ballots the state's page reads no more than its bounds (the capped
  list count, the check of how many ballots there are, the kept tally): only the recount, after
  the page, reads every ballot.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from app import db as dbmod
from tests.scale.plans import AREA_ROWS, Captured, bad_plans, explained, login, nodes

pytestmark = pytest.mark.timeout(900)
TEAM = "Plan-check team"


@pytest.fixture(scope="module")
def election(statewide_app):
    """Ballots for a third of the state, a team of five volunteers, the ward and precinct asked
    about; all of it removed afterwards (the campaign is shared by the scale tests)."""
    engine = dbmod.engine_for(statewide_app)
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO ballot_statuses (person_id, status, status_date, updated_at) "
                             "SELECT id, (ARRAY['requested','sent','returned','voted_early','rejected'])[1 + id % 5], "
                             "NULL, now() FROM people WHERE id % 3 = 0"))
        team = conn.execute(sa.text("INSERT INTO teams (name, created_at) VALUES (:n, now()) RETURNING id"),
                            {"n": TEAM}).scalar_one()
        conn.execute(sa.text("INSERT INTO team_members (team_id, user_id, is_lead, joined_at) "
                             "SELECT :t, id, false, now() FROM users ORDER BY id LIMIT 5"), {"t": team})
        ward = conn.execute(sa.text("SELECT id FROM wards ORDER BY id OFFSET (SELECT count(*) / 2 FROM wards) LIMIT 1")).scalar_one()
        hood = conn.execute(sa.text("SELECT min(id) FROM neighbourhoods WHERE ward_id = :w"), {"w": ward}).scalar_one()
    with engine.connect() as conn:
        conn.execute(sa.text("ANALYZE ballot_statuses"))
        big = frozenset(conn.execute(sa.text("SELECT relname FROM pg_class WHERE relkind = 'r' AND reltuples > 10000 "
                                             "AND relnamespace = 'public'::regnamespace")).scalars())
        conn.commit()
    yield {"ward": ward, "hood": hood, "big": big}
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM ballot_statuses"))
        conn.execute(sa.text("DELETE FROM team_members WHERE team_id = :t"), {"t": team})
        conn.execute(sa.text("DELETE FROM teams WHERE id = :t"), {"t": team})
    with engine.connect() as conn:
        conn.execute(sa.text("ANALYZE ballot_statuses"))
        conn.commit()


def _captured(app, url: str) -> list:
    client = app.test_client()
    login(client, "organiser@example.org")
    with Captured(dbmod.engine_for(app)) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    return captured.statements


@pytest.mark.shared_data
def test_people_you_know_reads_only_the_talks(statewide_app, election):
    engine = dbmod.engine_for(statewide_app)
    reads = [(sql, node.get("Node Type"), node.get("Index Name"))
             for sql, plan in explained(engine, _captured(statewide_app, "/organiser/people-you-know"))
             for node in nodes(plan) if node.get("Relation Name") == "contact_events"]
    assert len({sql for sql, *_ in reads}) >= 2  # the page's team and everyone's
    wrong = [read for read in reads if read[2] != "ix_contact_events_relational"]
    assert not wrong, "\n".join(f"{kind} {index or ''}: {sql[:400]}" for sql, kind, index in wrong)


@pytest.mark.shared_data
@pytest.mark.parametrize("path", ["/polling-day/chase?ward={ward}", "/polling-day/chase?area=hood:{hood}",
                                  "/polling-day/chase.csv?neighbourhood={hood}"])
def test_the_chase_for_an_area_reads_that_area(statewide_app, election, path):
    url = path.format(**election)
    problems = bad_plans(dbmod.engine_for(statewide_app), _captured(statewide_app, url), election["big"])
    assert not problems, f"{url}:\n" + "\n".join(problems)


@pytest.mark.shared_data
def test_the_state_chase_counts_no_more_than_its_cap(statewide_app, election):
    from app.pollingday.views_chase import COUNT_CAP

    engine = dbmod.engine_for(statewide_app)
    statements = _captured(statewide_app, "/polling-day/chase")
    assert not bad_plans(engine, statements, election["big"], whole_state=True)
    counted = [(sql, plan) for sql, plan in explained(engine, statements)
               if "LIMIT" in sql and "count(" in sql and "person_supports" in sql]
    assert len(counted) == 1
    sql, plan = counted[0]
    # the list is a sixth of the ballots here: the cap's rows are found within a few times as many
    most = max(node["Actual Rows"] * node["Actual Loops"] for node in nodes(plan) if node.get("Relation Name"))
    assert most <= max(AREA_ROWS, 20 * COUNT_CAP), f"{most:,} rows read: {sql[:400]}"


@pytest.fixture(scope="module")
def tally_app(statewide_url):
    """The state's app with a threshold below this state's ballots: the statewide table is kept."""
    from app import create_app

    application = create_app({"SECRET_KEY": "statewide-test", "DATABASE_URL": statewide_url, "TESTING": True,
                              "RATELIMIT_ENABLED": False, "POLLINGDAY": {"ballot_tally_above": 1_000}})
    yield application
    with dbmod.engine_for(application).begin() as conn:
        conn.execute(sa.text("DELETE FROM ballot_tallies"))
    dbmod.engine_for(application).dispose()


@pytest.mark.shared_data
def test_a_state_size_chase_page_reads_only_its_bounds(tally_app, election):
    from app.pollingday.views_chase import COUNT_CAP

    engine = dbmod.engine_for(tally_app)
    for page in ("/polling-day/chase", "/polling-day/chase/counts", "/polling-day/chase"):  # uncounted, count, kept
        statements = _captured(tally_app, page)
        assert not bad_plans(engine, statements, election["big"], whole_state=True), page
        if page.endswith("/counts"):
            continue
        reads = [(node["Actual Rows"] * node["Actual Loops"], node["Relation Name"], sql)
                 for sql, plan in explained(engine, statements) for node in nodes(plan) if node.get("Relation Name")]
        assert any(table == "ballot_statuses" for _, table, _ in reads)
        most, table, sql = max(reads)
        assert most <= max(AREA_ROWS, 20 * COUNT_CAP), f"{page}: {most:,} rows of {table}: {sql[:400]}"
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT counted_at FROM ballot_tallies")).scalar_one() is not None
