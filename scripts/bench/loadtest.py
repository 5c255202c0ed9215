#!/usr/bin/env python3
"""Load test of the door-knock path: the app under gunicorn, the real sign-in and CSRF path.

    .venv/bin/python scripts.bench.loadtest [--db sqlite|postgres|both] [--seconds 10] [--phones 2500] [--floor]

1. single-outcome POST /api/outcomes: sustained rate with 32 closed-loop clients, then latency
   (p50/p99) at 500 requests/s offered, after 2 s at that rate unmeasured (open loop: latency
   counts from the scheduled send time, so a stalled server cannot hide its queue);
2. reconnect storm: PHONES phones each come back online with 20 queued outcomes, half of which
   the server already has (the phone lost the answer): all at once, batches of up to 50;
   then every id must be in the database exactly once.
3. the canvasser's list page critical path, gzipped (HTML + CSS + JS with the modules it imports + a 60-door list's data);
4. with --floor, first the ceiling: a bare Flask route (no session, CSRF or database) under the
   same gunicorn settings, driven by the same client, so the figures above can be read against
   the most any Flask app could do on this machine; and the sign-in floor: wrk posting an empty
   batch through the whole sign-in path (session cookie, CSRF, the user's row), answered 422,
   the cost every door knock pays before its own work.

Only 127.0.0.1; bounded in count and time. The rate limiter runs as in production, with the
sign-in limits raised for the run (every phone comes from one address), and volunteer passwords
use a cheap hash; the phones belong to
--sessions signed-in volunteers (phone p to volunteer p % sessions), so sign-in does not dominate
the run: the sign-in, session and CSRF code paths are the production ones.
"""
from __future__ import annotations

import argparse
import contextlib
import asyncio
import gc
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp
import sqlalchemy as sa
from scripts.bench._loadclient import DOORS_PER_PHONE, PASSWORD, USER_AGENT, CpuMeter, Phone, cpu_text, sign_in_all
from scripts.bench._loadphases import offered, storm, sustained, wrk_sustained
from scripts.bench._criticalpath import critical_path
from scripts.bench._loadstore import count_code, direct_store, ids_chunked

ROOT = Path(__file__).resolve().parents[2]
PG_URL = os.environ.get("LEGWORK_LOADTEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/test")


# ---- set-up ---------------------------------------------------------------------------------
def seed(env: dict, phones: int, users: int) -> list[dict]:
    """Users, households and one 20-door list per phone, inserted in bulk; returns phone specs."""
    from werkzeug.security import generate_password_hash

    from app import create_app, db as dbmod
    from app.models import Assignment, Household, User, Ward, WalkList, WalkListDoor

    app = create_app({"DATABASE_URL": env["LEGWORK_DATABASE_URL"], "DATABASE_SCHEMA": env.get("LEGWORK_DATABASE_SCHEMA"),
                      "SECRET_KEY": env["LEGWORK_SECRET_KEY"], "TESTING": True})
    dbmod.create_all(app)
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    engine = dbmod.engine_for(app)
    with engine.begin() as conn:
        ward_id = conn.execute(sa.insert(Ward).values(code="LT", name="Load ward", boundary="{}").returning(Ward.id)).scalar_one()
        conn.execute(sa.insert(User), [{"email": f"phone{i}@load.test", "roles": "canvasser", "password_hash": hashed,
                                        "is_active": True} for i in range(users)])
        user_ids = dict(conn.execute(sa.select(User.email, User.id)).all())
        rows = [{"street": f"Street {i // 100}", "house_number": str(i % 100 + 1), "lon": -71.1 + (i % 100) * 1e-4,
                 "lat": 42.3 + (i // 100) * 1e-4, "ward_id": ward_id, "building_key": f"b{i}"}
                for i in range(phones * DOORS_PER_PHONE)]
        # RETURNING makes SQLAlchemy send pages of many rows a statement: the coverage trigger runs
        # once a statement (a row a statement took 4 ms each, 13 minutes for 10,000 phones).
        conn.execute(sa.insert(Household).returning(Household.id), rows)
        hids = list(conn.execute(sa.select(Household.id).order_by(Household.id)).scalars())
        conn.execute(sa.insert(WalkList), [{"name": f"Load · {i}", "code": f"L{i:06d}", "ward_id": ward_id,
                                            "door_count": DOORS_PER_PHONE, "status": "active"} for i in range(phones)])
        lists = list(conn.execute(sa.select(WalkList.id).order_by(WalkList.id)).scalars())
        conn.execute(sa.insert(WalkListDoor), [{"walk_list_id": lists[p], "household_id": hids[p * DOORS_PER_PHONE + d],
                                                "position": d} for p in range(phones) for d in range(DOORS_PER_PHONE)])
        conn.execute(sa.insert(Assignment), [{"walk_list_id": lists[p], "user_id": user_ids[f"phone{p % users}@load.test"]}
                                             for p in range(phones)])
    engine.dispose()
    return [{"email": f"phone{p % users}@load.test", "list": lists[p], "doors": hids[p * DOORS_PER_PHONE:(p + 1) * DOORS_PER_PHONE]}
            for p in range(phones)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(env: dict, port: int, workers: int, threads: int, target: str = "app:create_app()",
                   cwd: Path = ROOT) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
           "--threads", str(threads), "--worker-class", "gthread", "--timeout", "120", "--log-level", "warning",
           # Longer than the pause while the storm's first halves are stored in-process, so the
           # server does not close idle keep-alive connections that the client then reuses.
           "--keep-alive", "60"]
    # The production settings (scripts/run): the same file whatever the working directory.
    cmd += ["--config", str(ROOT / "app" / "gunicorn_conf.py")]
    cmd.append(target)
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **env}, start_new_session=True,
                            stderr=subprocess.DEVNULL if os.environ.get("LOADTEST_QUIET") else None)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start")



def run_one(kind: str, args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="legwork-load-"))
    env = {"LEGWORK_SECRET_KEY": "load-test-" + uuid.uuid4().hex, "LEGWORK_ENV": "development",
           "LEGWORK_AUTH__LOGIN_RATE_LIMIT": "100000 per minute", "LEGWORK_DATABASE_POOL_SIZE": str(args.threads)}
    proc = None
    try:
        with bench_database(kind, env, tmp, prefix="loadtest"):
            specs = seed(env, args.phones, args.sessions)
            port = free_port()
            proc = start_gunicorn(env, port, args.workers, args.threads)
            base = f"http://127.0.0.1:{port}"
            args.server_pid, args.tmp = proc.pid, tmp
            result = asyncio.run(drive(base, specs, env, args))
            result["db"] = kind
            stop_gunicorn(proc)
            proc = None
            return result
    finally:
        stop_gunicorn(proc)
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def bench_database(kind: str, env: dict, tmp: Path, *, prefix: str):
    """Point ``env`` at a new SQLite file in ``tmp``, or a new PostgreSQL schema dropped afterwards."""
    if kind == "sqlite":
        env["LEGWORK_DATABASE_URL"] = f"sqlite:///{tmp / (prefix + '.db')}"
        yield
        return
    from app.db import database_url_from
    schema = f"{prefix}_" + uuid.uuid4().hex[:10]
    admin = sa.create_engine(database_url_from(PG_URL))
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    env.update(LEGWORK_DATABASE_URL=PG_URL, LEGWORK_DATABASE_SCHEMA=schema)
    try:
        yield
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


def stop_gunicorn(proc: subprocess.Popen | None) -> None:
    if proc is not None and proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


async def drive(base: str, specs: list[dict], env: dict, args) -> dict:
    connector = aiohttp.TCPConnector(limit=args.connections, force_close=False)
    timeout = aiohttp.ClientTimeout(total=600)
    # One User-Agent for both clients: Flask-Login's strong session protection ties a session to it.
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(), timeout=timeout,
                                     headers={"User-Agent": USER_AGENT}) as http:
        phones = [Phone(s) for s in specs]
        volunteers = phones[:args.sessions]  # phone p belongs to volunteer p % sessions
        login_s = await sign_in_all(http, base, volunteers)
        for i, p in enumerate(phones):
            p.cookie, p.token = volunteers[i % args.sessions].cookie, volunteers[i % args.sessions].token
        print(f"  signed in {len(volunteers)} volunteers in {login_s:.1f} s", flush=True)
        few = phones[:64]
        # The generator's own long-lived objects (2,500 phones, their queues) kept out of the
        # collector's sight, like the server's: a full collection here would stall every send and
        # be counted as the server's latency.
        gc.freeze()
        await sustained(http, base, few, 1.0)  # warm-up
        meter = CpuMeter(args.server_pid)
        sus = await sustained(http, base, few, args.seconds)
        sus["cpu"] = meter.per_request(sus["n"])
        print(f"  sustained: {sus['rate']:.0f} posts/s (p50 {sus['p50']:.1f} ms, p99 {sus['p99']:.1f} ms); "
              f"{cpu_text(sus['cpu'])}", flush=True)
        if args.floor and not args.no_wrk and shutil.which("wrk"):
            f = await asyncio.to_thread(wrk_sustained, base, few, args.seconds, 32, args.server_pid, args.tmp, True)
            sus["signin_floor"] = f
            print(f"  sign-in floor (wrk, an empty batch: session, CSRF, the user's row, a 422): {f['rate']:.0f} /s "
                  f"(p99 {f['p99']:.1f} ms); {f['bad']} unexpected answers; {cpu_text(f['cpu'])}", flush=True)
        if not args.no_wrk and shutil.which("wrk"):
            before = count_code(env, "refused")
            w = await asyncio.to_thread(wrk_sustained, base, few, args.seconds, 32, args.server_pid, args.tmp)
            w["stored"] = count_code(env, "refused") - before
            sus["wrk"] = w
            print(f"  sustained (wrk, 32 connections): {w['rate']:.0f} posts/s (p50 {w['p50']:.1f} ms, p99 {w['p99']:.1f} ms); "
                  f"{w['bad']} not stored; rows stored {w['stored']} for {w['n']} answers; {cpu_text(w['cpu'])}", flush=True)
        off = await offered(base, few, args.offered, args.seconds, args.server_pid)
        print(f"  {args.offered:.0f}/s offered: achieved {off['rate']:.0f}/s, p50 {off['p50']:.1f} ms, p99 {off['p99']:.1f} ms; "
              f"{cpu_text(off['cpu'])}", flush=True)
        store, app = direct_store(env)
        st = await storm(base, phones, store, args.connections, args.server_pid)
        from app import db as dbmod
        from app.models import ContactEvent
        with dbmod.session_scope(app) as session:
            stored = ids_chunked(session, st["ids"])
            rows = session.execute(sa.select(sa.func.count()).select_from(ContactEvent)
                                   .where(ContactEvent.code == "come_back")).scalar_one()
        dbmod.engine_for(app).dispose()
        st["lost"] = len(st["ids"] - stored)
        st["duplicated"] = rows - len(stored)  # rows beyond one per queued id
        print(f"  storm: {len(phones)} phones x {DOORS_PER_PHONE} in {st['seconds']:.2f} s; {st['statuses']}; "
              f"lost {st['lost']}; duplicated {st['duplicated']}; {cpu_text(st['cpu'])}", flush=True)
        return {"login_s": login_s, "sustained": sus, "offered": off, "storm": st}


# ---- the ceiling: the same server and client with no application behind them -----------------------
FLOOR_APP = """from flask import Flask, jsonify, request

app = Flask(__name__)


@app.post("/api/outcomes")
def outcomes():
    return jsonify({"results": [{"id": o["id"], "status": "stored"} for o in request.get_json()["outcomes"]]})
"""


def floor(args) -> dict:
    """Closed-loop single posts against a bare Flask route (no session, CSRF, database) under the
    same gunicorn settings and client: the most this machine could do for any Flask app."""
    tmp = Path(tempfile.mkdtemp(prefix="legwork-floor-"))
    (tmp / "floor_app.py").write_text(FLOOR_APP)
    port = free_port()
    proc = start_gunicorn({}, port, args.workers, args.threads, target="floor_app:app", cwd=tmp)
    fake = [Phone({"email": "", "list": 1, "doors": list(range(DOORS_PER_PHONE))}) for _ in range(64)]

    async def go():
        connector = aiohttp.TCPConnector(limit=args.connections)
        async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar()) as http:
            base = f"http://127.0.0.1:{port}"
            await sustained(http, base, fake, 1.0)
            meter = CpuMeter(proc.pid)
            result = await sustained(http, base, fake, args.seconds)
            result["cpu"] = meter.per_request(result["n"])
            return result
    try:
        return asyncio.run(go())
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each timed phase")
    parser.add_argument("--phones", type=int, default=2500)
    parser.add_argument("--sessions", type=int, default=100, help="signed-in volunteers the phones belong to")
    # Two workers (one per core) on both: SQLite writers of several processes queue on
    # app.db.SqliteWriteLock (flock), not on SQLite's sleeping busy handler.
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: 2)")
    parser.add_argument("--threads", type=int, default=None, help="threads per worker (default: 8, as scripts/run)")
    parser.add_argument("--offered", type=float, default=500.0, help="requests/s offered in the open-loop phase")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--no-wrk", action="store_true",
                        help="skip the second sustained run driven by wrk (Debian's wrk; skipped anyway when missing)")
    parser.add_argument("--skip-critical-path", action="store_true")
    parser.add_argument("--floor", action="store_true",
                        help="also measure a bare Flask route (the ceiling) and the sign-in path alone (the floor)")
    args = parser.parse_args()
    args.phones = max(64, min(args.phones, 5000))
    args.sessions = max(1, min(args.sessions, args.phones))
    args.seconds = max(1.0, min(args.seconds, 60.0))
    if not args.skip_critical_path:
        sizes = critical_path()
        print("critical path (bytes raw -> gzipped):")
        for name, (raw, gz) in sizes.items():
            print(f"  {name}: {raw} -> {gz}")
        print(f"  total: {sum(r for r, _ in sizes.values())} -> {sum(g for _, g in sizes.values())} bytes gzipped")
    workers, threads = args.workers, args.threads
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        args.workers = workers or 2
        args.threads = threads or 8
        print(f"== {kind} (gunicorn gthread, {args.workers} workers x {args.threads} threads) ==", flush=True)
        if args.floor:
            f = floor(args)
            print(f"  ceiling, bare Flask route: {f['rate']:.0f} posts/s (p50 {f['p50']:.1f} ms, p99 {f['p99']:.1f} ms); "
                  f"{cpu_text(f['cpu'])}", flush=True)
        r = run_one(kind, args)
        st = r["storm"]
        ok = (st["lost"] == 0 and st["duplicated"] == 0 and st["statuses"]["rejected"] == 0
              and st["statuses"]["duplicate"] == len(st["ids"]) // 2)
        print(f"  storm verdict: {'OK' if ok else 'FAILED'} (lost {st['lost']}, duplicated {st['duplicated']}, "
              f"replays answered duplicate: {st['statuses']['duplicate']}/{len(st['ids']) // 2})", flush=True)


if __name__ == "__main__":
    main()
