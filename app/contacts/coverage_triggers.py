"""The triggers on ``households`` that keep ``area_coverage`` (app.contacts.coverage_rollup) in step
with where households are: a household added, removed or moved to another ward or neighbourhood
takes its count, and its summary's flags, with it. In the database because every importer, the
demo and the tests' fixtures write households their own way (ORM, Core, COPY).

Installed by migration 0020 and, for schemas made with ``create_all`` (tests, the demo), after
the tables are created; both are idempotent.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import SQLModel

from .coverage_rollup import COUNTS, FLAGS

_COLUMNS = ", ".join(("ward_id", "neighbourhood_id", *COUNTS))


def _upsert(select: str, target: str) -> str:
    """INSERT .. ON CONFLICT adding ``select``'s counts to area_coverage (called ``target`` in the SET)."""
    added = ",\n    ".join(f"{c} = {target}.{c} + excluded.{c}" for c in COUNTS)
    return (f"INSERT INTO area_coverage{' AS a' if target == 'a' else ''} ({_COLUMNS})\n  {select}\n"
            f"  ON CONFLICT (ward_id, neighbourhood_id) DO UPDATE SET {added};")


# (sign, row): -1 with OLD takes a household out of its area, +1 with NEW puts it in.
_SQLITE_FLAGS = ", ".join(f"{{sign}} * COALESCE(SUM(CASE WHEN s.{c} > 0 THEN 1 ELSE 0 END), 0)" for c in FLAGS.values())
_ADD = _upsert("SELECT COALESCE({row}.ward_id, 0), COALESCE({row}.neighbourhood_id, 0), {sign}, " + _SQLITE_FLAGS +
               " FROM (SELECT 1 AS one) AS one LEFT JOIN household_summaries AS s ON s.household_id = {row}.id"
               " WHERE 1 = 1", "area_coverage")
_OUT, _IN = _ADD.format(sign=-1, row="OLD"), _ADD.format(sign=1, row="NEW")
_MOVED = ("COALESCE(OLD.ward_id, 0) <> COALESCE(NEW.ward_id, 0) "
          "OR COALESCE(OLD.neighbourhood_id, 0) <> COALESCE(NEW.neighbourhood_id, 0)")

SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS households_coverage_insert AFTER INSERT ON households BEGIN {_IN} END",
    f"CREATE TRIGGER IF NOT EXISTS households_coverage_delete AFTER DELETE ON households BEGIN {_OUT} END",
    f"CREATE TRIGGER IF NOT EXISTS households_coverage_move AFTER UPDATE OF ward_id, neighbourhood_id ON households "
    f"WHEN {_MOVED} BEGIN {_OUT} {_IN} END",
]
# PostgreSQL: statement triggers over the transition tables, so a COPY or an importer's
# multi-row INSERT of a million households adds one aggregate per area, not a row at a time.
_PG_FLAGS = ", ".join(f"{{sign}} * count(*) FILTER (WHERE s.{c} > 0)" for c in FLAGS.values())
_PG_ADD = _upsert("SELECT COALESCE(r.ward_id, 0), COALESCE(r.neighbourhood_id, 0), {sign} * count(*), " + _PG_FLAGS +
                  " FROM {rows} AS r LEFT JOIN household_summaries AS s ON s.household_id = r.id"
                  " GROUP BY 1, 2 ORDER BY 1, 2", "a")
_PG_MOVED = ("(SELECT {side}.* FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id WHERE "
             "COALESCE(o.ward_id, 0) <> COALESCE(n.ward_id, 0) OR COALESCE(o.neighbourhood_id, 0) <> COALESCE(n.neighbourhood_id, 0))")


def _pg_function(name: str, body: str) -> str:
    return f"""CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  {body}
  RETURN NULL;
END $$"""


POSTGRESQL = [
    _pg_function("households_coverage_in", _PG_ADD.format(sign=1, rows="new_rows")),
    _pg_function("households_coverage_out", _PG_ADD.format(sign=-1, rows="old_rows")),
    _pg_function("households_coverage_move", _PG_ADD.format(sign=-1, rows=_PG_MOVED.format(side="o"))
                 + "\n  " + _PG_ADD.format(sign=1, rows=_PG_MOVED.format(side="n"))),
    "CREATE OR REPLACE TRIGGER households_coverage_insert AFTER INSERT ON households REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION households_coverage_in()",
    "CREATE OR REPLACE TRIGGER households_coverage_delete AFTER DELETE ON households REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION households_coverage_out()",
    "CREATE OR REPLACE TRIGGER households_coverage_move AFTER UPDATE ON households "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION households_coverage_move()",
]
DROP = {"sqlite": ["DROP TRIGGER IF EXISTS households_coverage_insert", "DROP TRIGGER IF EXISTS households_coverage_delete",
                   "DROP TRIGGER IF EXISTS households_coverage_move"],
        "postgresql": [*(f"DROP TRIGGER IF EXISTS households_coverage_{t} ON households" for t in ("insert", "delete", "move")),
                       *(f"DROP FUNCTION IF EXISTS households_coverage_{f}()" for f in ("in", "out", "move"))]}


def install(conn) -> None:
    for statement in (POSTGRESQL if conn.dialect.name == "postgresql" else SQLITE):
        conn.exec_driver_sql(statement)


def drop(conn) -> None:
    for statement in DROP.get(conn.dialect.name, []):
        conn.exec_driver_sql(statement)


@sa.event.listens_for(SQLModel.metadata, "after_create")
def _after_create(_metadata, conn, **_kw) -> None:
    if sa.inspect(conn).has_table("households") and sa.inspect(conn).has_table("area_coverage"):
        install(conn)
