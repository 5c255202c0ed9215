"""Every hot organiser page (and the door-knock post) of a made-up statewide campaign, requested
through the test client while every SELECT it sends is captured; each is EXPLAINed (ANALYZE: run, with
its own parameters, rows counted), and a plan that reads a big table (> 10,000 rows) by a sequential scan fails, naming
the page, the table and the query. A slow query cannot creep back onto a page's path unnoticed,
without a timed test (times depend on the machine; plans do not).

The campaign here is a small state (60,000 doors, wards of 2,500 as at full size), where one ward
is 4% of the doors, not 0.1%: reading a whole table in one pass (a sequential scan, or a hash or
merge join over all of it) is then sometimes cheaper than a few thousand index probes, a choice
the planner would not make at 2.5 million. So the plans are made with those priced out
(enable_seqscan, enable_hashjoin and enable_mergejoin off), as the planner plans for a small area
of a big state: a sequential scan still left in such a plan is one no index can replace, and a
scan still reading more than AREA_ROWS rows of a big table reads much of the state (a missing
index, or a query written so that no index applies): what would be slow at full size.
"""
from __future__ import annotations

import json
import uuid
from datetime import datetime, timezone

import pytest

from app import db as dbmod
from tests.scale.plans import AREA_ROWS, Captured, bad_plans, login

# The first test builds the campaign (the session fixture): a minute or two, more on a busy machine.
pytestmark = pytest.mark.timeout(900)


# Pages whose figures are the whole state's (checked for sequential scans, not for rows read; their
# times at 2.5 million doors are in BENCHMARKS.md).
WHOLE_STATE = {
    # Areas and coverage are read from the per-area rollups (a row per area), the fortnight from
    # the hour rollup; the busiest lists and volunteers of today or a week still sum its day-rollup
    # rows (one pass each; all time reads activity_totals: checked below).
    "/organiser/dashboard": "the period's busiest lists and volunteers (a pass over its day-rollup rows)",
    "universe": "a universe over the state is one pass over people by design (app/universes/filters.py); "
                "one in a ward reads that ward's people (checked as an area's page)",
}


ORGANISER_PAGES = [
    "/organiser/",
    "/organiser/dashboard",
    "/organiser/dashboard?period=7d",
    "/organiser/dashboard?period=all",
    "/organiser/dashboard?ward={ward}",
    "/organiser/dashboard?ward={ward}&period=all",
    "/organiser/lists",
    "/organiser/lists?area=ward:{ward}&state=in_progress",
    "/organiser/lists?area=hood:{hood}",
    "/organiser/lists/{list}",
    "/maps/?ward={ward}",
    "/maps/neighbourhoods/{hood}",
    "/maps/city",
    "/organiser/volunteers",
    "/organiser/audit",
    "/organiser/audit?action=login&page=3",
    "/organiser/pickers/areas?q=ward%205",
    "/organiser/pickers/areas?q=precinct%201",
    "/organiser/lists/{list}/assignable?q=an",
    "/organiser/lists/{list}/assignable?q=volunteer00012",
    "/phonebank/",
]
UNIVERSES = {
    "everyone": {"kind": "and", "of": []},
    "supporters with a phone in a ward": {"kind": "and", "of": [
        {"kind": "ward", "ids": ["{ward}"]}, {"kind": "support", "levels": ["1", "2"]}, {"kind": "has_phone"}]},
    "attempted at the door in a ward": {"kind": "and", "of": [
        {"kind": "ward", "ids": ["{ward}"]}, {"kind": "attempted", "channel": "door"}]},
}


def _fill(value, places):
    if isinstance(value, str):
        return int(places["ward"]) if value == "{ward}" else value.format(**places)
    if isinstance(value, list):
        return [_fill(v, places) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, places) for k, v in value.items()}
    return value


@pytest.mark.shared_data
@pytest.mark.parametrize("path", ORGANISER_PAGES)
def test_organiser_pages_read_no_big_table_by_a_sequential_scan(statewide_app, big_tables, places, path):
    client = statewide_app.test_client()
    login(client, "organiser@example.org")
    url = path.format(**places)
    with Captured(dbmod.engine_for(statewide_app)) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    problems = bad_plans(dbmod.engine_for(statewide_app), captured.statements, big_tables,
                          whole_state=path.split("?")[0] in WHOLE_STATE)
    assert not problems, f"{url}:\n" + "\n".join(problems)


@pytest.mark.shared_data
def test_cutting_a_precinct_reads_only_that_precinct(statewide_app, big_tables, places):
    client = statewide_app.test_client()
    token = login(client, "organiser@example.org")
    with Captured(dbmod.engine_for(statewide_app)) as captured:
        response = client.post("/organiser/lists/preview", data={
            "area": f"hood:{places['hood']}", "target_size": 50, "csrf_token": token})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    problems = bad_plans(dbmod.engine_for(statewide_app), captured.statements, big_tables)
    assert not problems, "POST /organiser/lists/preview:\n" + "\n".join(problems)


@pytest.mark.shared_data
@pytest.mark.parametrize("name", sorted(UNIVERSES))
def test_universe_counts_read_no_big_table_by_a_sequential_scan(statewide_app, big_tables, places, name):
    client = statewide_app.test_client()
    token = login(client, "organiser@example.org")
    with Captured(dbmod.engine_for(statewide_app)) as captured:
        response = client.post("/organiser/universes/count", json={"definition": _fill(UNIVERSES[name], places)},
                               headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    problems = bad_plans(dbmod.engine_for(statewide_app), captured.statements, big_tables,
                          whole_state="in a ward" not in name)
    assert not problems, f"universe {name!r}:\n" + "\n".join(problems)


@pytest.mark.shared_data
def test_a_door_knock_reads_no_big_table_by_a_sequential_scan(statewide_app, big_tables, places):
    client = statewide_app.test_client()
    token = login(client, places["canvasser"])
    outcome = {"id": str(uuid.uuid4()), "household_id": places["door"], "walk_list_id": places["list"],
               "code": "not_home", "recorded_at": datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")}
    with Captured(dbmod.engine_for(statewide_app)) as captured:
        response = client.post("/api/outcomes", json={"outcomes": [outcome]}, headers={"X-CSRFToken": token})
        listed = client.get(f"/api/lists/{places['list']}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert listed.status_code == 200
    problems = bad_plans(dbmod.engine_for(statewide_app), captured.statements, big_tables)
    assert not problems, "POST /api/outcomes, GET /api/lists/<id>:\n" + "\n".join(problems)


def _unaggregated_reads(plan: dict, table: str, *, counted: bool = False) -> list[tuple[str, int]]:
    """(node type, rows read) of each read of ``table`` whose rows are not only counted (below an Aggregate)."""
    counted = counted or plan.get("Node Type") == "Aggregate"
    found = [] if counted or plan.get("Relation Name") != table else [
        (plan["Node Type"], plan["Actual Rows"] * plan["Actual Loops"])]
    for child in plan.get("Plans", []):
        found += _unaggregated_reads(child, table, counted=counted)
    return found


@pytest.mark.shared_data
@pytest.mark.parametrize("path", ["/organiser/lists", "/organiser/lists?page=3"])
def test_the_list_of_lists_reads_one_page_of_lists_in_order_from_the_index(statewide_app, places, path):
    """The lists come in order from ix_walk_lists_order (their stored sort keys), a page at a time:
    no read of every matching list to sort their names in Python (a state has 52,000), and no
    sort of them in SQL either. Only counting them reads them all."""
    from app.organiser.list_filter import PAGE_SIZE

    client = statewide_app.test_client()
    login(client, "organiser@example.org")
    engine = dbmod.engine_for(statewide_app)
    with Captured(engine) as captured:
        assert client.get(path).status_code == 200
    page = int(path.partition("page=")[2] or 1)
    problems = []
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):  # as bad_plans: a big state's plan
            cursor.execute(f"SET {setting} = off")
        for statement, parameters in captured.statements:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters or None)
            plan = cursor.fetchone()[0][0]["Plan"]
            problems += [f"{node} reading {rows:,} lists: {' '.join(statement.split())[:300]}"
                         for node, rows in _unaggregated_reads(plan, "walk_lists") if rows > page * PAGE_SIZE]
            if "walk_lists.sort_key" in statement and '"Node Type": "Sort"' in json.dumps(plan):
                problems.append(f"the lists sorted, not read in order: {' '.join(statement.split())[:300]}")
        conn.rollback()
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.shared_data
def test_the_state_dashboard_all_time_reads_no_day_rows(statewide_app, places):
    """All time everywhere reads the all-time rollups (areas, lists and volunteers) and the hour
    rollup (the fortnight and today): none of the day rollup's rows, 500,000 in a state."""
    client = statewide_app.test_client()
    login(client, "organiser@example.org")
    engine = dbmod.engine_for(statewide_app)
    with Captured(engine) as captured:
        assert client.get("/organiser/dashboard?period=all").status_code == 200
    read = []
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        for statement, parameters in captured.statements:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters or None)
            plan = cursor.fetchone()[0][0]["Plan"]
            read += [f"{node} reading {rows:,} day rows: {' '.join(statement.split())[:300]}"
                     for node, rows in _every_read(plan, "activity_days")]
        conn.rollback()
    assert not read, "\n".join(read)


def _every_read(plan: dict, table: str) -> list[tuple[str, int]]:
    found = [(plan["Node Type"], plan["Actual Rows"] * plan["Actual Loops"])] if plan.get("Relation Name") == table else []
    for child in plan.get("Plans", []):
        found += _every_read(child, table)
    return found


def _reads(plan: dict):
    """(table, node type, index, rows) of every scan in a plan; a bitmap heap scan's index is its
    bitmap index scans' (one, or several ANDed or ORed)."""
    if "Relation Name" in plan:
        index = plan.get("Index Name")
        if plan["Node Type"] == "Bitmap Heap Scan":
            index = ",".join(sorted({i for _t, _n, i, _r in _reads_bitmap(plan)}))
        yield plan["Relation Name"], plan["Node Type"], index, plan["Actual Rows"] * plan["Actual Loops"]
        if plan["Node Type"] == "Bitmap Heap Scan":
            return
    for child in plan.get("Plans", []):
        yield from _reads(child)


def _reads_bitmap(plan: dict):
    for child in plan.get("Plans", []):
        if child["Node Type"] == "Bitmap Index Scan":
            yield None, child["Node Type"], child["Index Name"], 0
        yield from _reads_bitmap(child)


@pytest.mark.shared_data
def test_never_reached_reads_only_the_households_never_reached(statewide_app, places):
    """The state's "never reached at the door" reads the households whose bit is clear by
    ix_households_reached (app/contacts/reach.py), and their people: no more rows of either than the
    universe holds. It anti-joined every reached household's summary (1.3 s at 2.5 million)."""
    client = statewide_app.test_client()
    token = login(client, "organiser@example.org")
    engine = dbmod.engine_for(statewide_app)
    with Captured(engine) as captured:
        response = client.post("/organiser/universes/count", json={"definition": {"kind": "never_reached", "channel": "door"}},
                               headers={"X-CSRFToken": token})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    counted = response.get_json()
    assert 0 < counted["households"]
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):  # as a small area of a big state
            cursor.execute(f"SET {setting} = off")
        reads = []
        for statement, parameters in captured.statements:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters or None)
            reads += _reads(cursor.fetchone()[0][0]["Plan"])
        conn.rollback()
    households = [r for r in reads if r[0] == "households"]
    assert households and all(index == "ix_households_reached" for _t, _n, index, _r in households), reads
    assert sum(r[3] for r in households) <= counted["households"], reads
    # EXPLAIN rounds each loop's rows: 2 a household for 2.004 (its people read by ix_people_household_id).
    assert sum(r[3] for r in reads if r[0] == "people") <= 2 * counted["people"], reads
    assert not [r for r in reads if r[0] in ("household_summaries", "contact_events")], reads
