"""What one "Next call" costs the database as the queue grows: claim() alone, one caller after
another, and N callers' threads claiming at once (in-process, no HTTP: the query, not the server).

    python -m scripts.bench.call_claim --db postgresql://postgres@127.0.0.1:5432/DBNAME \
        [--queue 1000,25000,100000] [--claims 200] [--threads 8]

The database needs people with +1 phones and volunteers (a generated state:
``python -m scripts.bench.statewide generate``). The queue is emptied and refilled for each size:
a bench database only.
"""
from __future__ import annotations

import argparse
import statistics
import threading
import time
from datetime import datetime, timezone

import sqlalchemy as sa

from app import db as dbmod
from app.config import settings
from app.models import CallAttempt
from app.phonebank.queue import claim

from ._cluster_pages import fill_queue
from .statewide.generate import make_app


def _callers(engine, n: int) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(sa.text("SELECT id FROM users ORDER BY id LIMIT :n"), {"n": n}).scalars())


def _claims(app, callers: list[int], now: datetime, took: list[float]) -> None:
    with app.app_context():
        for caller in callers:
            with dbmod.session_scope() as session:
                start = time.perf_counter()
                attempt = claim(session, caller_id=caller, now=now, settings=settings())
                took.append(time.perf_counter() - start)
                assert attempt is not None, "the queue ran dry"


def run(app, engine, *, size: int, claims: int, threads: int) -> None:
    # Noon in New York: every zone of a +1 number is in its calling window.
    now = datetime(2026, 10, 20, 16, 0, tzinfo=timezone.utc)
    callers = _callers(engine, claims)
    for label, width in (("one at a time", 1), (f"{threads} at once", threads)):
        fill_queue(engine, size)
        took: list[float] = []
        groups = [callers[i::width] for i in range(width)]
        workers = [threading.Thread(target=_claims, args=(app, g, now, took)) for g in groups]
        cpu, wall = time.process_time(), time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        with engine.connect() as conn:
            twice = conn.execute(sa.text("SELECT count(*) FROM (SELECT person_id FROM call_attempts "
                                         "GROUP BY person_id HAVING count(*) > 1) t")).scalar_one()
            made = conn.execute(sa.select(sa.func.count()).select_from(CallAttempt)).scalar_one()
        ms = sorted(t * 1000 for t in took)
        print(f"  queue {size:>7,} {label:>12}: {made} claims, p50 {statistics.median(ms):6.1f} ms, "
              f"p95 {ms[int(0.95 * (len(ms) - 1))]:6.1f} ms, max {ms[-1]:6.1f} ms; {claims / wall:6.0f} claims/s, "
              f"this process {cpu * 1000 / claims:.1f} ms CPU a claim; claimed twice: {twice}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--queue", default="1000,25000,100000")
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    app = make_app(args.db)
    with app.app_context():
        engine = dbmod.engine_for(app)
    for size in (int(s) for s in args.queue.split(",")):
        run(app, engine, size=size, claims=args.claims, threads=args.threads)


if __name__ == "__main__":
    main()
