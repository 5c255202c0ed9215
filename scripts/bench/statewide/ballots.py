"""Give a generated state an election's mail and early-vote ballots (the generator makes none), so
the polling-day chase page can be timed at state size:

    python -m scripts.bench.statewide ballots --db postgresql://... [--share 0.3] [--seed 1]

A made-up ``share`` of the people get a ballot-status row, chosen by a hash of their id and the
seed (the same people every run), with a mix of statuses as the office's file looks half-way
through early voting, and each status a made-up date of its own kind in the weeks before today.
Every earlier ballot is replaced (idempotent), in one INSERT ... SELECT inside the database, then
the table is ANALYZEd. It WRITES: give it the state's database (or a copy), never a real one.
"""
from __future__ import annotations

import sys
import time

import sqlalchemy as sa

# status, share of the ballots, how many days before today its date may fall (0..days)
MIX = (("requested", 0.15, 40), ("sent", 0.35, 30), ("returned", 0.35, 25), ("voted_early", 0.12, 12),
       ("rejected", 0.03, 20))
BUCKETS = 1_000_000


def _pick(seed: int, salt: int) -> str:
    """A stable pseudo-random bucket 0..BUCKETS-1 per person (no random(): a parallel plan would
    hand rows to workers in any order)."""
    return f"(abs(hashint8(p.id::bigint * 1000003 + {int(seed) * 7919 + salt})::bigint) % {BUCKETS})"


def _status_case(seed: int) -> tuple[str, str]:
    """The CASE choosing each person's status by MIX, and the one choosing its date."""
    bucket, edge, statuses, dates = _pick(seed, 1), 0.0, [], []
    for status, share, days in MIX:
        edge += share
        bound = BUCKETS if status == MIX[-1][0] else round(edge * BUCKETS)
        statuses.append(f"WHEN {bucket} < {bound} THEN '{status}'")
        dates.append(f"WHEN {bucket} < {bound} THEN current_date - ({_pick(seed, 2)} % {days + 1})::int")
    return f"CASE {' '.join(statuses)} END", f"CASE {' '.join(dates)} END"


def load(conn, *, share: float, seed: int) -> int:
    """Replace every ballot with ``share`` of the people's; returns how many were written."""
    status, when = _status_case(seed)
    conn.exec_driver_sql("DELETE FROM ballot_statuses")
    conn.exec_driver_sql("DELETE FROM ballot_tallies")  # as the app's import does: the old counts no longer hold
    # text(), not exec_driver_sql: psycopg reads the modulo's "%" as a placeholder there
    written = conn.execute(sa.text(
        f"INSERT INTO ballot_statuses (person_id, status, status_date, updated_at) "
        f"SELECT p.id, {status}, {when}, now() FROM people AS p "
        f"WHERE {_pick(seed, 0)} < {round(share * BUCKETS)} ORDER BY p.id")).rowcount
    return written


def run(url: str, *, share: float, seed: int) -> dict:
    from app import db as dbmod

    from .generate import make_app

    if not 0 <= share <= 1:
        raise SystemExit("--share must be between 0 and 1")
    app = make_app(url)
    engine = dbmod.engine_for(app)
    if engine.dialect.name != "postgresql":
        raise SystemExit("the statewide bench needs a PostgreSQL URL (postgresql://...)")
    start = time.perf_counter()
    with engine.begin() as conn:
        written = load(conn, share=share, seed=seed)
    loaded = time.perf_counter() - start
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE ballot_statuses")
        mix = dict(conn.execute(sa.text("SELECT status, count(*) FROM ballot_statuses GROUP BY 1 ORDER BY 1")).all())
        people = conn.execute(sa.text("SELECT count(*) FROM people")).scalar_one()
    engine.dispose()
    print(f"  ballots: {written:,} of {people:,} people in {loaded:.1f} s (+ VACUUM ANALYZE "
          f"{time.perf_counter() - start - loaded:.1f} s): "
          + ", ".join(f"{n:,} {s}" for s, n in mix.items()), file=sys.stderr, flush=True)
    return {"ballots": written, "people": people, "by_status": mix, "seconds": loaded}
