#!/usr/bin/env python3
"""The day before an election (Raleigh: 2,500 volunteers knocked 45,000 doors), against gunicorn.

    .venv/bin/python -m scripts.bench.volunteers [--db sqlite|postgres|both] [--volunteers 2500]
        [--events 50] [--window 60] [--postcodes 1700000] [--far-events 2000] [--seconds 20] [--write]

1. check-in: VOLUNTEERS signed-in volunteers check in at EVENTS canvass events (50 lists of 18
   doors each by default: 45,000 doors), arriving at random over WINDOW seconds (open loop: a
   check-in's latency counts from its scheduled moment, so a stalled server cannot hide its
   queue). The real day spreads them over 30 minutes; the default window squeezes that 30 times.
   Every check-in must be answered with its own list; afterwards the database must show no list
   given twice and no door on two active lists.
2. the public postcode search: GET /get-involved?postcode=... for random known postcodes from a
   POSTCODES-row centroid table, with FAR_EVENTS more events spread over the country, offered at
   SEARCH_RATE a second (open loop) for SECONDS: p50 / p95 / p99.

Only 127.0.0.1. Volunteers' passwords use a cheap hash and the sign-in limits are raised for the
run (every volunteer comes from one address); everything else is the production path.
"""
from __future__ import annotations

import argparse
import asyncio
import random
import re
import secrets
import shutil
import string
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

import aiohttp
import sqlalchemy as sa

from scripts.bench._benchmarks import write_section
from scripts.bench._loadclient import PASSWORD, USER_AGENT, CpuMeter, Phone, cpu_text, pct, sign_in_all
from scripts.bench.loadtest import bench_database, free_port, start_gunicorn, stop_gunicorn

DOORS_PER_LIST = 18
CENTRE = (53.40, -2.98)  # a made-up city's middle (lat, lon): every event is within ~10 km of it


# ---- set-up ---------------------------------------------------------------------------------
def _postcodes(n: int, rng: random.Random):
    """n distinct made-up UK-style postcodes ("AB12 3CD") with centroids around the country."""
    letters = string.ascii_uppercase
    seen = set()
    while len(seen) < n:
        code = (f"{rng.choice(letters)}{rng.choice(letters)}{rng.randint(1, 99)} "
                f"{rng.randint(0, 9)}{rng.choice(letters)}{rng.choice(letters)}")
        if code not in seen:
            seen.add(code)
            yield {"postcode": code, "lat": rng.uniform(50.0, 58.0), "lon": rng.uniform(-5.5, 1.5)}


def _near(rng: random.Random, km: float) -> tuple[float, float]:
    return CENTRE[0] + rng.uniform(-km, km) / 111.0, CENTRE[1] + rng.uniform(-km, km) / 67.0


def seed(env: dict, args) -> dict:
    from werkzeug.security import generate_password_hash

    from app import create_app, db as dbmod
    from app.models import Event, Household, PostcodeCentroid, User, Ward, WalkList, WalkListDoor, EventWork, utcnow

    app = create_app({"DATABASE_URL": env["LEGWORK_DATABASE_URL"], "DATABASE_SCHEMA": env.get("LEGWORK_DATABASE_SCHEMA"),
                      "SECRET_KEY": env["LEGWORK_SECRET_KEY"], "TESTING": True})
    dbmod.create_all(app)
    rng = random.Random(7)
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    now = utcnow()
    lists_per_event = args.volunteers // args.events
    engine = dbmod.engine_for(app)
    t0 = time.perf_counter()
    with engine.begin() as conn:
        ward_id = conn.execute(sa.insert(Ward).values(code="BW", name="Bench ward", boundary="{}").returning(Ward.id)).scalar_one()
        conn.execute(sa.insert(User), [{"email": f"vol{i}@bench.test", "roles": "volunteer", "password_hash": hashed,
                                        "is_active": True, "name": f"Volunteer {i}"} for i in range(args.volunteers)])
        events = []
        for e in range(args.events + args.far_events):
            lat, lon = _near(rng, 10) if e < args.events else (rng.uniform(50.0, 58.0), rng.uniform(-5.5, 1.5))
            start = now - timedelta(minutes=10) if e < args.events else now + timedelta(days=rng.randint(1, 60))
            events.append({"kind": "canvass", "title": f"Canvass {e}", "starts_at": start, "ends_at": start + timedelta(hours=3),
                           "meeting_point": f"Meeting point {e}", "lat": lat, "lon": lon, "capacity": lists_per_event + 10,
                           "status": "approved", "checkin_code": secrets.token_urlsafe(16)[:22], "description": ""})
        conn.execute(sa.insert(Event), events)
        rows = conn.execute(sa.select(Event.id, Event.checkin_code).order_by(Event.id).limit(args.events)).all()
        n_lists = lists_per_event * args.events
        households = []
        for li in range(n_lists):
            lat, lon = _near(rng, 10)
            households += [{"street": f"Street {li}", "house_number": str(d + 1), "lat": lat + d * 1e-4, "lon": lon,
                            "ward_id": ward_id, "building_key": f"b{li}-{d}"} for d in range(DOORS_PER_LIST)]
        for start in range(0, len(households), 5000):
            conn.execute(sa.insert(Household), households[start:start + 5000])
        hids = list(conn.execute(sa.select(Household.id).order_by(Household.id)).scalars())
        conn.execute(sa.insert(WalkList), [{"name": f"Bench · {i}", "code": f"B{i:06d}", "ward_id": ward_id,
                                            "door_count": DOORS_PER_LIST, "status": "active"} for i in range(n_lists)])
        lids = list(conn.execute(sa.select(WalkList.id).order_by(WalkList.id)).scalars())
        doors = [{"walk_list_id": lids[li], "household_id": hids[li * DOORS_PER_LIST + d], "position": d}
                 for li in range(n_lists) for d in range(DOORS_PER_LIST)]
        for start in range(0, len(doors), 5000):
            conn.execute(sa.insert(WalkListDoor), doors[start:start + 5000])
        conn.execute(sa.insert(EventWork), [{"event_id": rows[li // lists_per_event][0], "walk_list_id": lids[li]}
                                            for li in range(n_lists)])
        batch = []
        for row in _postcodes(args.postcodes, rng):
            batch.append(row)
            if len(batch) == 20000:
                conn.execute(sa.insert(PostcodeCentroid), batch)
                batch = []
        if batch:
            conn.execute(sa.insert(PostcodeCentroid), batch)
        sample = list(conn.execute(sa.select(PostcodeCentroid.postcode).limit(5000)).scalars())
    print(f"  seeded in {time.perf_counter() - t0:.0f} s: {args.volunteers} volunteers, {len(events)} events, "
          f"{n_lists} lists, {len(hids)} doors, {args.postcodes} postcodes", flush=True)
    engine.dispose()
    return {"events": [(i, c) for i, c in rows], "postcodes": sample, "lists": n_lists}


# ---- the day --------------------------------------------------------------------------------
async def check_ins(http, base: str, volunteers: list[Phone], events, window: float, rng: random.Random) -> dict:
    plan = sorted((rng.uniform(0, window), v, events[i % len(events)]) for i, v in enumerate(volunteers))
    latencies, answers, lists = [], {}, []
    t0 = time.perf_counter()

    async def one(at, v, event):
        delay = t0 + at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        event_id, code = event
        headers = {"Cookie": v.cookie, "X-CSRFToken": v.token}
        async with http.post(f"{base}/events/{event_id}/check-in/{code}", data={"csrf_token": v.token},
                             headers=headers, allow_redirects=False) as r:
            await r.read()
            latencies.append(time.perf_counter() - (t0 + at))
            where = r.headers.get("Location", "")
            answers[r.status] = answers.get(r.status, 0) + 1
            m = re.search(r"/canvass/lists/(\d+)", where)
            if m:
                lists.append(int(m.group(1)))

    await asyncio.gather(*(one(at, v, e) for at, v, e in plan))
    return {"n": len(plan), "answers": answers, "given": len(lists), "distinct": len(set(lists)),
            "p50": pct(latencies, 0.50), "p99": pct(latencies, 0.99), "max": max(latencies) * 1000,
            "seconds": time.perf_counter() - t0}


async def searches(http, base: str, postcodes: list[str], seconds: float, rate: float) -> dict:
    """Open loop at ``rate`` searches a second: each latency counts from its scheduled moment."""
    latencies, bad = [], 0
    rng = random.Random(3)
    t0 = time.perf_counter()

    async def one(at: float, postcode: str):
        nonlocal bad
        delay = t0 + at - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        async with http.get(base + "/get-involved", params={"postcode": postcode}) as r:
            await r.read()
            bad += r.status != 200
        latencies.append(time.perf_counter() - (t0 + at))

    n = int(seconds * rate)
    await asyncio.gather(*(one(i / rate, rng.choice(postcodes)) for i in range(n)))
    return {"n": n, "rate": rate, "p50": pct(latencies, 0.50), "p95": pct(latencies, 0.95),
            "p99": pct(latencies, 0.99), "bad": bad}


def invariants(env: dict) -> dict:
    from app.db import database_url_from
    engine = sa.create_engine(database_url_from(env["LEGWORK_DATABASE_URL"]), **_schema_args(env))
    with engine.connect() as conn:
        twice = conn.exec_driver_sql(
            "SELECT count(*) FROM (SELECT walk_list_id FROM assignments WHERE unassigned_at IS NULL "
            "GROUP BY walk_list_id HAVING count(*) > 1) t").scalar_one()
        doors = conn.exec_driver_sql(
            "SELECT count(*) FROM (SELECT d.household_id FROM walk_list_doors d JOIN walk_lists w ON w.id = d.walk_list_id "
            "WHERE w.status = 'active' GROUP BY d.household_id HAVING count(*) > 1) t").scalar_one()
        checked = conn.exec_driver_sql("SELECT count(*) FROM rsvps WHERE checked_in_at IS NOT NULL").scalar_one()
    engine.dispose()
    return {"lists_given_twice": twice, "doors_on_two_lists": doors, "checked_in": checked}


def _schema_args(env: dict) -> dict:
    schema = env.get("LEGWORK_DATABASE_SCHEMA")
    return {"connect_args": {"options": f"-csearch_path={schema}"}} if schema else {}


async def drive(base: str, data: dict, args, server_pid: int) -> dict:
    connector = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                     timeout=aiohttp.ClientTimeout(total=600), headers={"User-Agent": USER_AGENT}) as http:
        volunteers = [Phone({"email": f"vol{i}@bench.test"}) for i in range(args.volunteers)]
        login_s = await sign_in_all(http, base, volunteers, concurrency=8)
        print(f"  signed in {len(volunteers)} volunteers in {login_s:.0f} s", flush=True)
        meter = CpuMeter(server_pid)
        checkin = await check_ins(http, base, volunteers, data["events"], args.window, random.Random(11))
        checkin["cpu"] = meter.per_request(checkin["n"])
        print(f"  check-in: {checkin['n']} in {checkin['seconds']:.0f} s; answers {checkin['answers']}; "
              f"{checkin['given']} lists given, {checkin['distinct']} distinct; p50 {checkin['p50']:.1f} ms, "
              f"p99 {checkin['p99']:.1f} ms, max {checkin['max']:.0f} ms; {cpu_text(checkin['cpu'])}", flush=True)
        await searches(http, base, data["postcodes"], 2, args.search_rate)  # warm-up
        meter = CpuMeter(server_pid)
        search = await searches(http, base, data["postcodes"], args.seconds, args.search_rate)
        search["cpu"] = meter.per_request(search["n"])
        print(f"  postcode search at {search['rate']:.0f} /s offered: p50 {search['p50']:.1f} ms, p95 {search['p95']:.1f} ms, "
              f"p99 {search['p99']:.1f} ms, "
              f"{search['bad']} not 200; {cpu_text(search['cpu'])}", flush=True)
    return {"checkin": checkin, "search": search}


def run_one(kind: str, args) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="legwork-vol-"))
    env = {"LEGWORK_SECRET_KEY": "bench-" + uuid.uuid4().hex, "LEGWORK_ENV": "development",
           "LEGWORK_AUTH__LOGIN_RATE_LIMIT": "1000000 per minute",
           "LEGWORK_AUTH__LOGIN_ACCOUNT_RATE_LIMIT": "1000000 per minute",
           "LEGWORK_DATABASE_POOL_SIZE": str(args.threads)}
    proc = None
    try:
        with bench_database(kind, env, tmp, prefix="volbench"):
            data = seed(env, args)
            port = free_port()
            proc = start_gunicorn(env, port, args.workers, args.threads)
            result = asyncio.run(drive(f"http://127.0.0.1:{port}", data, args, proc.pid))
            stop_gunicorn(proc)
            proc = None
            result["invariants"] = invariants(env)
            print(f"  invariants: {result['invariants']}", flush=True)
            result["db"] = kind
            return result
    finally:
        stop_gunicorn(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def report(results: list[dict], args) -> str:
    lines = ["## Volunteers: check-in day and the postcode search", "",
             f"Command: `.venv/bin/python -m scripts.bench.volunteers --db {args.db} --volunteers {args.volunteers} "
             f"--events {args.events} --window {args.window:g} --postcodes {args.postcodes} --far-events {args.far_events} "
             f"--seconds {args.seconds:g} --search-rate {args.search_rate:g} --write` ({time.strftime('%Y-%m-%d')}; gunicorn {args.workers} workers × "
             f"{args.threads} threads; this machine's 2 cores are shared by the server and the load generator, so "
             "the figures are what one small box does with its own load on it).", "",
             "| database | check-ins | answered with a list | distinct lists | p50 | p99 | lists given twice | "
             "doors on two active lists | searches/s offered | search p50 | search p95 | search p99 |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        c, s, inv = r["checkin"], r["search"], r["invariants"]
        lines.append(f"| {r['db']} | {c['n']} over {args.window:g} s | {c['given']} | {c['distinct']} | {c['p50']:.1f} ms | "
                     f"{c['p99']:.1f} ms | {inv['lists_given_twice']} | {inv['doors_on_two_lists']} | {s['rate']:.0f} | "
                     f"{s['p50']:.1f} ms | {s['p95']:.1f} ms | {s['p99']:.1f} ms |")
    lines += ["", "Targets (the issue): every check-in answered, p99 ≤ 200 ms on SQLite, no list given twice, no door on "
              "two active lists; the postcode search p95 ≤ 50 ms with a 1.7-million-row postcode table and 2,000 events."]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--volunteers", type=int, default=2500)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--postcodes", type=int, default=1_700_000)
    parser.add_argument("--far-events", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--search-rate", type=float, default=50.0, help="postcode searches a second (open loop)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--write", action="store_true", help="record the figures in BENCHMARKS.md")
    args = parser.parse_args()
    kinds = ("sqlite", "postgres") if args.db == "both" else (args.db,)
    results = []
    for kind in kinds:
        print(f"== {kind} ==", flush=True)
        results.append(run_one(kind, args))
    if args.write:
        write_section("## Volunteers: check-in day and the postcode search", report(results, args))


if __name__ == "__main__":
    main()
