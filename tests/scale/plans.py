"""What the query-plan checks share: the SELECTs a request sends, captured; each EXPLAINed (ANALYZE)
with the planner's whole-table choices priced out, and the plans that read a big table by a
sequential scan, or read more rows of it than an area holds, named (see test_query_plans)."""
from __future__ import annotations

import re

import sqlalchemy as sa

PASSWORD = "statewide password"
# A page about one area reads that area's rows; more than this from one table is a read of the state.
AREA_ROWS = 10_000


def _problems(plan: dict, big: frozenset[str], *, whole_state: bool) -> list[str]:
    found = []
    table = plan.get("Relation Name")
    if table in big:
        if plan.get("Node Type") == "Seq Scan":
            found.append(f"Seq Scan on {table}")
        elif not whole_state and plan["Actual Rows"] * plan["Actual Loops"] > AREA_ROWS:
            found.append(f"{plan['Node Type']} reading {plan['Actual Rows'] * plan['Actual Loops']:,} rows of {table}")
    for child in plan.get("Plans", []):
        found += _problems(child, big, whole_state=whole_state)
    return found


class Captured:
    """The SELECTs an engine sends while it is listened to, with their parameters."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def __enter__(self):
        sa.event.listen(self.engine, "before_cursor_execute", self._capture)
        return self

    def __exit__(self, *exc):
        sa.event.remove(self.engine, "before_cursor_execute", self._capture)

    def _capture(self, _conn, _cursor, statement, parameters, _context, executemany):
        head = statement.lstrip()[:6].upper()
        if head in ("SELECT", "WITH R", "WITH ") or head.startswith("WITH"):
            if not executemany:
                self.statements.append((statement, parameters))


def bad_plans(engine, statements, big, *, whole_state: bool = False) -> list[str]:
    problems = []
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
            cursor.execute(f"SET {setting} = off")
        for statement, parameters in statements:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters or None)
            plan = cursor.fetchone()[0][0]["Plan"]
            for problem in _problems(plan, big, whole_state=whole_state):
                problems.append(f"{problem}: {' '.join(statement.split())[:600]}")
        conn.rollback()
    return problems


def login(client, email: str) -> str:
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/", follow_redirects=True).get_data(as_text=True)).group(1)


def explained(engine, statements) -> list[tuple[str, dict]]:
    """(statement on one line, its analysed plan) of each captured statement, as the planner plans
    them here (no whole-table choices priced out: what these checks read is the plan's shape)."""
    out = []
    with engine.connect() as conn:
        cursor = conn.connection.driver_connection.cursor()
        for statement, parameters in statements:
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters or None)
            out.append((" ".join(statement.split()), cursor.fetchone()[0][0]["Plan"]))
        conn.rollback()
    return out


def nodes(plan: dict):
    """A plan's nodes, the plan first."""
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)
