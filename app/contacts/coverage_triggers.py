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

# (sign, row): -1 with OLD takes a household out of its area, +1 with NEW puts it in.
_ADD = """INSERT INTO area_coverage (ward_id, neighbourhood_id, households, door_attempted, door_contacted,
    phone_attempted, phone_contacted, relational_contacted)
  SELECT COALESCE({row}.ward_id, 0), COALESCE({row}.neighbourhood_id, 0), {sign},
    {sign} * COALESCE(SUM(CASE WHEN s.door_events > 0 THEN 1 ELSE 0 END), 0),
    {sign} * COALESCE(SUM(CASE WHEN s.door_contacts > 0 THEN 1 ELSE 0 END), 0),
    {sign} * COALESCE(SUM(CASE WHEN s.phone_events > 0 THEN 1 ELSE 0 END), 0),
    {sign} * COALESCE(SUM(CASE WHEN s.phone_contacts > 0 THEN 1 ELSE 0 END), 0),
    {sign} * COALESCE(SUM(CASE WHEN s.relational_contacts > 0 THEN 1 ELSE 0 END), 0)
  FROM (SELECT 1 AS one) AS one LEFT JOIN household_summaries AS s ON s.household_id = {row}.id WHERE 1 = 1
  ON CONFLICT (ward_id, neighbourhood_id) DO UPDATE SET households = area_coverage.households + excluded.households,
    door_attempted = area_coverage.door_attempted + excluded.door_attempted,
    door_contacted = area_coverage.door_contacted + excluded.door_contacted,
    phone_attempted = area_coverage.phone_attempted + excluded.phone_attempted,
    phone_contacted = area_coverage.phone_contacted + excluded.phone_contacted,
    relational_contacted = area_coverage.relational_contacted + excluded.relational_contacted;"""
_OUT, _IN = _ADD.format(sign=-1, row="OLD"), _ADD.format(sign=1, row="NEW")
_MOVED = ("COALESCE(OLD.ward_id, 0) <> COALESCE(NEW.ward_id, 0) "
          "OR COALESCE(OLD.neighbourhood_id, 0) <> COALESCE(NEW.neighbourhood_id, 0)")

SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS households_coverage_insert AFTER INSERT ON households BEGIN {_IN} END",
    f"CREATE TRIGGER IF NOT EXISTS households_coverage_delete AFTER DELETE ON households BEGIN {_OUT} END",
    f"CREATE TRIGGER IF NOT EXISTS households_coverage_move AFTER UPDATE OF ward_id, neighbourhood_id ON households "
    f"WHEN {_MOVED} BEGIN {_OUT} {_IN} END",
]
POSTGRESQL = [
    f"""CREATE OR REPLACE FUNCTION households_coverage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN {_OUT} END IF;
  IF TG_OP IN ('UPDATE', 'INSERT') THEN {_IN} END IF;
  RETURN NULL;
END $$""",
    "CREATE OR REPLACE TRIGGER households_coverage_change AFTER INSERT OR DELETE ON households "
    "FOR EACH ROW EXECUTE FUNCTION households_coverage()",
    "CREATE OR REPLACE TRIGGER households_coverage_move AFTER UPDATE OF ward_id, neighbourhood_id ON households "
    f"FOR EACH ROW WHEN ({_MOVED}) EXECUTE FUNCTION households_coverage()",
]
DROP = {"sqlite": ["DROP TRIGGER IF EXISTS households_coverage_insert", "DROP TRIGGER IF EXISTS households_coverage_delete",
                   "DROP TRIGGER IF EXISTS households_coverage_move"],
        "postgresql": ["DROP TRIGGER IF EXISTS households_coverage_change ON households",
                       "DROP TRIGGER IF EXISTS households_coverage_move ON households",
                       "DROP FUNCTION IF EXISTS households_coverage()"]}


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
