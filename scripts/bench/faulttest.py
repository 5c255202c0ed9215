#!/usr/bin/env python3
"""Fault tests at a larger scale than CI's, for RELIABILITY.md.

    .venv/bin/python -m scripts.bench.faulttest [--db sqlite|postgres|both] [--phones 100] [--per-phone 50]

Scenarios (each on a fresh database, gunicorn on 127.0.0.1, phones that retry until every
outcome is acknowledged, every second batch replayed as a phone that lost the answer does):
  kill9      the whole server is killed with SIGKILL twice mid-storm and restarted
  writers    4 gunicorn workers x 4 threads writing at once; any 5xx is counted
  pg-restart the PostgreSQL cluster is restarted mid-storm (PostgreSQL, root only)
Prints a Markdown table: outcomes sent, stored, lost, duplicated, retries, 5xx seen.
"""
from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[2]

from tests.reliability.harness import storm, wait_until_acked
from tests.support.gunicorn import (Server, checkpoint_postgresql, restart_postgresql, seed, server_env,
                                    stored_ids)

PG_URL = os.environ.get("LEGWORK_FAULTTEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


def fresh_env(kind: str, tmp: Path):
    if kind == "sqlite":
        return server_env(f"sqlite:///{tmp / f'fault-{uuid.uuid4().hex[:6]}.db'}"), None
    from app import db as dbmod

    schema = "fault_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(dbmod.database_url_from(PG_URL), pool_pre_ping=True)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    return server_env(PG_URL, schema), (admin, schema)


def run(kind: str, scenario: str, args, tmp: Path) -> dict:
    env, cleanup = fresh_env(kind, tmp)
    try:
        specs = seed(env, phones=args.phones, doors=10)
        if scenario == "pg-restart":
            checkpoint_postgresql(PG_URL)
        server = Server(env, workers=4 if scenario == "writers" else 2, threads=4)
        server.start()
        faults = []

        def fault(phones):
            total = args.phones * args.per_phone
            for k in range(2 if scenario == "kill9" else 1):
                wait_until_acked(phones, total * (k + 1) // 4)  # a quarter in, then half-way
                if scenario == "kill9":
                    server.kill()
                    time.sleep(0.5)
                    server.start()
                elif scenario == "pg-restart":
                    restart_postgresql()
                faults.append(time.monotonic())

        started = time.monotonic()
        try:
            phones = storm(server.url, specs, per_phone=args.per_phone, seconds=args.seconds,
                           fault=None if scenario == "writers" else fault)
        finally:
            server.stop()
        elapsed = time.monotonic() - started
        sent = {o for p in phones for o in p.acked} | {o["id"] for p in phones for o in p.outbox}
        ids = stored_ids(env)
        counts = collections.Counter(ids)
        return dict(db=kind, scenario=scenario, faults=len(faults), sent=len(sent), stored=len(set(ids)),
                    lost=len(sent - set(ids)), duplicated=sum(c - 1 for c in counts.values()),
                    unsent=sum(len(p.outbox) for p in phones), retries=sum(p.retries for p in phones),
                    errors5xx=sum(len(p.server_errors) for p in phones), seconds=round(elapsed, 1))
    finally:
        if cleanup:
            admin, schema = cleanup
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
            admin.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--per-phone", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=240, help="give-up time for the phones")
    parser.add_argument("--scenarios", default="kill9,writers,pg-restart",
                        help="comma-separated subset of kill9, writers, pg-restart")
    args = parser.parse_args()
    kinds = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            wanted = args.scenarios.split(",")
            scenarios = [s for s in ("kill9", "writers") if s in wanted]
            if "pg-restart" in wanted and kind == "postgres" and os.geteuid() == 0:
                scenarios.append("pg-restart")
            for scenario in scenarios:
                row = run(kind, scenario, args, Path(tmp))
                rows.append(row)
                print(row, flush=True)
    keys = ["db", "scenario", "faults", "sent", "stored", "lost", "duplicated", "unsent", "retries", "errors5xx",
            "seconds"]
    print("\n| " + " | ".join(keys) + " |\n|" + "---|" * len(keys))
    for row in rows:
        print("| " + " | ".join(str(row[k]) for k in keys) + " |")


if __name__ == "__main__":
    main()
